using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config firewall schedule recurring</c> or <c>onetime</c> entry: when a policy naming it matches. SharpSwan's
/// schedules run on UTC (the gateway's clock, and the clock nftables' <c>meta day</c>/<c>meta hour</c> use), where
/// FortiOS uses its system time zone. A recurring schedule is active on its days from <c>start</c> to <c>end</c> (end
/// exclusive); an end before the start runs over midnight into the next day, and an end equal to the start is the whole
/// day. A one-time schedule is active from its start to its end (exclusive).
/// </summary>
/// <param name="Name">The <c>edit</c> name.</param>
public sealed record FirewallSchedule(string Name)
{
    /// <summary>FortiOS limits schedule names to 31 characters.</summary>
    public const int MaxNameLength = 31;

    /// <summary>True for <c>config firewall schedule recurring</c>, false for <c>onetime</c>.</summary>
    public bool Recurring { get; init; } = true;

    /// <summary>Recurring: the days it starts on (empty: <c>day none</c>, never active).</summary>
    public ImmutableArray<DayOfWeek> Days { get; init; } = [];

    /// <summary>Recurring: <c>start</c> as minutes after midnight.</summary>
    public int StartMinute { get; init; }

    /// <summary>Recurring: <c>end</c> as minutes after midnight.</summary>
    public int EndMinute { get; init; }

    /// <summary>One-time: <c>start</c> (UTC).</summary>
    public DateTime OnceStart { get; init; }

    /// <summary>One-time: <c>end</c> (UTC), exclusive.</summary>
    public DateTime OnceEnd { get; init; }

    /// <summary>Other FortiOS settings we accept and keep verbatim (<c>color</c>, <c>uuid</c>, ...).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    /// <summary>FortiOS's predefined recurring schedules, known without an entry (an entry of the same name replaces one).</summary>
    public static IReadOnlyDictionary<string, FirewallSchedule> Predefined { get; } = new Dictionary<string, FirewallSchedule>(StringComparer.Ordinal)
    {
        ["always"] = new("always") { Days = [.. Enum.GetValues<DayOfWeek>()] },
        ["none"] = new("none"),
    };

    /// <summary>True when the schedule is active every minute of every day.</summary>
    public bool IsAlways => Recurring && Days.Length == 7 && StartMinute == EndMinute;

    /// <summary>Whether the schedule is active at <paramref name="utc"/>.</summary>
    public bool IsActive(DateTime utc) =>
        Recurring ? Windows.Any(w => w.Contains(utc)) : utc >= OnceStart && utc < OnceEnd;

    /// <summary>Recurring: the weekly windows it is active in (none for <c>day none</c>).</summary>
    public IReadOnlyList<ScheduleWindow> Windows
    {
        get
        {
            if (!Recurring || Days.IsDefaultOrEmpty)
            {
                return [];
            }

            DayOfWeek[] days = [.. Days.Distinct().Order()];
            if (StartMinute == EndMinute)
            {
                return [new ScheduleWindow(days, 0, ScheduleWindow.MinutesPerDay)];
            }

            if (StartMinute < EndMinute)
            {
                return [new ScheduleWindow(days, StartMinute, EndMinute)];
            }

            DayOfWeek[] next = [.. days.Select(d => (DayOfWeek)(((int)d + 1) % 7)).Order()];
            return [new ScheduleWindow(days, StartMinute, ScheduleWindow.MinutesPerDay), new ScheduleWindow(next, 0, EndMinute)];
        }
    }

    public bool Equals(FirewallSchedule? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
