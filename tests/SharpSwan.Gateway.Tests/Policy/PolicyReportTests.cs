using SharpSwan.Config;
using SharpSwan.Gateway.Policy;

namespace SharpSwan.Gateway.Tests.Policy;

/// <summary><c>diagnose firewall policy list</c>: policies in match order with their counters, then policy 0.</summary>
public sealed class PolicyReportTests
{
    private const string Text = """
        config firewall address
            edit "hq-lan"
                set subnet 10.1.0.0 255.255.255.0
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
            edit 7
                set name "second"
                set srcintf "any"
                set dstintf "rb"
                set srcaddr "hq-lan"
                set dstaddr "all"
                set action accept
                set schedule "always"
                set service "ALL"
            next
            edit 3
                set srcintf "rb"
                set dstintf "lan0"
                set srcaddr "all"
                set dstaddr "all"
                set schedule "always"
                set service "ALL"
                set status disable
            next
        end
        """;

    [Fact]
    public void ListsPoliciesInTableOrderWithTheirCounts_ThenTheImplicitDeny()
    {
        var configuration = ConfigurationLoader.Parse(Text, "report.conf").Configuration!;
        var counters = new Dictionary<string, (long, long)> { ["policy_7"] = (12, 1008), ["policy_0"] = (3, 252) };
        var report = PolicyReport.Render(configuration, counters);
        Assert.True(report.IndexOf("policy index=7", StringComparison.Ordinal) < report.IndexOf("policy index=3", StringComparison.Ordinal));
        Assert.Contains("policy index=7 name=\"second\" status=enable action=accept\n  srcintf=any dstintf=rb srcaddr=hq-lan dstaddr=all\n  hit_count=12 bytes=1008\n", report, StringComparison.Ordinal);
        Assert.Contains("policy index=3 name=\"\" status=disable action=deny", report, StringComparison.Ordinal);
        Assert.EndsWith("policy index=0 (implicit deny)\n  hit_count=3 bytes=252\n", report, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutAPolicyTable_SaysSo()
    {
        Assert.StartsWith("no firewall policy configured", PolicyReport.Render(GatewayConfiguration.Empty, new Dictionary<string, (long, long)>()), StringComparison.Ordinal);
    }
}
