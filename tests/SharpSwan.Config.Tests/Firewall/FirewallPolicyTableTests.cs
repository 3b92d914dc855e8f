using SharpSwan.Config.Tests;

namespace SharpSwan.Config.Tests.Firewall;

/// <summary><c>config firewall policy</c>, <c>address</c> and <c>addrgrp</c>: the model, defaults, round trip and FortiOS errors.</summary>
public sealed class FirewallPolicyTableTests
{
    [Fact]
    public void IssueExample_ParsesIntoOneIpsecPolicy()
    {
        var config = ConfigText.ParseValid(PolicyConfigText.Example);

        var policy = Assert.Single(config.FirewallPolicies);
        Assert.Equal(1, policy.Id);
        Assert.Equal("hq-to-branch", policy.Name);
        Assert.Equal<string>(["lan"], policy.SourceInterfaces);
        Assert.Equal<string>(["eth0"], policy.DestinationInterfaces);
        Assert.Equal<string>(["hq-lan"], policy.SourceAddresses);
        Assert.Equal<string>(["branch-lan"], policy.DestinationAddresses);
        Assert.Equal(PolicyAction.Ipsec, policy.Action);
        Assert.Equal("to-branch", policy.VpnTunnel);
        Assert.True(policy.Inbound);
        Assert.True(policy.Outbound);
        Assert.True(policy.Enabled);
        Assert.True(config.HasPolicyTable);
    }

    [Fact]
    public void Defaults_AreFortiOs_DenyEnabledOutboundOnly()
    {
        var config = ConfigText.ParseValid(PolicyConfigText.WithPolicy(PolicyConfigText.AcceptLines("set action deny")));
        var policy = Assert.Single(config.FirewallPolicies);
        Assert.Equal(PolicyAction.Deny, policy.Action);
        Assert.True(policy.Enabled);
        Assert.False(policy.Inbound);
        Assert.True(policy.Outbound);
        Assert.Null(policy.Name);

        var noAction = ConfigText.ParseValid(PolicyConfigText.WithPolicy(
            [.. PolicyConfigText.AcceptLines().Where(l => !l.StartsWith("set action", StringComparison.Ordinal))]));
        Assert.Equal(PolicyAction.Deny, Assert.Single(noAction.FirewallPolicies).Action);
    }

    [Fact]
    public void WithoutPolicyTable_HasPolicyTableIsFalse()
    {
        Assert.False(ConfigText.ParseValid(ConfigText.ReadmeSample).HasPolicyTable);
    }

