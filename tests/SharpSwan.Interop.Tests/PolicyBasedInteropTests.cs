using System.Globalization;
using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// Policy-based IPsec (config vpn ipsec phase1/phase2 + config firewall policy action ipsec) against strongSwan: the
/// gateway's nftables table marks what an ipsec policy matches, an ip rule steers it to the tunnel's TUN device, and the
/// packet core does the rest as for route-based tunnels.
/// </summary>
public sealed class PolicyBasedInteropTests
{
    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(40);

    /// <summary>strongSwan in B with one child per subnet pair (c, c1, ...), none started by strongSwan.</summary>
    private static StrongSwanPeer StartBranch(InteropScenario scenario, int pairs)
    {
        var conf = scenario.BranchConnection().RenderSwanctlConf();
        const string childStart = "      c {";
        var start = conf.IndexOf(childStart, StringComparison.Ordinal);
        var end = conf.IndexOf("      }\n", start, StringComparison.Ordinal) + "      }\n".Length;
        var child = conf[start..end];
        var children = string.Concat(Enumerable.Range(0, pairs).Select(pair => child
            .Replace(childStart, pair == 0 ? childStart : $"      c{pair} {{", StringComparison.Ordinal)
            .Replace(TwoSiteTopology.LanSubnetB, $"10.2.{pair}.0/24", StringComparison.Ordinal)
            .Replace(TwoSiteTopology.LanSubnetA, $"10.1.{pair}.0/24", StringComparison.Ordinal)));
        for (var pair = 1; pair < pairs; pair++)
        {
            scenario.B.AddLoopbackAddress($"10.2.{pair}.1/32");
            scenario.A.Run("ip", "addr", "add", $"10.1.{pair}.1/24", "dev", "lan0");
        }

        return StartCharon(scenario, conf[..start] + children + conf[end..], "B");
    }

    private static StrongSwanPeer StartCharon(InteropScenario scenario, string conf, string label) =>
        scenario.StartStrongSwan(scenario.B, conf, label);

    /// <summary>Starts SharpSwan in A (with the default route a policy-based FortiGate has towards its WAN).</summary>
    private static SharpSwanGateway StartHeadquarters(InteropScenario scenario, PolicyBasedConfig config)
    {
        scenario.A.Run("ip", "route", "add", "default", "via", TwoSiteTopology.WanAddressB, "dev", TwoSiteTopology.WanInterface);
        return scenario.StartSharpSwan(scenario.A, config.Render(), "A");
    }

    private static (int Total, int Up)? Selectors(SharpSwanGateway gateway) =>
        FortiOsOutput.Selectors(gateway.Cli("get vpn ipsec tunnel summary"), PolicyBasedConfig.Phase1);

    private static long DeviceTxPackets(InteropScenario scenario, string device) =>
        long.Parse(scenario.A.Exec("cat", $"/sys/class/net/{device}/statistics/tx_packets").StandardOutput.Trim(), CultureInfo.InvariantCulture);

    private static long PolicyHits(InteropScenario scenario, int policyId)
    {
        var listing = scenario.A.Exec("nft", "list", "counter", "ip", "sharpswan", $"policy_{policyId}").StandardOutput;
        var match = System.Text.RegularExpressions.Regex.Match(listing, @"packets (\d+)");
        return match.Success ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : -1;
    }

    private static string Conntrack(InteropScenario scenario) => scenario.A.Exec("cat", "/proc/net/nf_conntrack").StandardOutput;

    /// <summary>A's conntrack entries of ICMP between the two LANs.</summary>
    private static int PingSessions(InteropScenario scenario) =>
        Conntrack(scenario).Split('\n').Count(l => l.Contains(" icmp ", StringComparison.Ordinal)
            && l.Contains($"src={TwoSiteTopology.LanAddressA} dst={TwoSiteTopology.LanAddressB} ", StringComparison.Ordinal));

