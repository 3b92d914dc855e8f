using System.Diagnostics;
using SharpSwan.Config;
using SharpSwan.Gateway.Policy;

namespace SharpSwan.Gateway.Tests.Policy;

/// <summary>A policy's schedule as nftables time matches (<c>meta day</c>, <c>meta hour</c>, <c>meta time</c>, UTC), checked by <c>nft -c</c>.</summary>
public sealed class NftScheduleTests
{
    private const string Tables = """
        config firewall schedule recurring
            edit "office"
                set start 08:00
                set end 17:30
                set day monday friday
            next
            edit "night"
                set start 22:00
                set end 06:00
                set day saturday sunday
            next
        end
        config firewall schedule onetime
            edit "window"
                set start "20:00 2026/12/05"
                set end "02:00 2026/12/06"
            next
        end
        config firewall address
            edit "hq-lan"
                set subnet 10.1.0.0 255.255.255.0
            next
            edit "branch-lan"
                set subnet 10.2.0.0 255.255.255.0
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
        config firewall policy
        """;

    private static readonly Dictionary<string, PolicyTunnelDevice> Devices = new() { ["to-branch"] = new("to-branch", 1) };

    private static string Render(params string[] schedules)
    {
        var policies = string.Concat(schedules.Select((s, i) =>
            $"    edit {i + 1}\n        set srcintf \"lan0\"\n        set dstintf \"wan0\"\n        set srcaddr \"hq-lan\"\n        set dstaddr \"branch-lan\"\n"
            + $"        set action ipsec\n        set inbound enable\n        set schedule \"{s}\"\n        set service \"ALL\"\n        set vpntunnel \"to-branch\"\n    next\n"));
        var result = ConfigurationLoader.Parse(Tables + "\n" + policies + "end\n", "nft.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return NftRuleset.Render(result.Configuration!, Devices);
    }

    [Fact]
    public void RecurringSchedule_MatchesItsDaysAndHours()
    {
        var ruleset = Render("office");
        Assert.Contains("ip daddr { 10.2.0.0-10.2.0.255 } meta day { \"Monday\", \"Friday\" } meta hour >= \"08:00\" meta hour < \"17:30\" counter name \"policy_1\" meta mark set", ruleset, StringComparison.Ordinal);
        Assert.Contains("ip daddr { 10.1.0.0-10.1.0.255 } meta day { \"Monday\", \"Friday\" } meta hour >= \"08:00\" meta hour < \"17:30\" counter name \"policy_1\" ct mark set", ruleset, StringComparison.Ordinal);
    }

    [Fact]
    public void OverMidnight_IsTwoRules_TheSecondOnTheFollowingDays()
    {
        var ruleset = Render("night");
        Assert.Contains("meta day { \"Sunday\", \"Saturday\" } meta hour >= \"22:00\" counter name \"policy_1\" meta mark", ruleset, StringComparison.Ordinal);
        Assert.Contains("meta day { \"Sunday\", \"Monday\" } meta hour < \"06:00\" counter name \"policy_1\" meta mark", ruleset, StringComparison.Ordinal);
    }

    [Fact]
    public void OnetimeSchedule_IsAMetaTimeRange_AndNoneWritesNoRule_AndAlwaysNoTimeMatch()
    {
        var ruleset = Render("window", "none", "always");
        Assert.Contains("meta time >= \"2026-12-05 20:00:00\" meta time < \"2026-12-06 02:00:00\" counter name \"policy_1\"", ruleset, StringComparison.Ordinal);
        Assert.DoesNotContain("counter name \"policy_2\" meta", ruleset, StringComparison.Ordinal);
        Assert.Contains("ip daddr { 10.2.0.0-10.2.0.255 } counter name \"policy_3\" meta mark", ruleset, StringComparison.Ordinal);
    }

    [Fact]
    public void NftAcceptsTheScheduledRuleset()
    {
        // nft reads the hour and time literals in its own time zone; the gateway runs it with TZ=UTC, as here.
        var start = new ProcessStartInfo("nft") { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        start.Environment["TZ"] = "UTC";
        foreach (var argument in new[] { "-c", "-f", "-" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Write(Render("office", "night", "window", "none", "always"));
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
    }
}
