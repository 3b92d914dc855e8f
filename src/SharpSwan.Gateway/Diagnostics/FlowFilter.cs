using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SharpSwan.Cli.Grammar;
using SharpSwan.Esp.Core;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// `diagnose debug flow filter ...`: which packets `diagnose debug flow trace start` follows. Every condition set must hold
/// (`addr` and `port` hold for either side); a negated one must not. It becomes the match of the nftables rules that set
/// the trace flag (<see cref="NftMatches"/>), so the kernel traces only those packets. Kept per console login.
/// </summary>
public sealed record FlowFilter
{
    /// <summary>The IP protocols whose transport header starts with ports (TCP, UDP, SCTP, UDP-Lite), as the packet core reads them.</summary>
    private const string PortProtocols = "meta l4proto { 6, 17, 132, 136 }";

    private static readonly string[] NegatableWords = ["addr", "saddr", "daddr", "proto", "port", "sport", "dport"];

    public static FlowFilter None { get; } = new();

    public byte? Protocol { get; init; }

    /// <summary>`addr`: the source or the destination.</summary>
    public Ipv4Range? Address { get; init; }

    public Ipv4Range? Source { get; init; }

    public Ipv4Range? Destination { get; init; }

    /// <summary>`port`: the source or the destination port.</summary>
    public (ushort First, ushort Last)? Port { get; init; }

    public (ushort First, ushort Last)? SourcePort { get; init; }

    public (ushort First, ushort Last)? DestinationPort { get; init; }

    /// <summary>The conditions that are inverted, by their keyword.</summary>
    public ImmutableSortedSet<string> Negated { get; init; } = [];

    /// <summary>
    /// Whether a packet passes, as the trace table's rules decide it (<see cref="NftMatches"/>): for the packet core, which
    /// sees the packets the kernel traced again after they entered a tunnel's device.
    /// </summary>
    public bool Matches(in PacketFlow flow)
    {
        var source = flow.Source;
        var destination = flow.Destination;
        return Holds("proto", Protocol is not { } protocol || flow.Protocol == protocol)
            && Holds("saddr", Source is not { } from || from.Contains(source))
            && Holds("daddr", Destination is not { } to || to.Contains(destination))
            && (Address is not { } either || (Negated.Contains("addr")
                ? !either.Contains(source) && !either.Contains(destination)
                : either.Contains(source) || either.Contains(destination)))
            && PortHolds("sport", SourcePort, flow, useSource: true, useDestination: false)
            && PortHolds("dport", DestinationPort, flow, useSource: false, useDestination: true)
            && PortHolds("port", Port, flow, useSource: true, useDestination: true);
    }

