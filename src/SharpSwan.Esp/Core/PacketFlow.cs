using System.Buffers.Binary;

namespace SharpSwan.Esp.Core;

/// <summary>
/// What traffic selectors and firewall policies look at in an inner IPv4 packet: addresses, protocol and, for the
/// protocols that have them (TCP, UDP, SCTP, UDP-Lite) in a first or only fragment, the ports. Read from the packet's
/// bytes without allocating.
/// </summary>
/// <remarks>
/// A packet without ports (ICMP, other protocols, later fragments) matches a port selector only when the selector allows
/// every port: RFC 4301 lets a selector name ICMP type and code, but neither SharpSwan's configuration nor its policies
/// do, so such a packet is never let through a selector narrower than "all ports".
/// </remarks>
public readonly record struct PacketFlow(uint Source, uint Destination, byte Protocol, ushort SourcePort, ushort DestinationPort, bool HasPorts)
{
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Sctp = 132;
    public const byte UdpLite = 136;

    private const int MinimumHeaderLength = 20;

    /// <summary>Reads the flow of an IPv4 packet; false when it is not one (too short, not version 4, bad header length).</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out PacketFlow flow)
    {
        flow = default;
        if (packet.Length < MinimumHeaderLength || packet[0] >> 4 != 4)
        {
            return false;
        }

        var headerLength = (packet[0] & 0x0f) * 4;
        if (headerLength < MinimumHeaderLength || headerLength > packet.Length)
        {
            return false;
        }

        var protocol = packet[9];
        var source = BinaryPrimitives.ReadUInt32BigEndian(packet[12..]);
        var destination = BinaryPrimitives.ReadUInt32BigEndian(packet[16..]);
        var fragmentOffset = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1fff;
        if (fragmentOffset == 0 && HasPortFields(protocol) && packet.Length >= headerLength + 4)
        {
            var ports = packet[headerLength..];
            flow = new PacketFlow(source, destination, protocol, BinaryPrimitives.ReadUInt16BigEndian(ports), BinaryPrimitives.ReadUInt16BigEndian(ports[2..]), true);
            return true;
        }

        flow = new PacketFlow(source, destination, protocol, 0, 0, false);
        return true;
    }

    /// <summary>Protocols whose first four bytes are the source and destination ports.</summary>
    public static bool HasPortFields(byte protocol) => protocol is Tcp or Udp or Sctp or UdpLite;

    /// <summary>The flow seen from the other end (a reply's flow).</summary>
    public PacketFlow Reversed => new(Destination, Source, Protocol, DestinationPort, SourcePort, HasPorts);

    /// <summary>Whether the protocol fits a selector's protocol (0: any).</summary>
    public bool ProtocolMatches(byte selectorProtocol) => selectorProtocol == 0 || selectorProtocol == Protocol;

    /// <summary>Whether <paramref name="port"/> (this flow's source or destination port) lies in a selector's port range.</summary>
    public bool PortMatches(ushort port, ushort start, ushort end) =>
        (start == 0 && end == ushort.MaxValue) || (HasPorts && port >= start && port <= end);
}
