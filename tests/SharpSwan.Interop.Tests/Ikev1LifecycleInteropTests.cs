using System.Diagnostics;
using SharpSwan.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// The IKEv1 lifecycle against strongSwan 5.9 in real time, kept short: phase-1 renewals and phase-2 rekeys from both ends
/// under a continuous ping, strongSwan killed and restarted, an idle IPsec SA expiring, and aggressive mode.
/// </summary>
public sealed class Ikev1LifecycleInteropTests(ITestOutputHelper output)
{
    private const string Phase1 = "to-branch";
    private const string Phase2 = "to-branch-p2";

    /// <summary>FortiOS's "Progress IPsec phase 1" log id (VpnEventIds.Phase1Progress).</summary>
    private const string Phase1ProgressLogId = "0101037127";
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);

    private static SharpSwanConfig Ikev1Config(InteropScenario scenario) => scenario.HeadquartersConfig() with
    {
        IkeVersion = 1,
        Dpd = "disable",
        Phase1Proposal = "aes128-sha256",
        Phase1DhGroup = 14,
        Phase2Proposal = "aes128-sha256",
        Phase2DhGroup = 14,
        Phase1AutoNegotiate = false,
    };

    private static StrongSwanConnection Ikev1Branch(InteropScenario scenario) => scenario.BranchConnection() with
    {
        Version = 1,
        Proposals = "aes128-sha256-modp2048",
        EspProposals = "aes128-sha256-modp2048",
    };

    /// <summary>
    /// strongSwan re-authenticates (a new main mode) every 15 s and rekeys the IPsec SA every 12 s; SharpSwan renews its
    /// ISAKMP SA and rekeys the IPsec SA once each from the CLI. A 40 s ping loses nothing and both ends settle on one SA.
    /// The ping runs every 20 ms so that a reply strongSwan sends on its new SA in the moment before its quick mode's 3rd
    /// message reaches us is likely to be there: one was lost when SharpSwan took that SA's packets only from message 3 on.
    /// Then charon is killed and restarted with start_action = start: the tunnel comes back without traffic (SharpSwan drops
    /// the stale SAs on INITIAL-CONTACT).
    /// </summary>
    [Fact]
    public void RenewalsAndRekeysFromBothEnds_UnderContinuousPing_LoseNothing_ThenPeerRestartComesBack()
    {
        var clock = Stopwatch.StartNew();
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1LifecycleInteropTests) + "_" + nameof(RenewalsAndRekeysFromBothEnds_UnderContinuousPing_LoseNothing_ThenPeerRestartComesBack));
        StrongSwanConnection connection = Ikev1Branch(scenario) with
        {
            // Re-authentication at 15 s; the proposed ISAKMP lifetime (rekey + over time) keeps SharpSwan's own renewal far off.
            IkeRekeyTime = "15s",
            IkeOverTime = "100s",
            IkeRandTime = "1s",
            ChildRekeyTime = "12s",
            ChildRandTime = "1s",
            ChildLifeTime = "100s",
        };
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, connection, "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, Ikev1Config(scenario) with { Phase1KeyLifeSeconds = 120, Phase2KeyLifeSeconds = 120 }, "A", timestampLines: true);
        gateway.Cli($"diagnose vpn tunnel up {Phase2} {Phase1}");
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, EstablishTimeout, "strongSwan lists an INSTALLED IKEv1 CHILD_SA");
        int addedBefore = GatewayLogEvents.AddedSas(gateway.Output).Count;

        PingSummary? summary;
        using (ContinuousPing ping = ContinuousPing.Start(
            scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, 2000, TimeSpan.FromMilliseconds(20),
            Path.Combine(scenario.DiagnosticsDirectory, "ping-across-renewals.log")))
        {
            Thread.Sleep(TimeSpan.FromSeconds(5));
            string renewed = gateway.Cli($"diagnose vpn ike gateway rekey name {Phase1}");
            scenario.Require(!renewed.Contains("Command fail", StringComparison.Ordinal), $"SharpSwan renews its ISAKMP SA from the CLI; got {renewed}");
            Thread.Sleep(TimeSpan.FromSeconds(3));
            gateway.Cli($"diagnose vpn tunnel rekey {Phase2} {Phase1}");
            scenario.Require(Wait.Until(() => ping.HasExited, TimeSpan.FromSeconds(60)), "the 40 s ping ends");
            summary = ping.Finish();
        }

        string log = gateway.Output;
        // Each ISAKMP SA that took over the tunnel (IkeSaRekeyed) is a "Progress IPsec phase 1" record; init says who renewed.
        var progress = GatewayLogEvents.Records(Path.ChangeExtension(gateway.ConfigPath, ".events.log"))
            .Where(r => r.GetValueOrDefault("logid") == Phase1ProgressLogId && r.GetValueOrDefault("vpntunnel") == Phase1).ToList();
        int renewals = progress.Count;
        int byPeer = progress.Count(r => r.GetValueOrDefault("init") == "remote");
        int rekeys = GatewayLogEvents.AddedSas(log).Count - addedBefore;
        string measured = $"ping: {summary}; ISAKMP renewals with IPsec SAs carried over: {renewals} ({byPeer} by strongSwan); IPsec SAs added: {rekeys}";
        scenario.Require(summary is { Transmitted: 2000, Lost: 0 }, $"no ping lost across the renewals and rekeys\n{measured}");
        scenario.Require(renewals >= 3 && byPeer >= 2, $"three phase-1 renewals (one by SharpSwan, two by strongSwan)\n{measured}");
        scenario.Require(rekeys >= 3, $"three phase-2 rekeys (one by SharpSwan, two by strongSwan)\n{measured}");
        // strongSwan's IKEv1 keeps its rekeyed CHILD_SAs and re-authenticated IKE_SAs until they expire (delete_rekeyed = no),
        // so the ends do not settle on one SA while it keeps rekeying; what must hold is that SharpSwan holds no SA
        // strongSwan has dropped.
        string? stale = null;
        scenario.WaitFor(
            () => (stale = StaleSpis(gateway, branch)) is null,
            TimeSpan.FromSeconds(20),
            $"every IPsec SA SharpSwan holds is one strongSwan still has; stale: {stale}");
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA, count: 3);
        TimeSpan renewalPart = clock.Elapsed;

        gateway.Note("killing charon in B with SIGKILL");
        branch.Kill();
        scenario.Require(branch.HasExited, "charon is gone after SIGKILL");
        Thread.Sleep(TimeSpan.FromSeconds(2));
        var sinceRestart = Stopwatch.StartNew();
        StrongSwanPeer restarted = scenario.StartStrongSwan(scenario.B, connection with { StartAction = "start", IkeRekeyTime = null, IkeOverTime = null, IkeRandTime = null, ChildRekeyTime = null, ChildRandTime = null, ChildLifeTime = null }, "B-restarted");
        scenario.WaitFor(() => restarted.InstalledChildSas().Count == 1, EstablishTimeout, "the restarted charon (start_action = start) brings the tunnel back without traffic");
        scenario.WaitFor(
            () => FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")) is [var spi] && restarted.InstalledChildSas()[0].InboundSpi == spi,
            TimeSpan.FromSeconds(10),
            "SharpSwan dropped the stale SAs and sends on the new one");
        TimeSpan back = sinceRestart.Elapsed;
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 3);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA, count: 3);
        output.WriteLine($"{measured}\nrenewal part {renewalPart.TotalSeconds:0} s; tunnel back {back.TotalSeconds:0.0} s after charon's restart; test {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>
    /// strongSwan opens the IPsec SA with a 30 s lifetime and never rekeys it; SharpSwan (no keepalive, no auto-negotiate)
    /// adopts that lifetime as responder (RFC 2407 §4.5.4: the shorter binds both). Without traffic the SA expires on both ends and stays down; one ping from
    /// SharpSwan's LAN brings a new one (on-demand, over the same ISAKMP SA).
    /// </summary>
    [Fact]
    public void IdleIpsecSa_ExpiresOnBothEnds_AndOnlyTrafficBringsANewOne()
    {
        var clock = Stopwatch.StartNew();
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1LifecycleInteropTests) + "_" + nameof(IdleIpsecSa_ExpiresOnBothEnds_AndOnlyTrafficBringsANewOne));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, Ikev1Branch(scenario) with { ChildRekeyTime = "0", ChildLifeTime = "30s" }, "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, Ikev1Config(scenario) with { Phase2Keepalive = false, Phase2AutoNegotiate = false }, "A", timestampLines: true);
        ProcessResult initiate = branch.Initiate();
        scenario.Require(initiate.Succeeded, $"swanctl --initiate succeeds over IKEv1; got {initiate.Describe()}");
        // No ping here: any traffic within the SA's 30 s would count as recent at its soft point (the window is at least 30 s).
        scenario.WaitFor(
            () => branch.InstalledChildSas().Count == 1 && FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")).Count == 1,
            EstablishTimeout,
            "both ends hold the IPsec SA strongSwan opened");
        gateway.Note("no traffic from here on");

        scenario.Require(
            Wait.Until(() => SwanctlListing.ChildSas(branch.ListSas()).Count == 0 && FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")).Count == 0, TimeSpan.FromSeconds(45), TimeSpan.FromSeconds(1)),
            "the idle IPsec SA is gone from strongSwan and SharpSwan about 30 s after it was made");
        scenario.Require(
            Wait.Holds(() => SwanctlListing.ChildSas(branch.ListSas()).Count == 0, TimeSpan.FromSeconds(6), TimeSpan.FromSeconds(1)),
            "phase 2 stays down without traffic");
        scenario.Require(GatewayLogEvents.AddedSas(gateway.Output).Count == 1, "SharpSwan let the idle SA expire instead of rekeying it (it added no IPsec SA after the first)");

        gateway.Note("one echo request to trigger negotiation");
        Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, 1);
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, TimeSpan.FromSeconds(15), "traffic brings a new IPsec SA");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 3);
        output.WriteLine($"test {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>
    /// strongSwan initiates aggressive mode (aggressive = yes) with FQDN identities; SharpSwan answers on a phase 1 with
    /// mode aggressive, peerid and localid, and quick mode with PFS follows. Pings both ways.
    /// </summary>
    [Fact]
    public void StrongSwanInitiatesAggressiveMode_WithFqdnIds_PingsBothWays()
    {
        var clock = Stopwatch.StartNew();
        using InteropScenario scenario = InteropScenario.Create(nameof(Ikev1LifecycleInteropTests) + "_" + nameof(StrongSwanInitiatesAggressiveMode_WithFqdnIds_PingsBothWays));
        StrongSwanPeer branch = scenario.StartStrongSwan(
            scenario.B, Ikev1Branch(scenario) with { Aggressive = true, LocalId = "branch.example.com", RemoteId = "hq.example.com" }, "B");
        SharpSwanGateway gateway = scenario.StartSharpSwan(
            scenario.A, Ikev1Config(scenario) with { Phase1Mode = "aggressive", LocalId = "hq.example.com", PeerId = "branch.example.com" }, "A");
        ProcessResult initiate = branch.Initiate();
        scenario.Require(initiate.Succeeded, $"swanctl --initiate succeeds over IKEv1 aggressive mode; got {initiate.Describe()}");
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, EstablishTimeout, "strongSwan lists an INSTALLED CHILD_SA");
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA, count: 3);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 3);
        string gatewayList = gateway.Cli("diagnose vpn ike gateway list");
        scenario.Require(gatewayList.Contains("peer-id: branch.example.com", StringComparison.Ordinal), $"the gateway list shows the peer's FQDN id; got:\n{gatewayList}");
        output.WriteLine($"test {clock.Elapsed.TotalSeconds:0} s");
    }

    /// <summary>SharpSwan's outbound SPIs that strongSwan no longer lists as its inbound SPIs; null when there are none.</summary>
    private static string? StaleSpis(SharpSwanGateway gateway, StrongSwanPeer branch)
    {
        var known = SwanctlListing.ChildSas(branch.ListSas()).Select(c => c.InboundSpi).ToHashSet();
        var stale = FortiOsOutput.EncryptSpis(gateway.Cli("diagnose vpn tunnel list")).Where(spi => !known.Contains(spi)).ToList();
        return stale.Count == 0 ? null : string.Join(", ", stale.Select(s => s.ToString("x8", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
