using System.Diagnostics;
using SharpSwan.Config;
using SharpSwan.Gateway.Policy;

namespace SharpSwan.Gateway.Tests.Policy;

/// <summary>The nftables ruleset rendered from firewall policies: what it matches, and that nft accepts it.</summary>
public sealed class NftRulesetTests
{
    private const string Configuration = """
        config firewall address
            edit "hq-lan"
                set subnet 10.1.0.0 255.255.255.0
            next
            edit "branch-lan"
                set subnet 10.2.0.0 255.255.255.0
            next
            edit "range-ish"
                set subnet 10.9.0.7 255.255.255.255
            next
        end
        config vpn ipsec phase1
            edit "to-branch"
                set interface "wan0"
                set ike-version 2
                set remote-gw 198.51.100.2
                set psksecret "policy-psk-secret"
            next
        end
        config vpn ipsec phase2
            edit "to-branch-p2"
                set phase1name "to-branch"
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
            next
        end
        config vpn ipsec phase1-interface
            edit "rb"
                set interface "wan0"
                set ike-version 2
                set remote-gw 198.51.100.3
                set psksecret "route-psk-secret"
            next
        end
        config firewall policy
            edit 1
                set srcintf "lan0"
                set dstintf "wan0"
                set srcaddr "hq-lan"
                set dstaddr "branch-lan"
                set action ipsec
                set schedule "always"
                set service "ALL"
                set vpntunnel "to-branch"
            next
            edit 2
                set srcintf "a name; with spaces"
                set dstintf "rb"
                set srcaddr "all"
                set dstaddr "range-ish"
                set action accept
                set schedule "always"
                set service "ALL"
            next
            edit 3
                set srcintf "any"
                set dstintf "rb"
                set srcaddr "all"
                set dstaddr "all"
                set action accept
                set schedule "always"
                set service "ALL"
                set status disable
            next
        end
        """;

    private static readonly Dictionary<string, PolicyTunnelDevice> Devices = new() { ["to-branch"] = new("to-branch", 1) };

    private static GatewayConfiguration Parse(string text)
    {
        var result = ConfigurationLoader.Parse(text, "nft.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
    }

    [Fact]
    public void IpsecPolicy_MarksNewConnectionsWithItsTunnelsMark_AndTheReverseMatchIsDroppedWithoutInbound()
    {
        var ruleset = NftRuleset.Render(Parse(Configuration), Devices);
        Assert.Contains(
            "iifname { \"lan0\" } fib daddr oifname { \"wan0\" } ip saddr { 10.1.0.0-10.1.0.255 } ip daddr { 10.2.0.0-10.2.0.255 } counter name \"policy_1\" meta mark set 0x53530001 ct mark set 0x53530001 ct label set 127 ct label set 0 accept",
            ruleset,
            StringComparison.Ordinal);
        Assert.Contains(
            "iifname \"ssw-pol1\" fib daddr oifname { \"lan0\" } ip saddr { 10.2.0.0-10.2.0.255 } ip daddr { 10.1.0.0-10.1.0.255 } counter name \"policy_1\" drop",
            ruleset,
            StringComparison.Ordinal);
        Assert.Contains("counter name \"policy_0\" drop", ruleset, StringComparison.Ordinal);
        Assert.StartsWith("table ip sharpswan\ndelete table ip sharpswan\n", ruleset, StringComparison.Ordinal);
    }

    [Fact]
    public void LocalOut_MatchesTheEgressInterfaceAndAddresses_NeverSrcintf()
    {
        // Traffic the gateway starts has no ingress interface (FortiOS KB 345095; PolicyTable.DecideLocalOut): policy 1's
        // srcintf "lan0" is not written into the output hook's chain, its dstintf is the packet's output interface.
        var ruleset = NftRuleset.Render(Parse(Configuration), Devices);
        var localOut = ruleset[ruleset.IndexOf("chain local_out", StringComparison.Ordinal)..ruleset.IndexOf("chain prerouting", StringComparison.Ordinal)];
        Assert.Contains(
            "oifname { \"wan0\" } ip saddr { 10.1.0.0-10.1.0.255 } ip daddr { 10.2.0.0-10.2.0.255 } counter name \"policy_1\" meta mark set 0x53530001 ct mark set 0x53530001 ct label set 127 ct label set 0 accept",
            localOut,
            StringComparison.Ordinal);
        Assert.DoesNotContain("iifname", localOut, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidInterfaceName_IsNeverWritten_AndADisabledPolicyHasNoRule()
    {
        var ruleset = NftRuleset.Render(Parse(Configuration), Devices);
        Assert.DoesNotContain("spaces", ruleset, StringComparison.Ordinal);
        var decide = ruleset[ruleset.IndexOf("chain decide", StringComparison.Ordinal)..ruleset.IndexOf("chain local_out", StringComparison.Ordinal)];
        Assert.DoesNotContain("policy_2", decide, StringComparison.Ordinal);
        Assert.DoesNotContain("fib daddr type local", decide, StringComparison.Ordinal);
        Assert.DoesNotContain("name \"policy_3\"", ruleset, StringComparison.Ordinal);
        Assert.Contains("oifname { \"rb\" } counter name \"policy_0\" drop", ruleset, StringComparison.Ordinal);
    }

    [Fact]
    public void InboundEnable_AcceptsRemoteStartsAndRemembersTheTunnel()
    {
        var ruleset = NftRuleset.Render(Parse(Configuration.Replace("set vpntunnel \"to-branch\"", "set vpntunnel \"to-branch\"\n        set inbound enable", StringComparison.Ordinal)), Devices);
        Assert.Contains(
            "iifname \"ssw-pol1\" fib daddr type local ip saddr { 10.2.0.0-10.2.0.255 } ip daddr { 10.1.0.0-10.1.0.255 } counter name \"policy_1\" ct mark set 0x53530001 ct label set 127 ct label set 0 accept",
            ruleset,
            StringComparison.Ordinal);
    }

    [Fact]
    public void NftAcceptsTheRuleset()
    {
        // nft from Debian's nftables (./test.sh installs it); -c checks the ruleset against the kernel without applying it.
        var start = new ProcessStartInfo("nft") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", "-f", "-" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Write(NftRuleset.Render(Parse(Configuration), Devices));
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
    }
}
