namespace SharpSwan.Config;

/// <summary>
/// One weekly window of a recurring schedule: on <paramref name="Days"/>, from minute <paramref name="FromMinute"/> of
/// the day (inclusive) to <paramref name="ToMinute"/> (exclusive; 1440 is midnight at the end of the day). A schedule
/// over midnight is two windows, the second on the following days.
/// </summary>
public readonly record struct ScheduleWindow(DayOfWeek[] Days, int FromMinute, int ToMinute)
{
    public const int MinutesPerDay = 24 * 60;

    public bool Contains(DateTime utc) =>
        Array.IndexOf(Days, utc.DayOfWeek) >= 0 && (utc.Hour * 60) + utc.Minute >= FromMinute && (utc.Hour * 60) + utc.Minute < ToMinute;
}
