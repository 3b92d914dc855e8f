namespace SharpSwan.Config;

/// <summary>
/// What one part of a firewall service matches: an IP protocol (0: every protocol) and, for protocols with ports, the
/// destination and source port ranges (inclusive) of the connection's first packet.
/// </summary>
public readonly record struct ServiceRange(byte Protocol, ushort DestinationLow, ushort DestinationHigh, ushort SourceLow, ushort SourceHigh)
{
    /// <summary>Every protocol and port: FortiOS's predefined <c>ALL</c>.</summary>
    public static ServiceRange All { get; } = AllOf(0);

    /// <summary>Every port of one protocol (<c>protocol IP</c> with a protocol number, <c>ICMP</c>, <c>ALL_TCP</c>).</summary>
    public static ServiceRange AllOf(byte protocol) => new(protocol, 0, ushort.MaxValue, 0, ushort.MaxValue);

    /// <summary>True when no port is checked.</summary>
    public bool AllPorts => DestinationLow == 0 && DestinationHigh == ushort.MaxValue && SourceLow == 0 && SourceHigh == ushort.MaxValue;
}
