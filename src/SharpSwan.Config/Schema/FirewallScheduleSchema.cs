using System.Collections.Immutable;
using System.Globalization;

namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config firewall schedule recurring</c> (<c>day</c>, <c>start</c>/<c>end</c> as <c>hh:mm</c>) and
/// <c>onetime</c> (<c>start</c>/<c>end</c> as <c>"hh:mm yyyy/mm/dd"</c>). Times are UTC in SharpSwan (see
/// <see cref="FirewallSchedule"/>). <c>config firewall schedule group</c> is not a supported table.
/// </summary>
internal static class FirewallScheduleSchema
{
    public const string RecurringPath = "firewall schedule recurring";

    public const string OnetimePath = "firewall schedule onetime";

    private static readonly string[] DayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private static readonly string[] LabelDays = ["none", "over-night", "early-morning", "morning", "midday", "afternoon", "evening", "night", "late-night"];

    public static FieldTable<FirewallScheduleDraft> Recurring { get; } = new FieldTable<FirewallScheduleDraft> { TablePath = RecurringPath }
        .Interpret("day", (d, r) => { if (Days(r) is { } v) { d.Schedule = d.Schedule with { Days = v }; } })
        .Interpret("start", (d, r) => { if (TimeOfDay(r) is { } v) { d.Schedule = d.Schedule with { StartMinute = v }; } })
        .Interpret("end", (d, r) => { if (TimeOfDay(r) is { } v) { d.Schedule = d.Schedule with { EndMinute = v }; } })
        .Keep("label-day", Checks.OnlySupported(["none"], LabelDays, "label-day places automation jobs, which SharpSwan does not run"))
        .Keep("color", Checks.Range(0, 32))
        .Keep("uuid", Checks.Text(36))
        .Keep("fabric-object", Checks.OneOf("enable", "disable"));

    public static FieldTable<FirewallScheduleDraft> Onetime { get; } = new FieldTable<FirewallScheduleDraft> { TablePath = OnetimePath }
        .Interpret("start", (d, r) => { if (Moment(r) is { } v) { d.Schedule = d.Schedule with { OnceStart = v }; } })
        .Interpret("end", (d, r) => { if (Moment(r) is { } v) { d.Schedule = d.Schedule with { OnceEnd = v }; } })
        .Keep("expiration-days", Checks.ZeroOnly(100, "the event-log message before a one-time schedule expires is not written"))
        .Keep("color", Checks.Range(0, 32))
        .Keep("uuid", Checks.Text(36))
        .Keep("fabric-object", Checks.OneOf("enable", "disable"))
        .Refuse(["start-utc", "end-utc"], "SharpSwan reads a one-time schedule's start and end (\"hh:mm yyyy/mm/dd\", UTC), not epoch seconds");

    /// <summary><c>day</c>: day names, or <c>none</c> alone.</summary>
    private static ImmutableArray<DayOfWeek>? Days(SettingReader reader)
    {
        var days = ImmutableArray.CreateBuilder<DayOfWeek>();
        foreach (var token in reader.Setting.Values)
        {
            var index = Array.IndexOf(DayNames, token.Text);
            if (token.Text == "none" && reader.Setting.Values.Length == 1)
            {
                return [];
            }

            if (index < 0)
            {
                reader.ValueError(token, $"day {token.Text}: days are sunday monday tuesday wednesday thursday friday saturday, or none alone");
                return null;
            }

            days.Add((DayOfWeek)index);
        }

        return days.ToImmutable();
    }

    /// <summary><c>hh:mm</c> as minutes after midnight.</summary>
    private static int? TimeOfDay(SettingReader reader)
    {
        if (reader.Single() is not { } token)
        {
            return null;
        }

        if (ParseTime(token.Text) is not { } minutes)
        {
            reader.ValueError(token, $"{reader.Field} {token.Text}: a time of day is hh:mm (00:00-23:59)");
            return null;
        }

        return minutes;
    }

    /// <summary><c>"hh:mm yyyy/mm/dd"</c> (one quoted value, or two words) as a UTC time.</summary>
    private static DateTime? Moment(SettingReader reader)
    {
        var values = reader.Setting.Values;
        var parts = values.Length == 1 ? values[0].Text.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [.. values.Select(v => v.Text)];
        if (parts.Length == 2 && ParseTime(parts[0]) is { } minutes
            && DateTime.TryParseExact(parts[1], "yyyy/MM/dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date))
        {
            return DateTime.SpecifyKind(date.Date.AddMinutes(minutes), DateTimeKind.Utc);
        }

        reader.ValueError(values[0], $"{reader.Field} {string.Join(' ', values.Select(v => v.Text))}: a one-time schedule's time is \"hh:mm yyyy/mm/dd\"");
        return null;
    }

    private static int? ParseTime(string text)
    {
        var parts = text.Split(':');
        return parts.Length == 2
            && parts[0].Length is 1 or 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var hour) && hour < 24
            && parts[1].Length == 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minute) && minute < 60
            ? (hour * 60) + minute
            : null;
    }

    /// <summary>Minutes after midnight as FortiOS prints them.</summary>
    public static string FormatTime(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";

    public static string FormatMoment(DateTime utc) => utc.ToString("HH:mm yyyy/MM/dd", CultureInfo.InvariantCulture);

    public static string FormatDay(DayOfWeek day) => DayNames[(int)day];
}