    [Fact]
    public void Example_RoundTripsThroughShowAndFullConfiguration()
    {
        var config = ConfigText.ParseValid(PolicyConfigText.Example + """

            config firewall addrgrp
                edit "lans"
                    set member "hq-lan" "branch-lan"
                    set comment "both"
                next
            end
            """);
        foreach (var full in new[] { false, true })
        {
            var text = ConfigurationWriter.Write(config, full);
            Assert.Equal(config, ConfigText.ParseValid(text));
        }

        var shown = ConfigurationWriter.Write(config, fullConfiguration: false);
        Assert.Contains("config firewall policy\n    edit 1\n        set name \"hq-to-branch\"\n", shown, StringComparison.Ordinal);
        Assert.Contains("        set srcaddr \"hq-lan\"\n", shown, StringComparison.Ordinal);
        Assert.Contains("        set vpntunnel \"to-branch\"\n", shown, StringComparison.Ordinal);
        Assert.Contains("        set member \"hq-lan\" \"branch-lan\"\n", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("set outbound", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyOrder_IsTableOrderNotIdOrder()
    {
        var text = PolicyConfigText.Addresses + "\n" + PolicyConfigText.RouteTunnel + "\nconfig firewall policy\n"
            + string.Concat(new[] { 5, 2, 9 }.Select(id => $"    edit {id}\n"
                + string.Concat(PolicyConfigText.AcceptLines().Select(l => "        " + l + "\n")) + "    next\n"))
            + "end\n";
        var config = ConfigText.ParseValid(text);
        Assert.Equal([5L, 2L, 9L], config.FirewallPolicies.Select(p => p.Id));
        Assert.Equal([5L, 2L, 9L], ConfigText.ParseValid(ConfigurationWriter.Write(config, false)).FirewallPolicies.Select(p => p.Id));
    }

    [Fact]
    public void AddressGroups_ResolveNestedMembers_AndAllIsPredefined()
    {
        var config = ConfigText.ParseValid(PolicyConfigText.Addresses + """

            config firewall addrgrp
                edit "inner"
                    set member "hq-lan"
                next
                edit "outer"
                    set member "inner" "branch-lan"
                next
            end
            """);
        Assert.Equal(
            [AddressSelector.FromSubnet(System.Net.IPAddress.Parse("10.1.0.0"), 24), AddressSelector.FromSubnet(System.Net.IPAddress.Parse("10.2.0.0"), 24)],
            config.ResolveAddress("outer"));
        Assert.Equal([AddressSelector.Any], config.ResolveAddress("all"));
        Assert.Empty(config.ResolveAddress("nowhere"));
    }

    [Theory]
    [InlineData("set srcaddr \"nowhere\"", "srcaddr", "\"nowhere\" is not a firewall address or addrgrp")]
    [InlineData("set dstaddr \"branch-lan\" \"nowhere\"", "dstaddr", "\"nowhere\" is not a firewall address or addrgrp")]
    public void UnknownAddress_IsEntryNotFound(string line, string field, string reason)
    {
        var error = ConfigText.SingleError(PolicyConfigText.WithPolicy(PolicyConfigText.AcceptLines(line)));
        Assert.Equal("entry not found in datasource", error.Message);
        Assert.Contains($"node_check_object fail! for {field} nowhere", error.Detail, StringComparison.Ordinal);
        Assert.Contains(reason, error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownTunnel_IsEntryNotFound()
    {
        var error = ConfigText.SingleError(PolicyConfigText.WithPolicy(
            PolicyConfigText.AcceptLines("set action ipsec", "set dstintf \"eth0\"", "set vpntunnel \"nowhere\"")));
        Assert.Equal("entry not found in datasource", error.Message);
        Assert.Contains("for vpntunnel nowhere", error.Detail, StringComparison.Ordinal);
        Assert.Contains("phase1 \"nowhere\", which does not exist", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void VpnTunnel_OnAnAcceptPolicy_IsRefused()
    {
        var error = ConfigText.SingleError(PolicyConfigText.WithPolicy(PolicyConfigText.AcceptLines("set vpntunnel \"to-branch\"")));
        Assert.Contains("for vpntunnel to-branch", error.Detail, StringComparison.Ordinal);
        Assert.Contains("vpntunnel is only used with action ipsec", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void IpsecPolicy_WithoutVpnTunnel_MustSetIt()
    {
        var error = ConfigText.SingleError(PolicyConfigText.WithPolicy(PolicyConfigText.AcceptLines("set action ipsec", "set dstintf \"eth0\"")));
        Assert.Equal("Attribute 'vpntunnel' MUST be set.", error.Message);
    }

    [Fact]
    public void InterfaceModePhase1_AsVpnTunnel_IsRefused()
    {
        var error = ConfigText.SingleError(PolicyConfigText.WithPolicy(
            PolicyConfigText.AcceptLines("set action ipsec", "set dstintf \"eth0\"", "set vpntunnel \"rb\"")));
        Assert.Equal("entry not found in datasource", error.Message);
        Assert.Contains("\"rb\" is a phase1-interface (route-based) tunnel", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyModePhase1_AsAnInterface_IsRefused()
    {
        var error = ConfigText.SingleError(PolicyConfigText.WithPolicy(PolicyConfigText.AcceptLines("set dstintf \"to-branch\"")));
        Assert.Contains("for dstintf to-branch", error.Detail, StringComparison.Ordinal);
        Assert.Contains("\"to-branch\" is a policy-based phase1", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set schedule \"weekdays\"", "schedule")]
    [InlineData("set service \"HTTP\"", "service")]
    [InlineData("set nat enable", "nat")]
    [InlineData("set natoutbound enable", "natoutbound")]
    public void UnsupportedValues_AreRefusedWithAReason(string line, string field)
    {
        var error = ConfigText.SingleError(PolicyConfigText.WithPolicy(PolicyConfigText.AcceptLines(line)));
        Assert.Contains($"for {field} ", error.Detail, StringComparison.Ordinal);
        Assert.Contains("SharpSwan", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownSchedule_IsRefusedWithItsLineValueAndWhy()
    {
        var text = PolicyConfigText.WithPolicy(PolicyConfigText.AcceptLines("set schedule \"weekdays\""));
        var error = ConfigText.SingleError(text);
        var line = Array.FindIndex(text.Split('\n'), l => l.Contains("set schedule", StringComparison.Ordinal)) + 1;
        Assert.Equal(line, error.Line);
        Assert.Contains("schedule \"weekdays\"", error.Detail, StringComparison.Ordinal);
        Assert.Contains("not supported by SharpSwan", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void PolicyModePhase2_UnderADialUpPhase1_CannotAutoNegotiate()
    {
        var text = PolicyConfigText.Example.Replace("set remote-gw 198.51.100.2", "set type dynamic", StringComparison.Ordinal);
        var error = ConfigText.SingleError(text);
        Assert.Contains("for auto-negotiate", error.Detail, StringComparison.Ordinal);
        Assert.Contains("dial-up (type dynamic) phase 1, which can never initiate", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("srcintf")]
    [InlineData("dstaddr")]
    [InlineData("schedule")]
    [InlineData("service")]
    public void RequiredFields_MustBeSet(string field)
    {
        var lines = PolicyConfigText.AcceptLines().Where(l => l.Split(' ')[1] != field).ToArray();
        var error = ConfigText.SingleError(PolicyConfigText.WithPolicy(lines));
        Assert.Equal($"Attribute '{field}' MUST be set.", error.Message);
    }

    [Fact]
    public void AddressGroup_UnknownMember_AndACycle_AreRefused()
    {
        var unknown = ConfigText.SingleError(PolicyConfigText.Addresses + """

            config firewall addrgrp
                edit "g"
                    set member "hq-lan" "nowhere"
                next
            end
            """);
        Assert.Equal("entry not found in datasource", unknown.Message);
        Assert.Contains("for member nowhere", unknown.Detail, StringComparison.Ordinal);

        var result = ConfigurationLoader.Parse(PolicyConfigText.Addresses + """

            config firewall addrgrp
                edit "a"
                    set member "b"
                next
                edit "b"
                    set member "a"
                next
            end
            """, "cycle.conf");
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Detail.Contains("would contain itself", StringComparison.Ordinal));
    }
}
