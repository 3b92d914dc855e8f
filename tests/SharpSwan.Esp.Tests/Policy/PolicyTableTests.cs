using System.Net;
using SharpSwan.Config;
using SharpSwan.Esp.Core;
using SharpSwan.Esp.Policy;

namespace SharpSwan.Esp.Tests.Policy;

/// <summary>The shared policy decision: first match top-down, implicit deny, status, inbound/outbound, hit counts.</summary>
public sealed class PolicyTableTests
{
    private const string Base = """
        config firewall address
            edit "hq-lan"
                set subnet 10.1.0.0 255.255.255.0
            next
            edit "branch-lan"
                set subnet 10.2.0.0 255.255.255.0
            next
            edit "hq-host"
                set subnet 10.1.0.7 255.255.255.255
            next
        end
        config firewall addrgrp
            edit "both"
                set member "hq-lan" "branch-lan"
            next
        end
        config vpn ipsec phase1
            edit "to-branch"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.2
                set psksecret "policy-psk-secret"
            next
            edit "unused"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.9
                set psksecret "policy-psk-secret"
            next
        end
        config vpn ipsec phase1-interface
            edit "rb"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.3
                set psksecret "route-psk-secret"
            next
            edit "rb-unused"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.4
                set psksecret "route-psk-secret"
            next
        end
        """;

    private static readonly uint HqHost = Address("10.1.0.7");
    private static readonly uint HqOther = Address("10.1.0.9");
    private static readonly uint Branch = Address("10.2.0.5");
    private static readonly uint Elsewhere = Address("192.0.2.1");

    private static uint Address(string text) => CompiledPolicy.ToUInt32(IPAddress.Parse(text));

