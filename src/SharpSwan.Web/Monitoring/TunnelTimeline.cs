using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpSwan.Web.Monitoring;

/// <summary>
/// Turns the engine's event log lines (<c>ike 0:&lt;phase1&gt;:&lt;serial&gt;[:&lt;phase2&gt;:&lt;serial&gt;]: text</c>) into
/// timeline events: SA installs, rekeys, expiries, selectors going down and negotiation failures. A rekey is an SA
/// installed while its selector still has a live SA (make-before-break), so the recorder tracks live SPIs per selector.
/// Keeps the last 24 hours, at most <see cref="Capacity"/> events.
/// </summary>
public sealed partial class TunnelTimeline(TimeProvider time)
{
    public const int Capacity = 20_000;

    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private readonly Lock gate = new();
    private readonly Queue<TimelineEvent> events = new();
    private readonly Dictionary<(string Tunnel, string Selector), HashSet<uint>> liveSpis = [];

    /// <summary>Feeds one log line (with or without its timestamp), as happening now.</summary>
    public void Observe(string line) => Observe(line, time.GetUtcNow());

    /// <summary>Feeds one log line that was written at <paramref name="at"/>.</summary>
    public void Observe(string line, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(line);
        var stamp = Timestamp().Match(line);
        var rest = stamp.Success ? line[stamp.Length..] : line;
        const string Prefix = "ike 0:";
        if (!rest.StartsWith(Prefix, StringComparison.Ordinal) || rest.Length <= Prefix.Length || rest[Prefix.Length] == ' ')
        {
            return;
        }

        var separator = rest.IndexOf(": ", Prefix.Length, StringComparison.Ordinal);
        if (separator < 0)
        {
            return;
        }

        var parts = rest[Prefix.Length..separator].Split(':');
        var tunnel = parts[0];
        var selector = parts.Length >= 4 ? parts[2] : null;
        var text = rest[(separator + 2)..];
        lock (gate)
        {
            if (Classify(tunnel, selector, text, at) is { } recorded)
            {
                Add(recorded);
            }
        }
    }

    /// <summary>Events of <paramref name="tunnel"/> at or after <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyList<TimelineEvent> EventsFor(string tunnel, DateTimeOffset since)
    {
        lock (gate)
        {
            return [.. events.Where(e => e.Tunnel == tunnel && e.At >= since)];
        }
    }

    private TimelineEvent? Classify(string tunnel, string? selector, string text, DateTimeOffset now)
    {
        if (selector is not null && text.StartsWith("added IPsec SA: ", StringComparison.Ordinal) && Spi(text) is { } added)
        {
            var live = Live(tunnel, selector);
            var kind = live.Count > 0 ? TimelineEventKind.SaRekeyed : TimelineEventKind.SaInstalled;
            live.Add(added);
            return new TimelineEvent(now, tunnel, selector, kind, text["added IPsec SA: ".Length..]);
        }

        if (selector is not null && (text.StartsWith("deleted IPsec SA: ", StringComparison.Ordinal) || text.StartsWith("peer deleted IPsec SA: ", StringComparison.Ordinal)))
        {
            if (Spi(text) is { } deleted)
            {
                Live(tunnel, selector).Remove(deleted);
            }

            return null;
        }

        if (selector is not null && text.StartsWith("IPsec SA ", StringComparison.Ordinal) && text.Contains(" expired (", StringComparison.Ordinal))
        {
            // The old SA of a rekey retires through the same path: only the last SA of a selector really expires it.
            var live = Live(tunnel, selector);
            return live.Count > 1 ? null : new TimelineEvent(now, tunnel, selector, TimelineEventKind.SaExpired, text);
        }

        if (selector is null && PhaseTwoDown().Match(text) is { Success: true } down)
        {
            var name = down.Groups["name"].Value;
            Live(tunnel, name).Clear();
            return new TimelineEvent(now, tunnel, name, TimelineEventKind.SelectorDown, down.Groups["reason"].Value);
        }

        if (text.StartsWith("established IKE SA ", StringComparison.Ordinal))
        {
            return new TimelineEvent(now, tunnel, null, TimelineEventKind.IkeUp, text["established ".Length..]);
        }

        if (text.StartsWith("IKE SA rekeyed", StringComparison.Ordinal))
        {
            return new TimelineEvent(now, tunnel, null, TimelineEventKind.IkeRekey, text);
        }

        if (text.StartsWith("IKE SA ", StringComparison.Ordinal) && text.Contains(" deleted (", StringComparison.Ordinal))
        {
            return new TimelineEvent(now, tunnel, null, TimelineEventKind.IkeDown, text);
        }

        if (IsFailure(text))
        {
            var failed = selector;
            if (failed is null && FailureSelector().Match(text) is { Success: true } named)
            {
                failed = named.Groups["name"].Value;
            }

            return new TimelineEvent(now, tunnel, failed, TimelineEventKind.NegotiationFailure, text);
        }

        return null;
    }

    private static bool IsFailure(string text) =>
        text.StartsWith("negotiation failure", StringComparison.Ordinal)
        || text.StartsWith("PSK auth failed", StringComparison.Ordinal)
        || text.StartsWith("IKE rekey failed", StringComparison.Ordinal)
        || text.StartsWith("cannot negotiate", StringComparison.Ordinal)
        || text.Contains("giving up", StringComparison.Ordinal)
        || text.Contains("TS_UNACCEPTABLE", StringComparison.Ordinal);

    private HashSet<uint> Live(string tunnel, string selector)
    {
        if (!liveSpis.TryGetValue((tunnel, selector), out var set))
        {
            set = [];
            liveSpis[(tunnel, selector)] = set;
        }

        return set;
    }

    private void Add(TimelineEvent recorded)
    {
        events.Enqueue(recorded);
        var oldest = recorded.At - Retention;
        while (events.Count > Capacity || (events.TryPeek(out var first) && first.At < oldest))
        {
            events.Dequeue();
        }
    }

    /// <summary>The inbound SPI of "SPIs=xxxxxxxx/yyyyyyyy" or "IPsec SA xxxxxxxx/yyyyyyyy".</summary>
    private static uint? Spi(string text) =>
        SpiPair().Match(text) is { Success: true } match
            && uint.TryParse(match.Groups["in"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var spi)
                ? spi
                : null;

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} ")]
    private static partial Regex Timestamp();

    [GeneratedRegex(@"(?:SPIs=|IPsec SA )(?<in>[0-9a-f]{8})/[0-9a-f]{8}")]
    private static partial Regex SpiPair();

    [GeneratedRegex(@"^phase2 (?<name>\S+) down \((?<reason>.*)\)$")]
    private static partial Regex PhaseTwoDown();

    [GeneratedRegex(@" for (?<name>[^\s:]+):")]
    private static partial Regex FailureSelector();
}
