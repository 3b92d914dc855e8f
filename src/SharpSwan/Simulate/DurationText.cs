using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpSwan.Simulate;

/// <summary>Durations as scripts write them: `500ms`, `5s`, `90` (seconds), `2m`, `1h30m`, `3d`, `1.5h`.</summary>
public static partial class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plainSeconds))
        {
            return Finish(plainSeconds, out duration);
        }

        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
        {
            return false;
        }

        double seconds = 0;
        foreach (Match match in matches)
        {
            var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            seconds += value * match.Groups["unit"].Value switch
            {
                "ms" => 0.001,
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                _ => 86400,
            };
        }

        return Finish(seconds, out duration);
    }

    /// <summary>`2d03:04:05.500` style, for timelines of days.</summary>
    public static string Format(TimeSpan elapsed) =>
        elapsed.Days > 0
            ? elapsed.ToString(@"d\d\ hh\:mm\:ss\.fff", CultureInfo.InvariantCulture)
            : elapsed.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);

    private static bool Finish(double seconds, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (double.IsNaN(seconds) || seconds < 0 || seconds > TimeSpan.FromDays(3650).TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(Math.Round(seconds * 1000));
        return true;
    }

    [GeneratedRegex(@"(?<value>\d+(\.\d+)?)(?<unit>ms|s|m|h|d)")]
    private static partial Regex Part();
}
