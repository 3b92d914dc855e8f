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

    /// <summary>The ids of the policies whose sessions match (the one that admitted each, <see cref="ConnectionEntry.PolicyId"/>).</summary>
    public (long First, long Last)? PolicyIds { get; init; }

    /// <summary>The conditions that are inverted, by their keyword (proto, src, dst, sport, dport, policy).</summary>
    public ImmutableSortedSet<string> Negated { get; init; } = [];

    public bool IsEmpty => Protocol is null && Source is null && Destination is null && SourcePorts is null && DestinationPorts is null && PolicyIds is null;

    public bool Matches(ConnectionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Holds("proto", Protocol is not { } protocol || entry.Protocol == protocol)
            && Holds("src", Source is not { } source || source.Contains(entry.Source))
            && Holds("dst", Destination is not { } destination || destination.Contains(entry.Destination))
            && Holds("sport", SourcePorts is not { } sports || (entry.HasPorts && entry.SourcePort >= sports.First && entry.SourcePort <= sports.Last))
            && Holds("dport", DestinationPorts is not { } dports || (entry.HasPorts && entry.DestinationPort >= dports.First && entry.DestinationPort <= dports.Last))
            && Holds("policy", PolicyIds is not { } ids || (entry.PolicyId is { } id && id >= ids.First && id <= ids.Last));
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
        Line(text, "policy id", "policy", PolicyIds is { } ids ? string.Create(CultureInfo.InvariantCulture, $"{ids.First}-{ids.Last}") : null);
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

        if (!FilterArguments.TrySplit(arguments, out var keyword, out var values, out error))
        {
            return null;
        }

        switch (keyword)
        {
            case "clear":
                return None;
            case "vd":
                return FilterArguments.IsRootVdom(values) ? current : Fail(values, out error);
            case "policy":
                return TryPolicyIds(values, out var ids) ? current with { PolicyIds = ids } : Fail(values, out error);
            case "negate":
                return values.Count == 1 && values[0].ToLowerInvariant() is "proto" or "src" or "dst" or "sport" or "dport" or "policy"
                    ? current with { Negated = current.Negated.Add(values[0].ToLowerInvariant()) }
                    : Fail(values, out error);
            case "proto":
                return FilterArguments.TryProtocol(values, out var protocol) ? current with { Protocol = protocol } : Fail(values, out error);
            case "src" or "dst":
                if (!FilterArguments.TryAddresses(values, out var range))
                {
                    return Fail(values, out error);
                }

                return keyword == "src" ? current with { Source = range } : current with { Destination = range };
            case "sport" or "dport":
                if (!FilterArguments.TryPorts(values, out var ports))
                {
                    return Fail(values, out error);
                }

                return keyword == "sport" ? current with { SourcePorts = ports } : current with { DestinationPorts = ports };
            default:
                error = CommandTree.ParseError(arguments[0]);
                return null;
        }
    }

    /// <summary>One policy id or a range of them, as firewall policies are numbered (0-2147483647).</summary>
    private static bool TryPolicyIds(List<string> values, out (long First, long Last) ids)
    {
        ids = default;
        if (values.Count > 2 || !TryPolicyId(values[0], out var first) || !TryPolicyId(values[^1], out var last) || last < first)
        {
            return false;
        }

        ids = (first, last);
        return true;
    }

    private static bool TryPolicyId(string text, out long id) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id <= int.MaxValue;

    private bool Holds(string keyword, bool condition) => Negated.Contains(keyword) ? !condition : condition;

    private void Line(StringBuilder text, string label, string? keyword, string? value)
    {
        var negated = value is not null && keyword is not null && Negated.Contains(keyword) ? " (negate)" : "";
        text.Append(CultureInfo.InvariantCulture, $"        {label}: {value ?? "any"}{negated}\n");
    }

    private static SessionFilter? Fail(List<string> values, out string error)
    {
        error = FilterArguments.ValueError(values);
        return null;
    }
}
