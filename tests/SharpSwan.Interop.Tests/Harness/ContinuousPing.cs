using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// A ping that runs in the background (one echo request every interval) while the test does other things;
/// <see cref="Finish"/> reads its summary. Disposing it stops ping if it still runs.
/// </summary>
public sealed partial class ContinuousPing : IDisposable
{
    /// <summary>On top of count × interval: ping's final wait for replies, and a loaded machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(30);

    private readonly BackgroundProcess _ping;
    private readonly TimeSpan _plannedDuration;

    private ContinuousPing(BackgroundProcess ping, TimeSpan plannedDuration)
    {
        _ping = ping;
        _plannedDuration = plannedDuration;
    }

    public bool HasExited => _ping.HasExited;

    /// <summary>
    /// Starts <c>ping -c count -i interval</c> from <paramref name="source"/> in <paramref name="ns"/>; -D and -O make
    /// every line carry a timestamp and every missing reply show up as "no answer yet".
    /// </summary>
    public static ContinuousPing Start(
        NetworkNamespace ns, string source, string destination, int count, TimeSpan interval, string logPath)
    {
        BackgroundProcess ping = BackgroundProcess.Start(
            ns.Wrap(
                "ping", "-n", "-D", "-O",
                "-c", count.ToString(CultureInfo.InvariantCulture),
                "-i", interval.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture),
                "-W", "2",
                "-I", source, destination),
            logPath);
        return new ContinuousPing(ping, interval * count);
    }

    /// <summary>
    /// Waits until ping ends (it is stopped if it overruns its planned duration by more than the slack) and
    /// returns its summary; null when ping printed none.
    /// </summary>
    public PingSummary? Finish()
    {
        if (!_ping.WaitForExit(_plannedDuration + Slack))
        {
            _ping.Note("ping overran its planned duration: stopping it");
            _ping.Stop(TimeSpan.FromSeconds(3));
        }

        // WaitForExit with a timeout does not wait for the asynchronous readers: give the last lines a moment.
        PingSummary? summary = null;
        Wait.Until(() => (summary = Parse(_ping.Lines())) is not null, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        return summary;
    }

    public void Dispose() => _ping.Dispose();

    private static PingSummary? Parse(IReadOnlyList<string> lines)
    {
        Match? totals = lines.Select(line => Totals().Match(line)).LastOrDefault(match => match.Success);
        if (totals is null)
        {
            return null;
        }

        int transmitted = int.Parse(totals.Groups["sent"].Value, CultureInfo.InvariantCulture);
        var answered = new HashSet<int>();
        var noticed = new Dictionary<int, string>();
        foreach (string line in lines)
        {
            if (Reply().Match(line) is { Success: true } reply)
            {
                answered.Add(int.Parse(reply.Groups["seq"].Value, CultureInfo.InvariantCulture));
            }
            else if (NoAnswer().Match(line) is { Success: true } missing)
            {
                noticed.TryAdd(int.Parse(missing.Groups["seq"].Value, CultureInfo.InvariantCulture), LocalTime(missing.Groups["time"].Value));
            }
        }

        List<string> unanswered = Enumerable.Range(1, transmitted)
            .Where(seq => !answered.Contains(seq))
            .Select(seq => noticed.TryGetValue(seq, out string? when) ? $"icmp_seq={seq} (noticed {when})" : $"icmp_seq={seq}")
            .ToList();
        return new PingSummary(transmitted, int.Parse(totals.Groups["received"].Value, CultureInfo.InvariantCulture), unanswered);
    }

    private static string LocalTime(string unixSeconds) =>
        double.TryParse(unixSeconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)).ToLocalTime().ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)
            : unixSeconds;

    // "1500 packets transmitted, 1500 received, 0% packet loss, time 299800ms" (also "..., +3 errors, ...")
    [GeneratedRegex(@"(?<sent>\d+) packets transmitted, (?<received>\d+) received")]
    private static partial Regex Totals();

    // "[1732680000.123456] 64 bytes from 10.2.0.1: icmp_seq=17 ttl=64 time=0.912 ms"
    [GeneratedRegex(@"bytes from .*\bicmp_seq=(?<seq>\d+)\b")]
    private static partial Regex Reply();

    // "[1732680000.123456] no answer yet for icmp_seq=18"
    [GeneratedRegex(@"^\[(?<time>[0-9.]+)\] no answer yet for icmp_seq=(?<seq>\d+)")]
    private static partial Regex NoAnswer();
}
