using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// What a flow trace shows of a packet: its IPv4 addresses and protocol, and the start of its transport header (ports, TCP
/// flags and numbers, ICMP type, code, id and sequence), read from the headers the kernel's trace carries.
/// </summary>
public sealed record FlowPacket(byte Protocol, uint Source, uint Destination)
{
    public const byte Icmp = 1;
    public const byte Tcp = 6;
    public const byte Udp = 17;

    public ushort? SourcePort { get; init; }

    public ushort? DestinationPort { get; init; }

    /// <summary>ICMP type, code, identifier and sequence (the last two for echo messages only).</summary>
    public (byte Type, byte Code, ushort? Identifier, ushort? Sequence)? IcmpFields { get; init; }

    /// <summary>TCP flags, sequence and acknowledgement numbers, window.</summary>
    public (byte Flags, uint Sequence, uint Acknowledgement, ushort Window)? TcpFields { get; init; }

    /// <summary>Null when <paramref name="network"/> is not a readable IPv4 header; the transport part is left out when it is short.</summary>
    public static FlowPacket? Read(ReadOnlySpan<byte> network, ReadOnlySpan<byte> transport)
    {
        if (network.Length < 20 || network[0] >> 4 != 4)
        {
            return null;
        }

        var packet = new FlowPacket(network[9], BinaryPrimitives.ReadUInt32BigEndian(network[12..]), BinaryPrimitives.ReadUInt32BigEndian(network[16..]));

        // Only the first fragment carries the transport header.
        if ((BinaryPrimitives.ReadUInt16BigEndian(network[6..]) & 0x1fff) != 0)
        {
            return packet;
        }

        switch (packet.Protocol)
        {
            case Icmp when transport.Length >= 4:
                var type = transport[0];
                var echo = type is 0 or 8 && transport.Length >= 8;
                return packet with
                {
                    IcmpFields = (type, transport[1], echo ? BinaryPrimitives.ReadUInt16BigEndian(transport[4..]) : null, echo ? BinaryPrimitives.ReadUInt16BigEndian(transport[6..]) : null),
                };
            case Tcp when transport.Length >= 16:
                return packet with
                {
                    SourcePort = BinaryPrimitives.ReadUInt16BigEndian(transport),
                    DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(transport[2..]),
                    TcpFields = (transport[13], BinaryPrimitives.ReadUInt32BigEndian(transport[4..]), BinaryPrimitives.ReadUInt32BigEndian(transport[8..]), BinaryPrimitives.ReadUInt16BigEndian(transport[14..])),
                };
            case Udp or 33 or 132 or 136 when transport.Length >= 4:
                return packet with
                {
                    SourcePort = BinaryPrimitives.ReadUInt16BigEndian(transport),
                    DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(transport[2..]),
                };
            default:
                return packet;
        }
    }

    /// <summary>
    /// FortiOS's `(proto=1, 10.1.0.10:7->10.2.0.10:2048)`: for ICMP the identifier stands for the source port and
    /// type * 256 + code for the destination port; 0 where the packet has neither.
    /// </summary>
    public string Tuple()
    {
        int sourcePort = SourcePort ?? IcmpFields?.Identifier ?? 0;
        int destinationPort = DestinationPort ?? (IcmpFields is { } icmp ? (icmp.Type << 8) | icmp.Code : 0);
        return string.Create(CultureInfo.InvariantCulture, $"(proto={Protocol}, {Ipv4Range.Text(Source)}:{sourcePort}->{Ipv4Range.Text(Destination)}:{destinationPort})");
    }

    /// <summary>What FortiOS adds after the interface: TCP flags and numbers, or ICMP's type, code, id and sequence; empty otherwise.</summary>
    public string Details()
    {
        if (TcpFields is { } tcp)
        {
            return string.Create(CultureInfo.InvariantCulture, $" flag [{TcpFlagText(tcp.Flags)}], seq {tcp.Sequence}, ack {tcp.Acknowledgement}, win {tcp.Window}");
        }

        if (IcmpFields is { } icmp)
        {
            return icmp.Identifier is { } id && icmp.Sequence is { } sequence
                ? string.Create(CultureInfo.InvariantCulture, $" type={icmp.Type}, code={icmp.Code}, id={id}, seq={sequence}.")
                : string.Create(CultureInfo.InvariantCulture, $" type={icmp.Type}, code={icmp.Code}.");
        }

        return "";
    }

    private static string TcpFlagText(byte flags)
    {
        var text = new StringBuilder();
        foreach (var (bit, letter) in new[] { (0x02, 'S'), (0x01, 'F'), (0x04, 'R'), (0x08, 'P'), (0x10, '.'), (0x20, 'U') })
        {
            if ((flags & bit) != 0)
            {
                text.Append(letter);
            }
        }

        return text.ToString();
    }
}
