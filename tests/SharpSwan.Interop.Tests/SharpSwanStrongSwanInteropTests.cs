using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// SharpSwan in namespace A against strongSwan 5.9 (kernel-libipsec, ESP in UDP) in namespace B, driven only
/// through processes: the launcher script, the gateway's CLI and swanctl.
/// </summary>
public sealed class SharpSwanStrongSwanInteropTests
{
    private const string Phase1 = "to-branch";
    private const string Phase2 = "to-branch-p2";

    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RekeyTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void SharpSwanInitiates_AesGcmEcp384()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(SharpSwanInitiates_AesGcmEcp384));
        StrongSwanPeer branch = scenario.StartStrongSwan(
            scenario.B,
            scenario.BranchConnection() with { Proposals = "aes256gcm16-prfsha384-ecp384", EspProposals = "aes256gcm16-ecp384" },
            "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A");

        BringUpFromSharpSwan(scenario, gateway, branch);

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);

        IperfResult iperf = Traffic.Iperf3Tcp(
            scenario.A, TwoSiteTopology.LanAddressA, scenario.B, TwoSiteTopology.LanAddressB, seconds: 3, scenario.DiagnosticsDirectory);
        scenario.Require(
            iperf.Completed && iperf.ReceivedMbitsPerSecond > 0,
            $"iperf3 TCP through the tunnel completes with non-zero throughput; got:\n{iperf.Output}");

        string summary = "";
        scenario.WaitFor(
            () => FortiOsOutput.Selectors(summary = gateway.Cli("get vpn ipsec tunnel summary"), Phase1) == (1, 1),
            TimeSpan.FromSeconds(10),
            $"tunnel summary shows '{Phase1}' with selectors(total,up): 1/1; last output:\n{summary}");
    }

    [Fact]
    public void StrongSwanInitiates_AesCbcSha256Modp2048()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(StrongSwanInitiates_AesCbcSha256Modp2048));
        StrongSwanPeer branch = scenario.StartStrongSwan(
            scenario.B,
            scenario.BranchConnection() with { Proposals = "aes128-sha256-modp2048", EspProposals = "aes128-sha256-modp2048" },
            "B");
        SharpSwanConfig config = scenario.HeadquartersConfig() with
        {
            Phase1Proposal = "aes128-sha256",
            Phase1DhGroup = 14,
            Phase2Proposal = "aes128-sha256",
            Phase2DhGroup = 14,
            // strongSwan is the initiator here; SharpSwan must not race it with its own IKE_SA.
            Phase1AutoNegotiate = false,
        };
        scenario.StartSharpSwan(scenario.A, config, "A");

        ProcessResult initiate = branch.Initiate();
        scenario.Require(initiate.Succeeded, $"swanctl --initiate --child c succeeds; got {initiate.Describe()}");
        scenario.WaitFor(() => branch.InstalledChildSas().Count > 0, EstablishTimeout, "strongSwan lists an INSTALLED CHILD_SA");

        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }

    [Fact]
    public void ChildRekey_ByStrongSwan_And_BySharpSwan()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(ChildRekey_ByStrongSwan_And_BySharpSwan));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A");
        BringUpFromSharpSwan(scenario, gateway, branch);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);

        // SharpSwan's outbound SPI is strongSwan's inbound SPI of the same CHILD_SA.
        uint originalEncSpi = 0;
        scenario.WaitFor(
            () => FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")) is [uint spi] && (originalEncSpi = spi) != 0,
            TimeSpan.FromSeconds(10),
            "diagnose vpn tunnel list shows one 'enc: spi='");

        // 1. strongSwan rekeys the CHILD_SA.
        ProcessResult rekey = branch.Rekey();
        scenario.Require(rekey.Succeeded, $"swanctl --rekey --child c is accepted; got {rekey.Describe()}");
        uint rekeyedEncSpi = 0;
        scenario.WaitFor(
            () => (rekeyedEncSpi = FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list"))
                                                .FirstOrDefault(spi => spi != originalEncSpi)) != 0,
            RekeyTimeout,
            $"after strongSwan's rekey, the tunnel list shows an 'enc: spi' other than {originalEncSpi:x8}");
        scenario.WaitFor(
            () => branch.InstalledChildSas().Any(child => child.InboundSpi == rekeyedEncSpi),
            RekeyTimeout,
            $"strongSwan's new INSTALLED CHILD_SA has inbound SPI {rekeyedEncSpi:x8} (SharpSwan's new enc SPI)");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);

        // 2. SharpSwan rekeys it.
        var knownSpis = SwanctlListing.ChildSas(branch.ListSas())
            .SelectMany(child => new[] { child.InboundSpi, child.OutboundSpi })
            .OfType<uint>()
            .ToHashSet();
        gateway.Cli($"diagnose vpn tunnel rekey {Phase2} {Phase1}");
        scenario.WaitFor(
            () => branch.InstalledChildSas().Any(child =>
                child.InboundSpi is uint inbound && !knownSpis.Contains(inbound) &&
                child.OutboundSpi is uint outbound && !knownSpis.Contains(outbound)),
            RekeyTimeout,
            $"after SharpSwan's rekey, strongSwan lists an INSTALLED CHILD_SA with SPIs not among {string.Join(',', knownSpis.Select(spi => spi.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)))}");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);

        // 3. The replaced SAs are deleted: one CHILD_SA remains.
        scenario.WaitFor(
            () => SwanctlListing.ChildSas(branch.ListSas()) is [{ IsInstalled: true }],
            RekeyTimeout,
            "strongSwan lists exactly one CHILD_SA, INSTALLED, once the old ones are deleted");
    }

    [Fact]
    public void MalformedPackets_DoNotBreakTunnel()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(MalformedPackets_DoNotBreakTunnel));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A");
        BringUpFromSharpSwan(scenario, gateway, branch);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);

        string pcap = Path.Combine(scenario.DiagnosticsDirectory, "esp-from-strongswan.pcap");
        string captureLog = MalformedTraffic.CaptureEsp(
            scenario.B, TwoSiteTopology.WanInterface, TwoSiteTopology.WanAddressB, pcap, packets: 4,
            () => Traffic.Ping(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA, 6),
            Path.Combine(scenario.DiagnosticsDirectory, "tcpdump.log"));

        ProcessResult injection = MalformedTraffic.Inject(
            scenario.B, pcap, TwoSiteTopology.WanAddressA, TwoSiteTopology.WanAddressB, scenario.WorkDirectory);
        scenario.Require(injection.Succeeded, $"the packet injector runs; got {injection.Describe()}\ntcpdump:\n{captureLog}");
        scenario.Require(
            !injection.StandardOutput.Contains("captured=0 ", StringComparison.Ordinal),
            $"at least one real ESP packet was captured for replay; injector said {injection.StandardOutput}\ntcpdump:\n{captureLog}");
        gateway.Note($"injector: {injection.StandardOutput.Trim()}");

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        scenario.Require(!gateway.HasExited, "the gateway process is still running after the malformed packets");
        scenario.Require(branch.InstalledChildSas().Count > 0, "strongSwan still lists an INSTALLED CHILD_SA");
    }

    /// <summary>
    /// The tunnel's SA is UDP-encapsulated; its SPI arriving as raw ESP at a high rate is dropped before decryption and
    /// counted as a receive error, while pings through the tunnel lose nothing (issue 11, item 2). Run on an AES-GCM and
    /// an AES-CBC/HMAC-SHA-256 SA: both keep per-SA cipher state that one thread at a time may use.
    /// </summary>
    [Theory]
    [InlineData("gcm")]
    [InlineData("cbc")]
    public void RawEspCarryingAUdpEncapsulatedSasSpi_IsDroppedAndCounted_WithoutLosingRealTraffic(string suite)
    {
        using InteropScenario scenario = InteropScenario.Create($"{nameof(RawEspCarryingAUdpEncapsulatedSasSpi_IsDroppedAndCounted_WithoutLosingRealTraffic)}-{suite}");
        bool cbc = suite == "cbc";
        StrongSwanConnection connection = cbc
            ? scenario.BranchConnection() with { Proposals = "aes128-sha256-modp2048", EspProposals = "aes128-sha256-modp2048" }
            : scenario.BranchConnection();
        SharpSwanConfig config = cbc
            ? scenario.HeadquartersConfig() with { Phase1Proposal = "aes128-sha256", Phase1DhGroup = 14, Phase2Proposal = "aes128-sha256", Phase2DhGroup = 14 }
            : scenario.HeadquartersConfig();
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, connection, "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, config, "A");
        BringUpFromSharpSwan(scenario, gateway, branch);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);

        string pcap = Path.Combine(scenario.DiagnosticsDirectory, "esp-from-strongswan.pcap");
        string captureLog = MalformedTraffic.CaptureEsp(
            scenario.B, TwoSiteTopology.WanInterface, TwoSiteTopology.WanAddressB, pcap, packets: 4,
            () => Traffic.Ping(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA, 6),
            Path.Combine(scenario.DiagnosticsDirectory, "tcpdump.log"));
        long errorsBefore = ReceiveErrors(gateway);

        const int Pings = 20;
        ProcessResult? result = null;
        var injector = new Thread(() => result = WrongTransportTraffic.InjectRawCopies(
            scenario.B, pcap, TwoSiteTopology.WanAddressA, TwoSiteTopology.WanAddressB, TimeSpan.FromSeconds(6), 1_000_000, scenario.WorkDirectory));
        injector.Start();
        int replies = Traffic.Ping(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA, Pings);
        injector.Join();
        ProcessResult injected = result!;
        scenario.Require(injected.Succeeded, $"the raw ESP injector runs; got {injected.Describe()}\ntcpdump:\n{captureLog}");
        scenario.Require(!injected.StandardOutput.Contains("captured=0 ", StringComparison.Ordinal), $"real ESP was captured; injector said {injected.StandardOutput}");
        gateway.Note($"injector: {injected.StandardOutput.Trim()}");

        scenario.Require(replies == Pings, $"every ping crossed the tunnel during the injection: {replies}/{Pings}");
        long counted = ReceiveErrors(gateway) - errorsBefore;
        gateway.Note($"receive errors counted during the injection: {counted}");
        scenario.Require(counted > 1000, $"the raw copies were counted as receive errors: {counted}");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.Require(!gateway.HasExited, "the gateway process is still running");
    }

    private static long ReceiveErrors(SharpSwanGateway gateway)
    {
        var match = System.Text.RegularExpressions.Regex.Match(gateway.Cli("diagnose vpn tunnel stat"), @"rx_err=(\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    /// <summary>
    /// SharpSwan initiates (the responder path has its own test), then strongSwan must list the CHILD_SA as
    /// INSTALLED. The rekey and robustness tests start this way so they do not depend on the responder path.
    /// </summary>
    [Fact]
    public void FragmentedPackets_CrossTheTunnelBothWays()
    {
        // 1400 bytes of ICMP data make 1428-byte packets: the 1400-byte tunnel MTU cuts each into two fragments, which
        // SharpSwan sends as one segmented run and which strongSwan's replies bring back the same way.
        using InteropScenario scenario = InteropScenario.Create(nameof(FragmentedPackets_CrossTheTunnelBothWays));
        StrongSwanPeer branch = scenario.StartStrongSwan(
            scenario.B,
            scenario.BranchConnection() with { Proposals = "aes256gcm16-prfsha384-ecp384", EspProposals = "aes256gcm16-ecp384" },
            "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A");
        BringUpFromSharpSwan(scenario, gateway, branch);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);

        int fromA = Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 5, payloadBytes: 1400);
        int fromB = Traffic.Ping(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA, count: 5, payloadBytes: 1400);

        scenario.Require(fromA >= 4, $"1400-byte pings A -> B through the tunnel: {fromA}/5 replies");
        scenario.Require(fromB >= 4, $"1400-byte pings B -> A through the tunnel: {fromB}/5 replies");
    }

    /// <summary>
    /// Distinguished names as PSK identities: SharpSwan's <c>localid-type asn1dn</c> goes out as an ID_DER_ASN1_DN that
    /// strongSwan's <c>remote.id</c> DN matches, and strongSwan's DN is accepted by a <c>peerid</c> written in the other order.
    /// </summary>
    [Fact]
    public void DistinguishedNameIdentities_BothWays_WithAPreSharedKey()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(DistinguishedNameIdentities_BothWays_WithAPreSharedKey));
        StrongSwanPeer branch = scenario.StartStrongSwan(
            scenario.B,
            scenario.BranchConnection() with { LocalId = "\"C=US, O=Example, CN=branch\"", RemoteId = "\"C=US, O=Example, CN=hq\"" },
            "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(
            scenario.A,
            scenario.HeadquartersConfig() with { LocalIdType = "asn1dn", LocalId = "C=US, O=Example, CN=hq", PeerId = "CN=branch, O=Example, C=US" },
            "A");

        BringUpFromSharpSwan(scenario, gateway, branch);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        string sas = branch.ListSas();
        scenario.Require(sas.Contains("C=US, O=Example, CN=hq", StringComparison.Ordinal), $"strongSwan names its peer by the DN; swanctl --list-sas:\n{sas}");
    }

    private static void BringUpFromSharpSwan(InteropScenario scenario, SharpSwanGateway gateway, StrongSwanPeer branch)
    {
        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED CHILD_SA");
    }
}