    private static GatewayConfiguration Configuration(params string[] policies)
    {
        var text = Base + "\nconfig firewall policy\n" + string.Concat(policies) + "end\n";
        var result = ConfigurationLoader.Parse(text, "policy.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
    }

    private static string Policy(int id, string action, string src = "hq-lan", string dst = "branch-lan", string srcintf = "lan", string dstintf = "eth0", params string[] extra) =>
        $"    edit {id}\n        set srcintf \"{srcintf}\"\n        set dstintf \"{dstintf}\"\n        set srcaddr \"{src}\"\n        set dstaddr \"{dst}\"\n"
        + $"        set action {action}\n        set schedule \"always\"\n        set service \"ALL\"\n"
        + (action == "ipsec" ? "        set vpntunnel \"to-branch\"\n" : "")
        + string.Concat(extra.Select(e => $"        {e}\n")) + "    next\n";

    [Fact]
    public void IpsecPolicy_SendsMatchingTrafficIntoItsTunnel()
    {
        var table = PolicyTable.Compile(Configuration(Policy(1, "ipsec")));
        var decision = table.Decide("lan", "eth0", HqHost, Branch);
        Assert.Equal(new PolicyDecision(1, PolicyVerdict.Ipsec, "to-branch"), decision);
        Assert.Equal(1, table.Policies[0].Hits);
    }

    [Fact]
    public void NoMatch_IsTheImplicitDenyAndIsCounted()
    {
        var table = PolicyTable.Compile(Configuration(Policy(1, "ipsec")));
        Assert.Equal(PolicyDecision.ImplicitDeny, table.Decide("lan", "eth0", HqHost, Elsewhere));
        Assert.Equal(PolicyDecision.ImplicitDeny, table.Decide("dmz", "eth0", HqHost, Branch));
        Assert.Equal(2, table.ImplicitDenyHits);
        Assert.Equal(0, table.Policies[0].Hits);
    }

    [Fact]
    public void FirstMatchTopDown_WinsOverALaterPolicy()
    {
        var table = PolicyTable.Compile(Configuration(Policy(5, "deny", src: "hq-host"), Policy(1, "ipsec")));
        Assert.Equal(new PolicyDecision(5, PolicyVerdict.Deny, null), table.Decide("lan", "eth0", HqHost, Branch));
        Assert.Equal(new PolicyDecision(1, PolicyVerdict.Ipsec, "to-branch"), table.Decide("lan", "eth0", HqOther, Branch));
    }

    [Fact]
    public void DisabledPolicy_IsSkipped()
    {
        var table = PolicyTable.Compile(Configuration(Policy(5, "deny", extra: "set status disable"), Policy(1, "ipsec")));
        Assert.Equal(1, table.Decide("lan", "eth0", HqHost, Branch).PolicyId);
        Assert.Equal(0, table.Policies[0].Hits);
    }

    [Fact]
    public void LocalOut_IgnoresSrcintf_AndOnlyIpsecPoliciesGovernItOutsideRouteBasedTunnels()
    {
        // FortiOS (KB 345095): traffic the gateway starts has no ingress interface; the policy lookup towards the egress
        // interface only looks for an ipsec policy, and what none matches leaves in clear.
        var table = PolicyTable.Compile(Configuration(
            Policy(5, "deny", src: "hq-host"),
            Policy(1, "ipsec", srcintf: "lan"),
            Policy(2, "accept", src: "hq-lan", dst: "all", srcintf: "lan", dstintf: "rb")));
        Assert.Equal(new PolicyDecision(1, PolicyVerdict.Ipsec, "to-branch"), table.DecideLocalOut("eth0", Flow(HqHost, Branch)));
        Assert.Equal(new PolicyDecision(0, PolicyVerdict.Accept, null), table.DecideLocalOut("eth0", Flow(Elsewhere, Branch)));
        Assert.Equal(0, table.Policies[0].Hits);
        Assert.Equal(1, table.Policies[1].Hits);

        // Into a route-based tunnel interface the accept policies and the implicit deny apply (srcintf still unchecked).
        Assert.Equal(new PolicyDecision(2, PolicyVerdict.Accept, null), table.DecideLocalOut("rb", Flow(HqOther, Branch)));
        Assert.Equal(0, table.ImplicitDenyHits);
        Assert.Equal(PolicyDecision.ImplicitDeny, table.DecideLocalOut("rb", Flow(Elsewhere, Branch)));
        Assert.Equal(1, table.ImplicitDenyHits);

        // The forwarded decision for the same packet from another ingress interface does check srcintf.
        Assert.Equal(PolicyDecision.ImplicitDeny, table.Decide("dmz", "eth0", HqOther, Branch));
    }

    private static PacketFlow Flow(uint source, uint destination) => new(source, destination, 0, 0, 0, false);

    [Fact]
    public void OutboundDisable_DeniesLocalStarts_InboundEnable_AdmitsRemoteStarts()
    {
        var table = PolicyTable.Compile(Configuration(Policy(1, "ipsec", extra: ["set outbound disable", "set inbound enable"])));
        Assert.Equal(new PolicyDecision(1, PolicyVerdict.Deny, null), table.Decide("lan", "eth0", HqHost, Branch));
        Assert.Equal(new PolicyDecision(1, PolicyVerdict.Ipsec, "to-branch"), table.DecideFromTunnel("to-branch", "lan", Branch, HqHost));
    }

    [Fact]
    public void InboundDisable_DeniesRemoteStarts_AndTheReverseMatchNeedsReversedAddresses()
    {
        var table = PolicyTable.Compile(Configuration(Policy(1, "ipsec")));
        Assert.Equal(new PolicyDecision(1, PolicyVerdict.Deny, null), table.DecideFromTunnel("to-branch", "lan", Branch, HqHost));

        var inbound = PolicyTable.Compile(Configuration(Policy(1, "ipsec", extra: "set inbound enable")));
        Assert.True(inbound.DecideFromTunnel("to-branch", null, Branch, HqHost).Allowed);
        Assert.Equal(PolicyDecision.ImplicitDeny, inbound.DecideFromTunnel("to-branch", null, HqHost, Branch));
        Assert.Equal(PolicyDecision.ImplicitDeny, inbound.DecideFromTunnel("unused", null, Branch, HqHost));
        Assert.Equal(PolicyDecision.ImplicitDeny, inbound.DecideFromTunnel("to-branch", "dmz", Branch, HqHost));
    }

    [Fact]
    public void RouteBasedAccept_MatchesTheTunnelInterface_AndGroupsAndAnyWork()
    {
        var table = PolicyTable.Compile(Configuration(Policy(3, "accept", src: "all", dst: "both", srcintf: "any", dstintf: "rb")));
        Assert.Equal(new PolicyDecision(3, PolicyVerdict.Accept, null), table.Decide("lan", "rb", Elsewhere, Branch));
        Assert.Equal(PolicyDecision.ImplicitDeny, table.Decide("lan", "rb", Elsewhere, Elsewhere));
        Assert.Equal(PolicyDecision.ImplicitDeny, table.Decide("lan", "rb-unused", Elsewhere, Branch));
    }

    [Fact]
    public void WithoutAPolicyTable_NothingIsGoverned()
    {
        var result = ConfigurationLoader.Parse(Base, "none.conf");
        var configuration = result.Configuration!;
        var table = PolicyTable.Compile(configuration);
        Assert.False(table.Governs);
        Assert.True(table.Decide("lan", "rb", Elsewhere, Elsewhere).Allowed);
        Assert.True(PolicyTable.IsReferenced(configuration, "rb"));
        Assert.True(PolicyTable.IsReferenced(configuration, "to-branch"));
    }

    [Fact]
    public void OnlyTunnelsAnEnabledPolicyUses_AreReferenced()
    {
        var configuration = Configuration(
            Policy(1, "ipsec"),
            Policy(2, "accept", dstintf: "rb"),
            Policy(3, "accept", dstintf: "rb-unused", extra: "set status disable"));
        Assert.True(PolicyTable.IsReferenced(configuration, "to-branch"));
        Assert.True(PolicyTable.IsReferenced(configuration, "rb"));
        Assert.False(PolicyTable.IsReferenced(configuration, "rb-unused"));
        Assert.False(PolicyTable.IsReferenced(configuration, "unused"));
        Assert.False(PolicyTable.IsReferenced(configuration, "nowhere"));
    }

    /// <summary>Issue 11 item 5: a policy's service decides by protocol and destination port, in both directions of an ipsec policy.</summary>
    [Fact]
    public void Service_MatchesProtocolAndDestinationPort_BothWays()
    {
        var text = Base + "\n" + """
            config firewall service custom
                edit "https"
                    set tcp-portrange 443
                next
            end
            config firewall policy
                edit 1
                    set srcintf "lan"
                    set dstintf "eth0"
                    set srcaddr "hq-lan"
                    set dstaddr "branch-lan"
                    set action ipsec
                    set schedule "always"
                    set service "https"
                    set inbound enable
                    set vpntunnel "to-branch"
                next
            end
            """;
        var result = ConfigurationLoader.Parse(text, "service.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var table = PolicyTable.Compile(result.Configuration!);

        Assert.Equal(PolicyVerdict.Ipsec, table.Decide("lan", "eth0", new PacketFlow(HqHost, Branch, 6, 40000, 443, true)).Verdict);
        Assert.Equal(PolicyDecision.ImplicitDeny, table.Decide("lan", "eth0", new PacketFlow(HqHost, Branch, 6, 40000, 22, true)));
        Assert.Equal(PolicyDecision.ImplicitDeny, table.Decide("lan", "eth0", new PacketFlow(HqHost, Branch, 17, 40000, 443, true)));
        Assert.Equal(PolicyDecision.ImplicitDeny, table.Decide("lan", "eth0", HqHost, Branch));
        Assert.Equal(PolicyVerdict.Ipsec, table.DecideFromTunnel("to-branch", null, new PacketFlow(Branch, HqHost, 6, 50000, 443, true)).Verdict);
        Assert.Equal(PolicyDecision.ImplicitDeny, table.DecideFromTunnel("to-branch", null, new PacketFlow(Branch, HqHost, 6, 443, 50000, true)));
    }
}
