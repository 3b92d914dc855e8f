using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SharpSwan.Cli.Grammar;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// `diagnose sys session filter ...`: which sessions (IPv4 connection tracking entries, by their original direction)
/// `diagnose sys session clear` deletes. Every condition set must hold; a negated one must not. Kept per console
/// login, like the IKE log filter.
/// </summary>
public sealed record SessionFilter
{
    public static SessionFilter None { get; } = new();

    public byte? Protocol { get; init; }

    public Ipv4Range? Source { get; init; }

    public Ipv4Range? Destination { get; init; }

    public (ushort First, ushort Last)? SourcePorts { get; init; }

    public (ushort First, ushort Last)? DestinationPorts { get; init; }

    /// <summary>The conditions that are inverted, by their keyword (proto, src, dst, sport, dport).</summary>
    public ImmutableSortedSet<string> Negated { get; init; } = [];

    public bool IsEmpty => Protocol is null && Source is null && Destination is null && SourcePorts is null && DestinationPorts is null;

    public bool Matches(ConnectionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Holds("proto", Protocol is not { } protocol || entry.Protocol == protocol)
            && Holds("src", Source is not { } source || source.Contains(entry.Source))
            && Holds("dst", Destination is not { } destination || destination.Contains(entry.Destination))
            && Holds("sport", SourcePorts is not { } sports || (entry.HasPorts && entry.SourcePort >= sports.First && entry.SourcePort <= sports.Last))
            && Holds("dport", DestinationPorts is not { } dports || (entry.HasPorts && entry.DestinationPort >= dports.First && entry.DestinationPort <= dports.Last));
    }

    /// <summary>The filter as `diagnose sys session filter` with no arguments shows it.</summary>
    public string Render()
    {
        var text = new StringBuilder("session filter:\n");
        Line(text, "vd", null, "any");
        Line(text, "proto", "proto", Protocol?.ToString(CultureInfo.InvariantCulture));
        Line(text, "source ip", "src", Source is { } source ? $"{Ipv4Range.Text(source.Start)}-{Ipv4Range.Text(source.End)}" : null);
        Line(text, "dest ip", "dst", Destination is { } destination ? $"{Ipv4Range.Text(destination.Start)}-{Ipv4Range.Text(destination.End)}" : null);
        Line(text, "source port", "sport", SourcePorts is { } sports ? $"{sports.First}-{sports.Last}" : null);
        Line(text, "dest port", "dport", DestinationPorts is { } dports ? $"{dports.First}-{dports.Last}" : null);
        return text.ToString();
    }

    /// <summary>
    /// Applies one `diagnose sys session filter &lt;arguments&gt;` to <paramref name="current"/>: the new filter, or null with
    /// <paramref name="error"/> saying why (FortiOS error shape). No arguments leaves it as it is.
    /// </summary>
    public static SessionFilter? Apply(SessionFilter current, IReadOnlyList<string> arguments, out string? error)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(arguments);
        error = null;
        if (arguments.Count == 0)
        {
            return current;
        }

        var keyword = arguments[0].ToLowerInvariant();
        var values = arguments.Skip(1).ToList();
        if (keyword == "clear")
        {
            return values.Count == 0 ? None : Fail(values[0], out error);
        }

        if (values.Count == 0)
        {
            return Fail(arguments[0], out error);
        }

        switch (keyword)
        {
            case "vd":
                // One VDOM (root, index 0): -1 (every VDOM) and 0 both match every session.
                return values.Count == 1 && values[0] is "-1" or "0" ? current : Fail(values[^1], out error);
            case "policy":
                error = "policy id: not available as a session filter: a session here is the kernel's connection tracking entry, which does not record the policy that admitted it\nCommand fail. Return code -1\n";
                return null;
            case "negate":
                return values.Count == 1 && values[0].ToLowerInvariant() is "proto" or "src" or "dst" or "sport" or "dport"
                    ? current with { Negated = current.Negated.Add(values[0].ToLowerInvariant()) }
                    : Fail(values[^1], out error);
            case "proto":
                return values.Count == 1 && byte.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var protocol)
                    ? current with { Protocol = protocol }
                    : Fail(values[^1], out error);
            case "src" or "dst":
                if (values.Count > 2 || !(values.Count == 2 ? Ipv4Range.TryParse(values[0], values[1], out var range) : Ipv4Range.TryParse(values[0], out range)))
                {
                    return Fail(values[^1], out error);
                }

                return keyword == "src" ? current with { Source = range } : current with { Destination = range };
            case "sport" or "dport":
                if (values.Count > 2 || !TryPort(values[0], out var first) || !TryPort(values[^1], out var last) || last < first)
                {
                    return Fail(values[^1], out error);
                }

                return keyword == "sport" ? current with { SourcePorts = (first, last) } : current with { DestinationPorts = (first, last) };
            default:
                return Fail(arguments[0], out error);
        }
    }

    private bool Holds(string keyword, bool condition) => Negated.Contains(keyword) ? !condition : condition;

    private void Line(StringBuilder text, string label, string? keyword, string? value)
    {
        var negated = value is not null && keyword is not null && Negated.Contains(keyword) ? " (negate)" : "";
        text.Append(CultureInfo.InvariantCulture, $"        {label}: {value ?? "any"}{negated}\n");
    }

    private static bool TryPort(string text, out ushort port) => ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port);

    private static SessionFilter? Fail(string word, out string error)
    {
        error = CommandTree.ParseError(word);
        return null;
    }
}