    [Fact]
    public void ArticleExample_ComesUpWithoutTraffic_CarriesPingsBothWays_AndUnmatchedTrafficStaysOut()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(ArticleExample_ComesUpWithoutTraffic_CarriesPingsBothWays_AndUnmatchedTrafficStaysOut));
        StrongSwanPeer branch = StartBranch(scenario, 1);
        SharpSwanGateway gateway = StartHeadquarters(scenario, new PolicyBasedConfig { PreSharedKey = scenario.PreSharedKey });

        // auto-negotiate: the SA comes up with no traffic at all.
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, EstablishTimeout, "strongSwan lists one INSTALLED CHILD_SA without any traffic");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        scenario.Require(PolicyHits(scenario, 1) >= 2, "the ipsec policy's nftables counter counted the connections in both directions");
        var report = gateway.Cli("diagnose firewall policy list");
        var hits = System.Text.RegularExpressions.Regex.Match(report, @"policy index=1 name=""hq-to-branch-0"".*?hit_count=(\d+)", System.Text.RegularExpressions.RegexOptions.Singleline);
        scenario.Require(hits.Success && long.Parse(hits.Groups[1].Value, CultureInfo.InvariantCulture) >= 2, $"diagnose firewall policy list shows policy 1's hits; got:\n{report}");

        // diagnose sys session clear: the gateway (running without root) empties its namespace's connection tracking, and
        // the next pings are decided by the policy again and pass.
        scenario.Require(PingSessions(scenario) > 0, $"the pings left conntrack entries in A:\n{Conntrack(scenario)}");
        var sessions = gateway.Cli("diagnose sys session list");
        scenario.Require(
            sessions.Contains($"tunnel={PolicyBasedConfig.Phase1}/\n", StringComparison.Ordinal)
                && sessions.Contains($"act=noop {TwoSiteTopology.LanAddressA}:", StringComparison.Ordinal)
                && sessions.Contains("total session ", StringComparison.Ordinal),
            $"diagnose sys session list shows the pings' sessions and the tunnel the ipsec policy sent them to; got:\n{sessions}");
        var tcpOnly = gateway.CliSession("diagnose sys session filter proto 6", "diagnose sys session clear");
        scenario.Require(tcpOnly.Succeeded && tcpOnly.StandardOutput.Length == 0, $"a clear filtered on TCP succeeds silently; got {tcpOnly.Describe()}");
        scenario.Require(PingSessions(scenario) > 0, $"a clear filtered on TCP leaves the ping sessions:\n{Conntrack(scenario)}");
        var cleared = gateway.Cli("diagnose sys session clear");
        scenario.Require(cleared.Length == 0, $"diagnose sys session clear succeeds silently; got:\n{cleared}");
        scenario.Require(PingSessions(scenario) == 0, $"no conntrack entry of the pings is left in A:\n{Conntrack(scenario)}");
        var policyHits = PolicyHits(scenario, 1);
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.Require(PolicyHits(scenario, 1) > policyHits, "the next ping was a new connection that policy 1 decided again");

        // From the WAN address (not in hq-lan) no policy matches: nothing enters the tunnel device.
        var before = DeviceTxPackets(scenario, "ssw-pol1");
        Traffic.Ping(scenario.A, TwoSiteTopology.WanAddressA, TwoSiteTopology.LanAddressB, 3);
        scenario.Require(DeviceTxPackets(scenario, "ssw-pol1") == before, $"no packet of the unmatched ping entered ssw-pol1 (tx_packets stayed {before})");
    }

    [Fact]
    public void DebugFlow_ShowsTheTriggeringPingDropped_ThenThePolicySATunnelAndAnswerOfTheNext()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(DebugFlow_ShowsTheTriggeringPingDropped_ThenThePolicySATunnelAndAnswerOfTheNext));
        StrongSwanPeer branch = StartBranch(scenario, 1);
        SharpSwanGateway gateway = StartHeadquarters(scenario, new PolicyBasedConfig { PreSharedKey = scenario.PreSharedKey, AutoNegotiate = false });

        // As an admin types it: filter, trace start, debug enable; the stream ends by itself after three packets.
        using BackgroundProcess flow = scenario.StartFlowTrace(
            gateway, 3, $"diagnose debug flow filter addr {TwoSiteTopology.LanAddressB}", "diagnose debug flow filter proto 1");

        // On demand: the first ping triggers the negotiation and is dropped; the next one crosses and is answered.
        var first = Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 1);
        scenario.Require(first == 0, "the triggering echo request is dropped while the SA is negotiated");
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, EstablishTimeout, "the first ping triggered a negotiation: strongSwan lists an INSTALLED CHILD_SA");
        var second = Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 1);
        scenario.Require(flow.WaitForExit(TimeSpan.FromSeconds(30)), $"the flow trace ends after three packets; output:\n{string.Join('\n', flow.Lines())}");
        scenario.Require(second == 1, "the second echo request is answered through the tunnel");

        var lines = flow.Lines().Where(l => l.StartsWith("id=20085 ", StringComparison.Ordinal)).ToList();
        var output = string.Join('\n', flow.Lines());
        string Trace(int number) => string.Join('\n', lines.Where(l => l.StartsWith($"id=20085 trace_id={number} ", StringComparison.Ordinal)));
        var phase2 = PolicyBasedConfig.Phase2Name(0);
        var triggering = Trace(1);
        scenario.Require(
            triggering.Contains($"received a packet(proto=1, {TwoSiteTopology.LanAddressA}:", StringComparison.Ordinal)
                && triggering.Contains($"->{TwoSiteTopology.LanAddressB}:2048) from local. type=8, code=0, ", StringComparison.Ordinal)
                && System.Text.RegularExpressions.Regex.IsMatch(triggering, "msg=\"allocate a new session-[0-9a-f]{8}\"")
                && triggering.Contains("msg=\"Allowed by Policy-1: encrypt\"", StringComparison.Ordinal)
                && triggering.Contains($"msg=\"find a route: gw-{TwoSiteTopology.LanAddressB} via {PolicyBasedConfig.Phase1}\"", StringComparison.Ordinal)
                && triggering.Contains($"msg=\"enter IPSec tunnel-{PolicyBasedConfig.Phase1}\"", StringComparison.Ordinal)
                && triggering.Contains($"msg=\"no SA for phase2 {phase2}: negotiation triggered, packet dropped\"", StringComparison.Ordinal),
            $"the triggering request's trace shows the ipsec policy, the tunnel, and the packet core dropping it while it negotiates; output:\n{output}");
        scenario.Require(
            System.Text.RegularExpressions.Regex.IsMatch(
                Trace(2),
                $"msg=\"encrypted by SA spi=[0-9a-f]{{8}} of phase2 {phase2}, and send to {TwoSiteTopology.WanAddressB} with source {TwoSiteTopology.WanAddressA}\""),
            $"the next request's trace shows the SA it was encrypted on and the peer it went to; output:\n{output}");
        // The second request allocated the session its answer finds, and the session list knows it by that serial and policy.
        var allocated = System.Text.RegularExpressions.Regex.Match(Trace(2), "msg=\"allocate a new session-(?<id>[0-9a-f]{8})\"");
        scenario.Require(allocated.Success, $"the next request allocates a session of its own; output:\n{output}");
        var session = allocated.Groups["id"].Value;
        var sessions = gateway.Cli("diagnose sys session list");
        scenario.Require(
            sessions.Contains($"misc=0 policy_id=1 vd=0\nserial={session}\n", StringComparison.Ordinal),
            $"diagnose sys session list shows serial={session}, admitted by policy 1 as the trace said; got:\n{sessions}");
        var table = gateway.Cli("get system session list");
        scenario.Require(
            System.Text.RegularExpressions.Regex.IsMatch(table, $@"(?m)^icmp +\d+ +{System.Text.RegularExpressions.Regex.Escape(TwoSiteTopology.LanAddressA)}:\d+ +- +{System.Text.RegularExpressions.Regex.Escape(TwoSiteTopology.LanAddressB)}:8 +-$"),
            $"get system session list has the pings' session, without NAT; got:\n{table}");
        var answer = Trace(3);
        scenario.Require(
            answer.Contains($"received a packet(proto=1, {TwoSiteTopology.LanAddressB}:", StringComparison.Ordinal)
                && answer.Contains($") from {PolicyBasedConfig.Phase1}. type=0, code=0, ", StringComparison.Ordinal)
                && answer.Contains($"msg=\"Find an existing session, id-{session}, reply direction\"", StringComparison.Ordinal)
                && System.Text.RegularExpressions.Regex.IsMatch(
                    answer, $"msg=\"decrypted by SA spi=[0-9a-f]{{8}} of phase2 {phase2}, received from {TwoSiteTopology.WanAddressB} on {TwoSiteTopology.WanAddressA}\""),
            $"the echo reply's trace shows the SA it was decrypted on, then it coming from the tunnel in the existing session; output:\n{output}");
        scenario.Require(!lines.Any(l => l.StartsWith("id=20085 trace_id=4 ", StringComparison.Ordinal)), "nothing past the count is traced");
        scenario.Require(!scenario.A.Exec("nft", "list", "table", "ip", "sharpswan_trace").Succeeded, "the trace table is gone once the trace ended");
    }

    [Fact]
    public void OnDemand_TheFirstMatchingPacketTriggersNegotiation_ThenPingsPass()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(OnDemand_TheFirstMatchingPacketTriggersNegotiation_ThenPingsPass));
        StrongSwanPeer branch = StartBranch(scenario, 1);
        SharpSwanGateway gateway = StartHeadquarters(scenario, new PolicyBasedConfig { PreSharedKey = scenario.PreSharedKey, AutoNegotiate = false });

        // Nothing is negotiated without traffic (phase 1 up at most; no child SA on either side).
        scenario.Require(
            Wait.Holds(() => branch.InstalledChildSas().Count == 0 && Selectors(gateway) is (1, 0), TimeSpan.FromSeconds(5)),
            $"on demand: no CHILD_SA without traffic; SharpSwan shows {Selectors(gateway)}");
        var received = Traffic.Ping(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB, count: 3);
        scenario.Require(received < 3, $"the triggering echo request is dropped while the SA is negotiated; {received} of 3 answered");
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, EstablishTimeout, "the first matching packet triggered a negotiation: strongSwan lists an INSTALLED CHILD_SA");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
        scenario.Require(Selectors(gateway) is (1, 1), $"SharpSwan shows selectors 1/1; got {Selectors(gateway)}");

        // diagnose vpn tunnel list shows the policy-based tunnel the FortiOS way: tun=tunnel (route-based: tun=intf).
        var list = gateway.Cli($"diagnose vpn tunnel list name {PolicyBasedConfig.Phase1}");
        scenario.Require(
            list.Contains("tun=tunnel ", StringComparison.Ordinal) && list.Contains($"proxyid={PolicyBasedConfig.Phase2Name(0)} ", StringComparison.Ordinal),
            $"diagnose vpn tunnel list marks the tunnel tun=tunnel and lists its phase 2; got:\n{list}");

        // On exit the gateway removes what it installed: its nftables table and its fwmark rules.
        scenario.Require(scenario.A.Exec("nft", "list", "table", "ip", "sharpswan").Succeeded, "the gateway's nftables table exists while it runs");
        gateway.Dispose();
        scenario.Require(!scenario.A.Exec("nft", "list", "table", "ip", "sharpswan").Succeeded, "the nftables table ip sharpswan is gone after the gateway stopped");
        var rules = scenario.A.Exec("ip", "rule").StandardOutput;
        scenario.Require(!rules.Contains("0x5353", StringComparison.Ordinal), $"no fwmark rule of the gateway is left; ip rule:\n{rules}");
    }

    [Fact]
    public void AutoNegotiate_PeerKilledAndRestarted_Phase2ComesBackWithoutTraffic()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(AutoNegotiate_PeerKilledAndRestarted_Phase2ComesBackWithoutTraffic));
        StrongSwanPeer branch = StartBranch(scenario, 1);
        var conf = File.ReadAllText(branch.SwanctlConfPath);
        SharpSwanGateway gateway = StartHeadquarters(scenario, new PolicyBasedConfig { PreSharedKey = scenario.PreSharedKey, DpdOnIdleSeconds = 2 });
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1 && Selectors(gateway) is (1, 1), EstablishTimeout, "auto-negotiate brings the SA up with no traffic");

        // A crash: no DELETE reaches SharpSwan, which learns of it through DPD and then retries every 5 s on its own.
        gateway.Note("killing charon in B with SIGKILL");
        branch.Kill();
        scenario.Require(branch.HasExited, "charon is gone after SIGKILL");
        scenario.WaitFor(() => Selectors(gateway) is (1, 0), TimeSpan.FromSeconds(20), "SharpSwan notices the dead peer (DPD) and shows selectors 1/0");
        StrongSwanPeer restarted = StartCharon(scenario, conf, "B-restarted");
        gateway.Note("charon in B restarted (it will not initiate)");
        scenario.WaitFor(
            () => restarted.InstalledChildSas().Count == 1,
            TimeSpan.FromSeconds(12),
            "with no traffic, the 5-second retry brings phase 2 back: the restarted charon lists an INSTALLED CHILD_SA");
        scenario.WaitFor(() => Selectors(gateway) is (1, 1), TimeSpan.FromSeconds(5), "SharpSwan shows selectors 1/1 again");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA);
    }

    [Fact]
    public void InboundDisable_BlocksConnectionsTheBranchStarts_WhileRepliesToOursPass()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(InboundDisable_BlocksConnectionsTheBranchStarts_WhileRepliesToOursPass));
        StrongSwanPeer branch = StartBranch(scenario, 1);
        StartHeadquarters(scenario, new PolicyBasedConfig { PreSharedKey = scenario.PreSharedKey, Inbound = false });
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, EstablishTimeout, "strongSwan lists one INSTALLED CHILD_SA");

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        var blocked = Traffic.Ping(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA, 3);
        scenario.Require(blocked == 0, $"pings the branch starts get no reply with inbound disable; got {blocked}/3");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
    }

    [Fact]
    public void SecondPhase2_HasItsOwnSa_AndALivePolicyChangeLeavesTheOtherSpisAlone()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(SecondPhase2_HasItsOwnSa_AndALivePolicyChangeLeavesTheOtherSpisAlone));
        StrongSwanPeer branch = StartBranch(scenario, 2);
        SharpSwanGateway gateway = StartHeadquarters(scenario, new PolicyBasedConfig { PreSharedKey = scenario.PreSharedKey, SubnetPairs = 2 });
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 2, EstablishTimeout, "strongSwan lists two INSTALLED CHILD_SAs, one per phase 2");
        var children = branch.InstalledChildSas();
        scenario.Require(children.Select(c => c.InboundSpi).Distinct().Count() == 2, "the two phase 2s have different SAs");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.RequirePing(scenario.A, "10.1.1.1", "10.2.1.1");

        var first = children.Single(c => c.Name == "c");
        ProcessResult change = gateway.CliSession("config firewall policy", "edit 2", "set status disable", "next", "end");
        scenario.Require(change.Succeeded, $"the live policy change is applied; got {change.Describe()}");

        // Policy 2 no longer sends its pair into the tunnel (FortiOS: traffic no ipsec policy matches leaves in clear).
        var before = DeviceTxPackets(scenario, "ssw-pol1");
        Traffic.Ping(scenario.A, "10.1.1.1", "10.2.1.1", 3);
        scenario.Require(DeviceTxPackets(scenario, "ssw-pol1") == before, "with policy 2 disabled, its traffic does not enter ssw-pol1");
        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        scenario.Require(
            branch.InstalledChildSas().Any(c => c.Name == "c" && c.InboundSpi == first.InboundSpi && c.OutboundSpi == first.OutboundSpi),
            $"the first phase 2 keeps its SPIs {first.InboundSpi:x8}/{first.OutboundSpi:x8}");
    }

    [Fact]
    public void RouteBased_WithAPolicyTable_DropsAndCountsTrafficNoAcceptPolicyAllows()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(RouteBased_WithAPolicyTable_DropsAndCountsTrafficNoAcceptPolicyAllows));
        StrongSwanPeer branch = scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "B");
        scenario.A.Run("ip", "addr", "add", "10.1.0.2/24", "dev", "lan0");
        SharpSwanConfig config = scenario.HeadquartersConfig() with
        {
            Phase2AutoNegotiate = true,
            ExtraConfiguration = """
                config firewall address
                    edit "hq-host"
                        set subnet 10.1.0.1 255.255.255.255
                    next
                end
                config firewall policy
                    edit 1
                        set srcintf "any"
                        set dstintf "to-branch"
                        set srcaddr "hq-host"
                        set dstaddr "all"
                        set action accept
                        set schedule "always"
                        set service "ALL"
                    next
                end
                """,
        };
        scenario.StartSharpSwan(scenario.A, config, "A");
        scenario.WaitFor(() => branch.InstalledChildSas().Count == 1, EstablishTimeout, "strongSwan lists one INSTALLED CHILD_SA (policy 1 refers to the tunnel)");

        scenario.RequirePing(scenario.A, TwoSiteTopology.LanAddressA, TwoSiteTopology.LanAddressB);
        var denied = PolicyHits(scenario, 0);
        var fromOtherHost = Traffic.Ping(scenario.A, "10.1.0.2", TwoSiteTopology.LanAddressB, 3);
        var fromBranch = Traffic.Ping(scenario.B, TwoSiteTopology.LanAddressB, TwoSiteTopology.LanAddressA, 3);
        scenario.Require(fromOtherHost == 0 && fromBranch == 0, $"traffic no accept policy allows is dropped; replies {fromOtherHost}/3 and {fromBranch}/3");
        scenario.Require(PolicyHits(scenario, 0) >= denied + 2, $"the implicit deny counted the dropped connections ({denied} before, {PolicyHits(scenario, 0)} after)");
    }
}
