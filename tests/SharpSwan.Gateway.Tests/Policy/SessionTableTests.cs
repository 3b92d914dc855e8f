using SharpSwan.Config;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Policy;

/// <summary>
/// FortiOS: a policy change "immediately affects live traffic. Existing sessions are not re-evaluated unless sessions are
/// cleared". The kernel does the same with the policies' nftables rules (a connection is decided once, then its conntrack
/// entry lets it through), and <see cref="SessionTable.Clear"/> (`diagnose sys session clear`, with or without a filter)
/// is what makes the policies decide an existing connection again. Real ruleset, real conntrack, in a namespace of the
/// test's own.
/// </summary>
public sealed class SessionTableTests
{
    internal static readonly PolicyTunnelDevice Device = new("to-branch", 1);

    private static readonly PacketFlow Flow = new(0x0a010005, 0xc000024d, 17, 20000, 53, true); // 10.1.0.5:20000 -> 192.0.2.77:53 UDP

    private static readonly PacketFlow Other = new(0x0a010005, 0xc000024d, 17, 20001, 123, true); // 10.1.0.5:20001 -> 192.0.2.77:123 UDP

    [Fact]
    public void A_reordered_deny_reaches_an_existing_connection_only_after_the_sessions_are_cleared()
    {
        Assert.True(ProcessPrivileges.IsRoot, "root is required: the test creates a network namespace and TUN devices");
        using var lab = new PolicyNamespaceLab(Device);
        lab.Load(Ruleset(acceptFirst: true));

        Assert.Equal(NftRuleset.CounterName(1), lab.Send(lab.Lan, Flow));
        Assert.Null(lab.Send(lab.Wan, Flow.Reversed)); // the answer: established, no policy decides it

        // Deny moved above accept: the existing connection is not decided again.
        lab.Load(Ruleset(acceptFirst: false));
        Assert.Null(lab.Send(lab.Lan, Flow));

        lab.InNamespace(() => SessionTable.Clear(SessionFilter.None));
        Assert.Equal(NftRuleset.CounterName(2), lab.Send(lab.Lan, Flow));
        Assert.Equal(NftRuleset.CounterName(2), lab.Send(lab.Lan, Flow)); // denied: nothing is remembered for it
    }

    [Fact]
    public void A_filtered_clear_deletes_only_the_sessions_the_filter_matches()
    {
        Assert.True(ProcessPrivileges.IsRoot, "root is required: the test creates a network namespace and TUN devices");
        using var lab = new PolicyNamespaceLab(Device);
        lab.Load(Ruleset(acceptFirst: true));
        foreach (var flow in new[] { Flow, Other })
        {
            Assert.Equal(NftRuleset.CounterName(1), lab.Send(lab.Lan, flow));
            Assert.Null(lab.Send(lab.Wan, flow.Reversed));
        }

        lab.Load(Ruleset(acceptFirst: false));
        var filter = SessionFilter.Apply(SessionFilter.None, ["dport", "53"], out var error);
        Assert.Null(error);
        var deleted = 0;
        lab.InNamespace(() => deleted = SessionTable.Clear(filter!));

        Assert.Equal(1, deleted);
        Assert.Equal(NftRuleset.CounterName(2), lab.Send(lab.Lan, Flow));
        Assert.Null(lab.Send(lab.Lan, Other)); // not matched: still the accepted session

        // Negated: everything but port 53, so now the other one goes too.
        filter = SessionFilter.Apply(filter!, ["negate", "dport"], out error);
        Assert.Null(error);
        lab.InNamespace(() => deleted = SessionTable.Clear(filter!));
        Assert.Equal(1, deleted);
        Assert.Equal(NftRuleset.CounterName(2), lab.Send(lab.Lan, Other));
    }

