using SharpSwan.Config;

namespace SharpSwan.Config.Tests.Firewall;

/// <summary><c>config firewall schedule recurring</c> and <c>onetime</c>: parsing, validation, a policy naming one, round trip.</summary>
public sealed class FirewallScheduleTests
{
    private const string Schedules = """
        config firewall schedule recurring
            edit "office"
                set start 08:00
                set end 17:30
                set day monday tuesday wednesday thursday friday
                set color 3
            next
            edit "night"
                set start 22:00
                set end 06:00
                set day saturday
            next
        end
        config firewall schedule onetime
            edit "change-window"
                set start "20:00 2026/12/05"
                set end "02:00 2026/12/06"
                set expiration-days 0
            next
        end
        """;

    private static string WithPolicySchedule(string schedules, string name) =>
        schedules + "\n" + PolicyConfigText.WithPolicy(PolicyConfigText.AcceptLines($"set schedule \"{name}\""));

    [Fact]
    public void RecurringAndOnetimeSchedules_AreReadAndAPolicyNamesOne()
    {
        var configuration = ConfigText.ParseValid(WithPolicySchedule(Schedules, "night"));
        var office = configuration.ResolveSchedule("office")!;
        Assert.True(office.Recurring);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], office.Days.ToArray());
        Assert.Equal((8 * 60, (17 * 60) + 30), (office.StartMinute, office.EndMinute));
        var window = configuration.ResolveSchedule("change-window")!;
        Assert.False(window.Recurring);
        Assert.Equal(new DateTime(2026, 12, 5, 20, 0, 0, DateTimeKind.Utc), window.OnceStart);
        Assert.Equal(new DateTime(2026, 12, 6, 2, 0, 0, DateTimeKind.Utc), window.OnceEnd);
        Assert.Equal("night", Assert.Single(configuration.FirewallPolicies).Schedule);
    }

    [Fact]
    public void PredefinedAlwaysAndNone_NeedNoEntry()
    {
        Assert.True(ConfigText.ParseValid(WithPolicySchedule("", "none")).ResolveSchedule("none") is { IsAlways: false, Days.Length: 0 });
        Assert.True(ConfigText.ParseValid(WithPolicySchedule("", "always")).ResolveSchedule("always")!.IsAlways);
    }

    [Fact]
    public void UnknownScheduleAtThePolicy_IsRefusedWithLineValueAndWhy()
    {
        var text = WithPolicySchedule(Schedules, "weekend");
        var error = ConfigText.SingleError(text);
        Assert.Equal(Array.FindIndex(text.Split('\n'), l => l.Contains("set schedule", StringComparison.Ordinal)) + 1, error.Line);
        Assert.Contains("for schedule weekend", error.Detail, StringComparison.Ordinal);
        Assert.Contains("not a firewall schedule", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set start 24:00", "start")]
    [InlineData("set end 7:5", "end")]
    [InlineData("set start noon", "start")]
    [InlineData("set day monday someday", "day")]
    [InlineData("set day none monday", "day")]
    [InlineData("set label-day morning", "label-day")]
    public void BadRecurringValues_AreRefused(string line, string field)
    {
        var text = $"config firewall schedule recurring\n    edit \"s\"\n        set start 08:00\n        set end 09:00\n        {line}\n    next\nend\n";
        var error = ConfigText.SingleError(text);
        Assert.Equal(5, error.Line);
        Assert.Contains($"for {field} ", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set end \"20:00 2026/12/05\"", "end must be after start")]
    [InlineData("set end \"20:00 2026/13/05\"", "hh:mm yyyy/mm/dd")]
    [InlineData("set expiration-days 3", "SharpSwan")]
    [InlineData("set start-utc 1796500000", "SharpSwan")]
    public void BadOnetimeValues_AreRefused(string line, string reason)
    {
        var text = $"config firewall schedule onetime\n    edit \"o\"\n        set start \"20:00 2026/12/05\"\n        {line}\n    next\nend\n";
        var errors = ConfigurationLoader.Parse(text, "o.conf").Errors;
        Assert.Contains(errors, e => e.Line == 4 && e.Reason.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void StartAndEnd_MustBeSet()
    {
        var error = ConfigText.SingleError("config firewall schedule recurring\n    edit \"s\"\n        set start 08:00\n        set day monday\n    next\nend\n");
        Assert.Equal("Attribute 'end' MUST be set.", error.Message);
    }

    [Fact]
    public void ScheduleGroups_AreRefused()
    {
        var result = ConfigurationLoader.Parse("config firewall schedule group\n    edit \"g\"\n        set member \"office\"\n    next\nend\n", "g.conf");
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Line == 1 && e.Reason.Contains("schedule groups", StringComparison.Ordinal));
    }

    [Fact]
    public void Schedules_RoundTripThroughTheWriter()
    {
        var configuration = ConfigText.ParseValid(WithPolicySchedule(Schedules, "change-window"));
        var written = ConfigurationWriter.Write(configuration, fullConfiguration: false);
        var again = ConfigText.ParseValid(written);
        static IEnumerable<FirewallSchedule> Times(GatewayConfiguration c) => c.FirewallSchedules.Select(s => s with { OtherSettings = [] });
        Assert.Equal(Times(configuration), Times(again));
        Assert.Equal("change-window", Assert.Single(again.FirewallPolicies).Schedule);
        Assert.Equal(written, ConfigurationWriter.Write(again, fullConfiguration: false));
    }
}
