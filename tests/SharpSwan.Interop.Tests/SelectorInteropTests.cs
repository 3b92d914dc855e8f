using System.Globalization;
using System.Text.RegularExpressions;
using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Issue 11 item 5: protocol and port selectors against strongSwan. The branch's child covers only TCP to port 443 on its
/// LAN (<c>local_ts = 10.2.0.0/24[tcp/443]</c>); SharpSwan's phase 2 names the same (<c>protocol 6</c>, <c>dst-port 443</c>).
/// TCP to 443 crosses the tunnel; TCP to another port and ICMP never enter the SA (strongSwan's inbound packet count
/// does not move while they are tried).
/// </summary>
public sealed partial class SelectorInteropTests
{
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(30);

    /// <param name="gatewayNamesThem">True: SharpSwan's phase 2 names protocol 6 and port 443 too. False: it proposes the
    /// whole subnets and strongSwan, the responder, narrows the child to TCP/443, which SharpSwan must then enforce.</param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_tcp443_only_child_carries_tcp_to_443_and_nothing_else(bool gatewayNamesThem)
    {
        using InteropScenario scenario = InteropScenario.Create(
            $"{nameof(A_tcp443_only_child_carries_tcp_to_443_and_nothing_else)}-{(gatewayNamesThem ? "configured" : "narrowed")}");
        StrongSwanPeer branch = scenario.StartStrongSwan(
            scenario.B,
            scenario.BranchConnection() with
            {
                LocalSubnet = TwoSiteTopology.LanSubnetB + "[tcp/443]",
                RemoteSubnet = TwoSiteTopology.LanSubnetA + "[tcp]",
            },
            "B");
        SharpSwanConfig config = scenario.HeadquartersConfig();
        SharpSwanGateway gateway = scenario.StartSharpSwan(
            scenario.A, gatewayNamesThem ? config with { Phase2Protocol = 6, Phase2DestinationPort = 443 } : config, "A");
        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitForChildSa(branch, gateway, EstablishTimeout, "strongSwan lists an INSTALLED CHILD_SA for tcp/443");
        string tunnel = gateway.Cli("diagnose vpn tunnel list name to-branch");
        scenario.Require(
            tunnel.Contains("  dst: 6:10.2.0.0-10.2.0.255:443\n", StringComparison.Ordinal) && tunnel.Contains("  src: 6:10.1.0.0-10.1.0.255:0\n", StringComparison.Ordinal),
            $"the gateway's child holds the TCP/443 selectors; got:\n{tunnel}");

        IperfResult https = Traffic.Iperf3Tcp(
            scenario.A, TwoSiteTopology.LanAddressA, scenario.B, TwoSiteTopology.LanAddressB, seconds: 2, scenario.DiagnosticsDirectory, port: 443);
        scenario.Require(https.Completed && https.ReceivedMbitsPerSecond > 0, $"TCP to port 443 crosses the tunnel; got:\n{https.Output}");
        long before = InboundPackets(branch);
        scenario.Require(before > 0, $"strongSwan counted the TCP/443 packets on its inbound SA; got:\n{branch.ListSas()}");

        int replies = Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 3);
        IperfResult other = Traffic.Iperf3Tcp(
            scenario.A, TwoSiteTopology.LanAddressA, scenario.B, TwoSiteTopology.LanAddressB, seconds: 1, scenario.DiagnosticsDirectory, port: 5201);
        long after = InboundPackets(branch);

        scenario.Require(replies == 0, $"ICMP is outside the child's selectors: no echo reply; got {replies}");
        scenario.Require(!other.Completed, $"TCP to port 5201 is outside the child's selectors: no connection; got:\n{other.Output}");
        scenario.Require(after == before, $"nothing but TCP/443 entered the SA: strongSwan's inbound packets stay {before}; got {after}:\n{branch.ListSas()}");
    }

    /// <summary>The inbound packet count of strongSwan's child SA (<c>in  SPI (...),  N bytes,  M packets</c>).</summary>
    private static long InboundPackets(StrongSwanPeer branch)
    {
        Match match = InboundCounters().Match(branch.ListSas());
        return match.Success ? long.Parse(match.Groups["packets"].Value, CultureInfo.InvariantCulture) : -1;
    }

    [GeneratedRegex(@"\bin\s+[0-9a-f]{8}[^,\n]*,\s*\d+ bytes,\s*(?<packets>\d+) packets")]
    private static partial Regex InboundCounters();
}