    /// <summary>The filter as `diagnose debug flow filter` with no arguments shows it.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        text.Append("vf: any\n");
        Line(text, "proto", "proto", Protocol?.ToString(CultureInfo.InvariantCulture));
        Line(text, "Host addr", "addr", Address?.ToString());
        Line(text, "Host saddr", "saddr", Source?.ToString());
        Line(text, "Host daddr", "daddr", Destination?.ToString());
        Line(text, "port", "port", Ports(Port));
        Line(text, "sport", "sport", Ports(SourcePort));
        Line(text, "dport", "dport", Ports(DestinationPort));
        return text.ToString();
    }

    /// <summary>
    /// The nftables matches a packet must pass to be traced, as alternatives (one rule each, e.g. `addr` is two: source or
    /// destination); one empty match when the filter has no condition. Only numbers are written.
    /// </summary>
    public IReadOnlyList<string> NftMatches()
    {
        List<string> alternatives = [""];
        void And(params string[] choices) =>
            alternatives = [.. alternatives.SelectMany(a => choices.Select(c => a.Length == 0 ? c : $"{a} {c}"))];

        if (Protocol is { } protocol)
        {
            And($"meta l4proto {Op("proto")} {protocol}");
        }

        AddressCondition(And, "saddr", Source, "ip saddr");
        AddressCondition(And, "daddr", Destination, "ip daddr");
        if (Address is { } address)
        {
            if (Negated.Contains("addr"))
            {
                And($"ip saddr != {Nft(address)} ip daddr != {Nft(address)}");
            }
            else
            {
                And($"ip saddr {Nft(address)}", $"ip daddr {Nft(address)}");
            }
        }

        PortCondition(And, "sport", SourcePort, ["th sport"]);
        PortCondition(And, "dport", DestinationPort, ["th dport"]);
        PortCondition(And, "port", Port, ["th sport", "th dport"]);
        return alternatives;
    }

    /// <summary>
    /// Applies one `diagnose debug flow filter &lt;arguments&gt;` to <paramref name="current"/>: the new filter, or null with
    /// <paramref name="error"/> saying why (FortiOS error shape). No arguments leaves it as it is.
    /// </summary>
    public static FlowFilter? Apply(FlowFilter current, IReadOnlyList<string> arguments, out string? error)
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
                error = "policy id: not available as a flow filter: packets are chosen for tracing before any policy decides them; "
                    + "filter on addresses, protocol and ports, and the trace shows the policy that matched\nCommand fail. Return code -1\n";
                return null;
            case "negate":
                var word = values[0].ToLowerInvariant();
                return values.Count == 1 && NegatableWords.Contains(word)
                    ? current with { Negated = current.Negated.Add(word) }
                    : Fail(values, out error);
            case "proto":
                return FilterArguments.TryProtocol(values, out var protocol) ? current with { Protocol = protocol } : Fail(values, out error);
            case "addr" or "saddr" or "daddr":
                if (!FilterArguments.TryAddresses(values, out var range))
                {
                    return Fail(values, out error);
                }

                return keyword switch
                {
                    "addr" => current with { Address = range },
                    "saddr" => current with { Source = range },
                    _ => current with { Destination = range },
                };
            case "port" or "sport" or "dport":
                if (!FilterArguments.TryPorts(values, out var ports))
                {
                    return Fail(values, out error);
                }

                return keyword switch
                {
                    "port" => current with { Port = ports },
                    "sport" => current with { SourcePort = ports },
                    _ => current with { DestinationPort = ports },
                };
            default:
                error = CommandTree.ParseError(arguments[0]);
                return null;
        }
    }

    private void AddressCondition(Action<string[]> and, string keyword, Ipv4Range? range, string field)
    {
        if (range is { } value)
        {
            and([$"{field} {Op(keyword)} {Nft(value)}"]);
        }
    }

    /// <summary>A port condition; negated, it also holds for packets of protocols without ports (ICMP, ESP...).</summary>
    private void PortCondition(Action<string[]> and, string keyword, (ushort First, ushort Last)? ports, string[] fields)
    {
        if (ports is not { } value)
        {
            return;
        }

        var text = value.First == value.Last ? $"{value.First}" : $"{value.First}-{value.Last}";
        if (Negated.Contains(keyword))
        {
            and(["meta l4proto != { 6, 17, 132, 136 }", $"{PortProtocols} {string.Join(' ', fields.Select(f => $"{f} != {text}"))}"]);
        }
        else
        {
            and([.. fields.Select(f => $"{PortProtocols} {f} {text}")]);
        }
    }

    private bool Holds(string keyword, bool condition) => Negated.Contains(keyword) ? !condition : condition;

    /// <summary>A port condition: either named side in the range; negated, neither is (or the packet has no ports).</summary>
    private bool PortHolds(string keyword, (ushort First, ushort Last)? ports, in PacketFlow flow, bool useSource, bool useDestination)
    {
        if (ports is not { } range)
        {
            return true;
        }

        bool In(ushort port) => port >= range.First && port <= range.Last;
        var matched = flow.HasPorts && ((useSource && In(flow.SourcePort)) || (useDestination && In(flow.DestinationPort)));
        return Negated.Contains(keyword) ? !matched : matched;
    }

    private string Op(string keyword) => Negated.Contains(keyword) ? "!=" : "==";

    private static string Nft(Ipv4Range range) =>
        range.Start == range.End ? Ipv4Range.Text(range.Start) : $"{Ipv4Range.Text(range.Start)}-{Ipv4Range.Text(range.End)}";

    private static string? Ports((ushort First, ushort Last)? ports) =>
        ports is { } value ? (value.First == value.Last ? $"{value.First}" : $"{value.First}-{value.Last}") : null;

    private void Line(StringBuilder text, string label, string keyword, string? value)
    {
        var negated = value is not null && Negated.Contains(keyword) ? " (negate)" : "";
        text.Append(CultureInfo.InvariantCulture, $"{label}: {value ?? "any"}{negated}\n");
    }

    private static FlowFilter? Fail(List<string> values, out string error)
    {
        error = FilterArguments.ValueError(values);
        return null;
    }
}
