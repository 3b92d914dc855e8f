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
    /// <summary>The keywords <c>negate</c> takes: the conditions the filter holds.</summary>
    private static readonly string[] Conditions = ["proto", "proto-state", "src", "nsrc", "dst", "sport", "nport", "dport", "policy", "expire"];

    public static SessionFilter None { get; } = new();

    public byte? Protocol { get; init; }

    public Ipv4Range? Source { get; init; }

    public Ipv4Range? Destination { get; init; }

    public (ushort First, ushort Last)? SourcePorts { get; init; }

    public (ushort First, ushort Last)? DestinationPorts { get; init; }

    /// <summary>FortiOS's proto_state of the session (TCP's state in its numbering, UDP 01 once answered).</summary>
    public byte? ProtocolState { get; init; }

    /// <summary>The source a source NAT gave the session (`nsrc`); a session without one never matches.</summary>
    public Ipv4Range? NatSource { get; init; }

    /// <summary>The source port a source NAT gave the session (`nport`).</summary>
    public (ushort First, ushort Last)? NatSourcePorts { get; init; }

    /// <summary>Seconds left before the session expires (`expire`).</summary>
    public (uint First, uint Last)? Expire { get; init; }

    /// <summary>The ids of the policies whose sessions match (the one that admitted each, <see cref="ConnectionEntry.PolicyId"/>).</summary>
    public (long First, long Last)? PolicyIds { get; init; }

    /// <summary>The conditions that are inverted, by their keyword.</summary>
    public ImmutableSortedSet<string> Negated { get; init; } = [];

    public bool IsEmpty =>
        Protocol is null && Source is null && Destination is null && SourcePorts is null && DestinationPorts is null && PolicyIds is null
        && ProtocolState is null && NatSource is null && NatSourcePorts is null && Expire is null;

    public bool Matches(ConnectionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Holds("proto", Protocol is not { } protocol || entry.Protocol == protocol)
            && Holds("src", Source is not { } source || source.Contains(entry.Source))
            && Holds("dst", Destination is not { } destination || destination.Contains(entry.Destination))
            && Holds("sport", SourcePorts is not { } sports || (entry.HasPorts && entry.SourcePort >= sports.First && entry.SourcePort <= sports.Last))
            && Holds("dport", DestinationPorts is not { } dports || (entry.HasPorts && entry.DestinationPort >= dports.First && entry.DestinationPort <= dports.Last))
            && Holds("policy", PolicyIds is not { } ids || (entry.PolicyId is { } id && id >= ids.First && id <= ids.Last))
            && Holds("proto-state", ProtocolState is not { } state || SessionReport.ProtocolState(entry) == state)
            && Holds("nsrc", NatSource is not { } nat || (SessionReport.SourceTranslated(entry) && nat.Contains(entry.ReplyDestination)))
            && Holds("nport", NatSourcePorts is not { } nports
                || (entry.HasPorts && SessionReport.SourceTranslated(entry) && entry.ReplyDestinationPort >= nports.First && entry.ReplyDestinationPort <= nports.Last))
            && Holds("expire", Expire is not { } expire || (entry.ExpiresInSeconds is { } left && left >= expire.First && left <= expire.Last));
    }

    /// <summary>The filter as `diagnose sys session filter` with no arguments shows it.</summary>
    public string Render()
    {
        var text = new StringBuilder("session filter:\n");
        Line(text, "vd", null, "any");
        Line(text, "proto", "proto", Protocol?.ToString(CultureInfo.InvariantCulture));
        Line(text, "proto-state", "proto-state", ProtocolState?.ToString("00", CultureInfo.InvariantCulture));
        Line(text, "source ip", "src", Source is { } source ? $"{Ipv4Range.Text(source.Start)}-{Ipv4Range.Text(source.End)}" : null);
        Line(text, "NAT'd source ip", "nsrc", NatSource is { } nat ? $"{Ipv4Range.Text(nat.Start)}-{Ipv4Range.Text(nat.End)}" : null);
        Line(text, "dest ip", "dst", Destination is { } destination ? $"{Ipv4Range.Text(destination.Start)}-{Ipv4Range.Text(destination.End)}" : null);
        Line(text, "source port", "sport", SourcePorts is { } sports ? $"{sports.First}-{sports.Last}" : null);
        Line(text, "NAT'd source port", "nport", NatSourcePorts is { } nports ? $"{nports.First}-{nports.Last}" : null);
        Line(text, "dest port", "dport", DestinationPorts is { } dports ? $"{dports.First}-{dports.Last}" : null);
        Line(text, "policy id", "policy", PolicyIds is { } ids ? string.Create(CultureInfo.InvariantCulture, $"{ids.First}-{ids.Last}") : null);
        Line(text, "expire", "expire", Expire is { } expire ? string.Create(CultureInfo.InvariantCulture, $"{expire.First}-{expire.Last}") : null);
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
            case "vd-name":
                return values is [var vdom] && vdom is "root" or "any" or "-1" ? current : Fail(values, out error);
            case "sintf" or "dintf" or "duration" or "session-state1" or "session-state2":
                error = $"{keyword}: not available as a session filter: a session here is the kernel's connection tracking entry, which does not record {Unrecorded(keyword)}\nCommand fail. Return code -1\n";
                return null;
            case "ext-src" or "ext-dst" or "ext-src-negate" or "ext-dst-negate":
                error = $"{keyword}: extended address lists are not kept here: use {(keyword.StartsWith("ext-src", StringComparison.Ordinal) ? "src" : "dst")} with a range (and negate)\nCommand fail. Return code -1\n";
                return null;
            case "proto-state":
                return values is [var text] && byte.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var state)
                    ? current with { ProtocolState = state }
                    : Fail(values, out error);
            case "nsrc":
                return FilterArguments.TryAddresses(values, out var natRange) ? current with { NatSource = natRange } : Fail(values, out error);
            case "nport":
                return FilterArguments.TryPorts(values, out var natPorts) ? current with { NatSourcePorts = natPorts } : Fail(values, out error);
            case "expire":
                return TryExpire(values, out var expire) ? current with { Expire = expire } : Fail(values, out error);
            case "policy":
                return TryPolicyIds(values, out var ids) ? current with { PolicyIds = ids } : Fail(values, out error);
            case "negate":
                return values.Count == 1 && Conditions.Contains(values[0].ToLowerInvariant())
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

    private static string Unrecorded(string keyword) => keyword switch
    {
        "sintf" or "dintf" => "the interfaces",
        "duration" => "when it began (net.netfilter.nf_conntrack_timestamp is off by default)",
        _ => "FortiOS's session states",
    };

    /// <summary>Seconds left, one value or a range.</summary>
    private static bool TryExpire(List<string> values, out (uint First, uint Last) expire)
    {
        expire = default;
        if (values.Count > 2
            || !uint.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            || !uint.TryParse(values[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            || last < first)
        {
            return false;
        }

        expire = (first, last);
        return true;
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
