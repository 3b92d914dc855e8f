using System.Net;
using SharpSwan.Config;
using SharpSwan.Esp.Core;
using SharpSwan.Esp.Policy;

namespace SharpSwan.Esp.Tests.Policy;

/// <summary>A policy naming a schedule matches only inside it, at the time the caller passes (UTC).</summary>
public sealed class PolicyScheduleTests
{
    private static readonly uint Hq = CompiledPolicy.ToUInt32(IPAddress.Parse("10.1.0.7"));
    private static readonly uint Branch = CompiledPolicy.ToUInt32(IPAddress.Parse("10.2.0.5"));
    private static readonly PacketFlow Out = new(Hq, Branch, 6, 40000, 443, true);
    private static readonly PacketFlow In = new(Branch, Hq, 6, 50000, 22, true);

    // 2026-12-07 is a Monday.
    private static DateTime At(int day, int hour, int minute = 0) => new(2026, 12, day, hour, minute, 0, DateTimeKind.Utc);

    private static PolicyTable Table(string schedules, string schedule)
    {
        var text = schedules + """

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
                    set interface "eth0"
                    set ike-version 2
                    set remote-gw 198.51.100.2
                    set psksecret "policy-psk-secret"
                next
            end
            config firewall policy
                edit 1
                    set srcintf "lan"
                    set dstintf "eth0"
                    set srcaddr "hq-lan"
                    set dstaddr "branch-lan"
                    set action ipsec
                    set inbound enable
                    set service "ALL"
                    set vpntunnel "to-branch"
            """ + $"\n            set schedule \"{schedule}\"\n        next\n    end\n";
        var result = ConfigurationLoader.Parse(text, "schedule.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return PolicyTable.Compile(result.Configuration!);
    }

    private static bool Encrypts(PolicyTable table, DateTime at) => table.Decide("lan", "eth0", Out, at).Verdict == PolicyVerdict.Ipsec;

    [Fact]
    public void OfficeHours_MatchOnlyOnTheirDaysBetweenStartAndEnd()
    {
        var table = Table("config firewall schedule recurring\n    edit \"office\"\n        set start 08:00\n        set end 17:30\n        set day monday friday\n    next\nend\n", "office");
        Assert.False(Encrypts(table, At(7, 7, 59)));
        Assert.True(Encrypts(table, At(7, 8, 0)));
        Assert.True(Encrypts(table, At(7, 17, 29)));
        Assert.False(Encrypts(table, At(7, 17, 30)));
        Assert.False(Encrypts(table, At(8, 12)));
        Assert.True(Encrypts(table, At(11, 12)));
        Assert.Equal(PolicyDecision.ImplicitDeny, table.Decide("lan", "eth0", Out, At(12, 12)));
        Assert.Equal(PolicyVerdict.Ipsec, table.DecideFromTunnel("to-branch", null, In, At(7, 9)).Verdict);
        Assert.Equal(PolicyDecision.ImplicitDeny, table.DecideFromTunnel("to-branch", null, In, At(7, 18)));
        Assert.Equal(PolicyVerdict.Ipsec, table.DecideLocalOut("eth0", Out, At(7, 9)).Verdict);

        // Local-out that no ipsec policy sends into a tunnel leaves in clear (policy 0, not counted), as outside the schedule.
        Assert.Equal(new PolicyDecision(0, PolicyVerdict.Accept, null), table.DecideLocalOut("eth0", Out, At(7, 18)));
    }

    [Fact]
    public void AnEndBeforeTheStart_RunsOverMidnightIntoTheNextDay()
    {
        var table = Table("config firewall schedule recurring\n    edit \"night\"\n        set start 22:00\n        set end 06:00\n        set day saturday\n    next\nend\n", "night");
        Assert.False(Encrypts(table, At(12, 21, 59)));
        Assert.True(Encrypts(table, At(12, 22, 0)));
        Assert.True(Encrypts(table, At(12, 23, 59)));
        Assert.True(Encrypts(table, At(13, 0, 0)));
        Assert.True(Encrypts(table, At(13, 5, 59)));
        Assert.False(Encrypts(table, At(13, 6, 0)));
        Assert.False(Encrypts(table, At(13, 22, 30)));
        Assert.False(Encrypts(table, At(12, 3, 0)));
    }

    [Fact]
    public void StartEqualToEnd_IsTheWholeDay_AndNoneIsNever()
    {
        var day = Table("config firewall schedule recurring\n    edit \"sundays\"\n        set start 00:00\n        set end 00:00\n        set day sunday\n    next\nend\n", "sundays");
        Assert.True(Encrypts(day, At(13, 0, 0)));
        Assert.True(Encrypts(day, At(13, 23, 59)));
        Assert.False(Encrypts(day, At(14, 0, 0)));
        var none = Table("", "none");
        Assert.False(Encrypts(none, At(13, 12)));
    }

    [Fact]
    public void AOnetimeSchedule_MatchesFromItsStartUntilItsEnd()
    {
        var table = Table("config firewall schedule onetime\n    edit \"window\"\n        set start \"20:00 2026/12/05\"\n        set end \"02:00 2026/12/06\"\n    next\nend\n", "window");
        Assert.False(Encrypts(table, At(5, 19, 59)));
        Assert.True(Encrypts(table, At(5, 20, 0)));
        Assert.True(Encrypts(table, At(6, 1, 59)));
        Assert.False(Encrypts(table, At(6, 2, 0)));
        Assert.False(Encrypts(table, At(12, 21, 0)));
    }

    [Fact]
    public void WithoutATime_OnlyAlwaysMatches()
    {
        var office = Table("config firewall schedule recurring\n    edit \"office\"\n        set start 08:00\n        set end 17:00\n        set day monday\n    next\nend\n", "office");
        Assert.Equal(PolicyDecision.ImplicitDeny, office.Decide("lan", "eth0", Out));
        Assert.Equal(PolicyVerdict.Ipsec, Table("", "always").Decide("lan", "eth0", Out).Verdict);
    }
}
