using System.Collections.Immutable;
using System.Globalization;

namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config firewall service custom</c>: the protocols and ports a firewall policy's <c>service</c> matches.
/// Port ranges are FortiOS's <c>dstlow[-dsthigh][:srclow[-srchigh]]</c>, space-separated.
/// </summary>
internal static class FirewallServiceSchema
{
    public const string Path = "firewall service custom";

    public const string DefaultProtocol = "TCP/UDP/UDP-Lite/SCTP";

    public const string IpProtocol = "IP";

    public const string IcmpProtocol = "ICMP";

    private static readonly string[] Supported = ["TCP/UDP/SCTP", DefaultProtocol, IpProtocol, IcmpProtocol];

    private static readonly string[] FortiOsProtocols =
        ["TCP/UDP/SCTP", DefaultProtocol, IpProtocol, IcmpProtocol, "ICMP6", "HTTP", "FTP", "CONNECT", "SOCKS-TCP", "SOCKS-UDP", "ALL"];

    /// <summary>The port-range fields and the protocol number each stands for.</summary>
    public static readonly (string Field, byte Protocol)[] PortFields =
        [("tcp-portrange", 6), ("udp-portrange", 17), ("sctp-portrange", 132), ("udplite-portrange", 136)];

    public static FieldTable<FirewallServiceDraft> Fields { get; } = Create();

    private static FieldTable<FirewallServiceDraft> Create()
    {
        var table = new FieldTable<FirewallServiceDraft> { TablePath = Path }
            .Interpret("protocol", (d, r) =>
            {
                if (Checks.OnlySupported(Supported, FortiOsProtocols, "proxy and IPv6 service protocols")(r))
                {
                    d.Service = d.Service with { ProtocolKind = r.Setting.Values[0].Text };
                }
            })
            .Interpret("protocol-number", (d, r) => { if (r.Int(0, 254) is { } v) { d.Service = d.Service with { ProtocolNumber = v }; } })
            .Keep("comment", Checks.Text(255))
            .Keep("color", Checks.Range(0, 32))
            .Keep("uuid", Checks.Text(36))
            .Keep("category", Checks.Text(63))
            .Keep(["visibility", "proxy", "fabric-object"], Checks.OneOf("enable", "disable"))
            .Keep(["icmptype", "icmpcode"], Checks.EmptyOnly(3, "ICMP type and code matching (a service with protocol ICMP matches every ICMP message)"))
            .Refuse(
                ["iprange", "fqdn", "session-ttl", "tcp-halfclose-timer", "tcp-halfopen-timer", "tcp-timewait-timer", "udp-idle-timer", "check-reset-range", "app-service-type", "helper"],
                "a FortiOS service setting SharpSwan does not implement (protocols and port ranges only)");
        foreach (var (field, protocol) in PortFields)
        {
            table.Interpret(field, (d, r) => { if (PortRanges(r, protocol) is { } v) { d.Ports[protocol] = v; } });
        }

        return table;
    }

    /// <summary>Parses <c>dstlow[-dsthigh][:srclow[-srchigh]]</c> values; null (with an error) when one is malformed.</summary>
    private static ImmutableArray<ServiceRange>? PortRanges(SettingReader reader, byte protocol)
    {
        var ranges = ImmutableArray.CreateBuilder<ServiceRange>();
        foreach (var token in reader.Setting.Values)
        {
            var parts = token.Text.Split(':');
            if (parts.Length > 2 || Range(parts[0]) is not { } destination || (parts.Length == 2 ? Range(parts[1]) : (0, ushort.MaxValue)) is not { } source)
            {
                reader.ValueError(token, $"{reader.Field} {token.Text}: a port range is low[-high][:srclow[-srchigh]] with ports 0-65535, low <= high");
                return null;
            }

            ranges.Add(new ServiceRange(protocol, destination.Low, destination.High, source.Low, source.High));
        }

        return ranges.ToImmutable();
    }

    private static (ushort Low, ushort High)? Range(string text)
    {
        var bounds = text.Split('-');
        if (bounds.Length > 2 || !ushort.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var low))
        {
            return null;
        }

        if (bounds.Length == 1)
        {
            return (low, low);
        }

        return ushort.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var high) && high >= low ? (low, high) : null;
    }

    /// <summary>The port ranges written for one protocol field, as FortiOS prints them.</summary>
    public static string Format(ServiceRange range)
    {
        static string Part(ushort low, ushort high) => low == high ? low.ToString(CultureInfo.InvariantCulture) : $"{low}-{high}";
        var destination = Part(range.DestinationLow, range.DestinationHigh);
        return range.SourceLow == 0 && range.SourceHigh == ushort.MaxValue ? destination : $"{destination}:{Part(range.SourceLow, range.SourceHigh)}";
    }
}