    [Fact]
    public void The_list_reads_each_sessions_tuple_state_and_the_mark_of_its_tunnel()
    {
        Assert.True(ProcessPrivileges.IsRoot, "root is required: the test creates a network namespace and TUN devices");
        using var lab = new PolicyNamespaceLab(Device);
        lab.Load(Ruleset(acceptFirst: true));
        var toBranch = new PacketFlow(0x0a010005, 0x0a020009, 17, 20002, 500, true); // 10.1.0.5 -> 10.2.0.9: the ipsec policy
        Assert.Equal(NftRuleset.CounterName(3), lab.Send(lab.Lan, toBranch));
        Assert.Equal(NftRuleset.CounterName(1), lab.Send(lab.Lan, Flow));
        Assert.Null(lab.Send(lab.Wan, Flow.Reversed));

        List<ConnectionEntry> sessions = [];
        lab.InNamespace(() => sessions = ConnectionTracking.ListIPv4());
        var answered = Assert.Single(sessions, s => s.Protocol == 17 && s.SourcePort == Flow.SourcePort);
        Assert.Equal((Flow.Source, Flow.Destination, Flow.DestinationPort), (answered.Source, answered.Destination, answered.DestinationPort));
        Assert.True(answered.SeenReply);
        Assert.True(answered.ExpiresInSeconds > 0);
        Assert.Equal(0u, answered.Mark);
        Assert.NotEqual(0u, answered.Id);
        var tunneled = Assert.Single(sessions, s => s.Destination == toBranch.Destination);
        Assert.Equal(Device.Mark, tunneled.Mark);
        Assert.False(tunneled.SeenReply);

        // Each session knows the policy that admitted it, from the labels its rule set.
        Assert.Equal((1L, 3L), (answered.PolicyId!.Value, tunneled.PolicyId!.Value));

        var report = SessionReport.Render([answered, tunneled], mark => mark == Device.Mark ? Device.Phase1 : null);
        Assert.Contains("session info: proto=17 proto_state=01 expire=", report, StringComparison.Ordinal);
        Assert.Contains("hook=pre dir=org act=noop 10.1.0.5:20000->192.0.2.77:53(0.0.0.0:0)\n", report, StringComparison.Ordinal);
        Assert.Contains("session info: proto=17 proto_state=00 expire=", report, StringComparison.Ordinal);
        Assert.Contains("tunnel=to-branch/\n", report, StringComparison.Ordinal);
        Assert.Contains("misc=0 policy_id=1 vd=0\n", report, StringComparison.Ordinal);
        Assert.Contains("misc=0 policy_id=3 vd=0\n", report, StringComparison.Ordinal);
        Assert.EndsWith("total session 2\n", report, StringComparison.Ordinal);

        // `filter policy 3` then `clear` deletes the ipsec policy's session only.
        var byPolicy = SessionFilter.Apply(SessionFilter.None, ["policy", "3"], out var error);
        Assert.Null(error);
        var deleted = 0;
        lab.InNamespace(() => deleted = SessionTable.Clear(byPolicy!));
        Assert.Equal(1, deleted);
        lab.InNamespace(() => sessions = ConnectionTracking.ListIPv4());
        Assert.Equal(1L, Assert.Single(sessions).PolicyId);
    }

    /// <summary>Policy 3 (ipsec to 10.2.0.0/24), then accept UDP (1) and deny all (2), in that order or reversed.</summary>
    internal static string Ruleset(bool acceptFirst)
    {
        const string Accept = """
                edit 1
                    set srcintf "lan0"
                    set dstintf "wan0"
                    set srcaddr "all"
                    set dstaddr "all"
                    set action accept
                    set schedule "always"
                    set service "ALL_UDP"
                next
            """;
        const string Deny = """
                edit 2
                    set srcintf "lan0"
                    set dstintf "wan0"
                    set srcaddr "all"
                    set dstaddr "all"
                    set action deny
                    set schedule "always"
                    set service "ALL"
                next
            """;
        var text = $"""
            config vpn ipsec phase1
                edit "to-branch"
                    set interface "wan0"
                    set ike-version 2
                    set remote-gw 198.51.100.2
                    set psksecret "session-clear-psk"
                next
            end
            config vpn ipsec phase2
                edit "to-branch-p2"
                    set phase1name "to-branch"
                    set src-subnet 10.1.0.0 255.255.255.0
                    set dst-subnet 10.2.0.0 255.255.255.0
                next
            end
            config firewall address
                edit "branch-lan"
                    set subnet 10.2.0.0 255.255.255.0
                next
            end
            config firewall policy
                edit 3
                    set srcintf "lan0"
                    set dstintf "wan0"
                    set srcaddr "all"
                    set dstaddr "branch-lan"
                    set action ipsec
                    set schedule "always"
                    set service "ALL"
                    set vpntunnel "to-branch"
                next
            {(acceptFirst ? Accept + "\n" + Deny : Deny + "\n" + Accept)}
            end
            """;
        var parsed = ConfigurationLoader.Parse(text, "sessions.conf");
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));
        return NftRuleset.Render(parsed.Configuration!, new Dictionary<string, PolicyTunnelDevice> { [Device.Phase1] = Device });
    }
}
