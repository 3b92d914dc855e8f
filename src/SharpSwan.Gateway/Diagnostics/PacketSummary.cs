using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Text;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// The one-line description the FortiOS sniffer prints after the timestamp: `10.0.1.10 -> 8.8.8.8: icmp: echo request`,
/// `198.51.100.1.500 -> 198.51.100.2.500: udp 296`, `ESP(spi=0x2e03e37b,seq=0x2)`, `arp who-has A tell B`.
/// Reads untrusted bytes: truncated or malformed packets are described as such, never thrown on.
/// </summary>
public static class PacketSummary
{
    public const ushort EtherTypeIpv4 = 0x0800;
    public const ushort EtherTypeArp = 0x0806;
    public const ushort EtherTypeIpv6 = 0x86DD;
    private const ushort EtherTypeVlan = 0x8100;
    private const int NatTraversalPort = 4500;

    /// <summary>
    /// Where the network layer starts in a frame of the given link type, and its EtherType; -1 when the link header is
    /// unknown or truncated.
    /// </summary>
    public static int NetworkOffset(int linkType, ReadOnlySpan<byte> frame, out ushort etherType)
    {
        etherType = 0;
        switch (linkType)
        {
            case CaptureLinkType.Ethernet:
                if (frame.Length < 14)
                {
                    return -1;
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
                if (etherType == EtherTypeVlan)
                {
                    if (frame.Length < 18)
                    {
                        return -1;
                    }

                    etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[16..]);
                    return 18;
                }

                return 14;
            case CaptureLinkType.Raw:
                if (frame.IsEmpty)
                {
                    return -1;
                }

                etherType = (frame[0] >> 4) switch { 4 => EtherTypeIpv4, 6 => EtherTypeIpv6, _ => 0 };
                return 0;
            case CaptureLinkType.LinuxSll:
                if (frame.Length < 16)
                {
                    return -1;
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[14..]);
                return 16;
            case CaptureLinkType.LinuxSll2:
                if (frame.Length < 20)
                {
                    return -1;
                }

                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame);
                return 20;
            case CaptureLinkType.Null:
                if (frame.Length < 4)
                {
                    return -1;
                }

                // BSD loopback: the address family in host byte order (2 = IPv4; 10, 24, 28 or 30 = IPv6).
                var family = BinaryPrimitives.ReadUInt32LittleEndian(frame);
                etherType = family == 2 ? EtherTypeIpv4 : family is 10 or 24 or 28 or 30 ? EtherTypeIpv6 : (ushort)0;
                return 4;
            default:
                return -1;
        }
    }

    /// <summary>Describes a whole frame; see <see cref="NetworkOffset"/>.</summary>
    public static string DescribeFrame(int linkType, ReadOnlySpan<byte> frame)
    {
        var offset = NetworkOffset(linkType, frame, out var etherType);
        return offset < 0
            ? string.Create(CultureInfo.InvariantCulture, $"link type {linkType}, truncated or unknown header, len {frame.Length}")
            : Describe(etherType, frame[offset..]);
    }

    /// <summary>Describes a network-layer packet of the given EtherType.</summary>
    public static string Describe(ushort etherType, ReadOnlySpan<byte> packet) => etherType switch
    {
        EtherTypeIpv4 => DescribeIpv4(packet),
        EtherTypeIpv6 => DescribeIpv6(packet),
        EtherTypeArp => DescribeArp(packet),
        _ => string.Create(CultureInfo.InvariantCulture, $"ether type 0x{etherType:x4}, len {packet.Length}"),
    };

    private static string DescribeIpv4(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 20 || packet[0] >> 4 != 4)
        {
            return string.Create(CultureInfo.InvariantCulture, $"truncated-ip, len {packet.Length}");
        }

        var headerLength = (packet[0] & 0x0F) * 4;
        var source = new IPAddress(packet[12..16]).ToString();
        var destination = new IPAddress(packet[16..20]).ToString();
        if (headerLength < 20 || packet.Length < headerLength)
        {
            return $"{source} -> {destination}: truncated-ip (header length {headerLength})";
        }

        var totalLength = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var end = Math.Clamp((int)totalLength, headerLength, packet.Length);
        var protocol = packet[9];
        var fragment = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        var fragmentOffset = (fragment & 0x1FFF) * 8;
        var payload = packet[headerLength..end];
        var payloadLength = Math.Max(0, totalLength - headerLength);
        if (fragmentOffset > 0)
        {
            // Only the first fragment carries the transport header.
            var id = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
            return string.Create(CultureInfo.InvariantCulture, $"{source} -> {destination}: ip-proto-{protocol} (frag {id}:{payloadLength}@{fragmentOffset}{((fragment & 0x2000) != 0 ? "+" : string.Empty)})");
        }

        return DescribeTransport(protocol, source, destination, payload, payloadLength, isIpv6: false);
    }

    private static string DescribeIpv6(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 40 || packet[0] >> 4 != 6)
        {
            return string.Create(CultureInfo.InvariantCulture, $"truncated-ip6, len {packet.Length}");
        }

        var payloadLength = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        var source = new IPAddress(packet[8..24]).ToString();
        var destination = new IPAddress(packet[24..40]).ToString();
        var payload = packet[40..Math.Min(packet.Length, 40 + payloadLength)];
        return DescribeTransport(packet[6], source, destination, payload, payloadLength, isIpv6: true);
    }

    private static string DescribeTransport(byte protocol, string source, string destination, ReadOnlySpan<byte> payload, int payloadLength, bool isIpv6)
    {
        switch (protocol)
        {
            case 6:
                if (payload.Length < 20)
                {
                    return $"{source} -> {destination}: tcp (truncated)";
                }

                return $"{source}.{Port(payload)} -> {destination}.{Port(payload[2..])}: {DescribeTcp(payload)}";
            case 17:
                if (payload.Length < 8)
                {
                    return $"{source} -> {destination}: udp (truncated)";
                }

                return $"{source}.{Port(payload)} -> {destination}.{Port(payload[2..])}: {DescribeUdp(payload)}";
            case 1 when !isIpv6:
                return $"{source} -> {destination}: icmp: {DescribeIcmp(payload)}";
            case 58 when isIpv6:
                return $"{source} -> {destination}: icmp6: {DescribeIcmp6(payload)}";
            case 50:
                return $"{source} -> {destination}: {DescribeEsp(payload)}";
            case 51:
                return payload.Length < 12
                    ? $"{source} -> {destination}: AH (truncated)"
                    : string.Create(CultureInfo.InvariantCulture, $"{source} -> {destination}: AH(spi=0x{BinaryPrimitives.ReadUInt32BigEndian(payload[4..]):x8},seq=0x{BinaryPrimitives.ReadUInt32BigEndian(payload[8..]):x})");
            default:
                return string.Create(CultureInfo.InvariantCulture, $"{source} -> {destination}: ip-proto-{protocol} {payloadLength}");
        }
    }

    private static string Port(ReadOnlySpan<byte> bytes) =>
        BinaryPrimitives.ReadUInt16BigEndian(bytes).ToString(CultureInfo.InvariantCulture);

    private static string DescribeEsp(ReadOnlySpan<byte> esp) =>
        esp.Length < 8
            ? "ESP (truncated)"
            : string.Create(CultureInfo.InvariantCulture, $"ESP(spi=0x{BinaryPrimitives.ReadUInt32BigEndian(esp):x8},seq=0x{BinaryPrimitives.ReadUInt32BigEndian(esp[4..]):x})");

    private static string DescribeUdp(ReadOnlySpan<byte> udp)
    {
        var sourcePort = BinaryPrimitives.ReadUInt16BigEndian(udp);
        var destinationPort = BinaryPrimitives.ReadUInt16BigEndian(udp[2..]);
        var length = Math.Max(0, BinaryPrimitives.ReadUInt16BigEndian(udp[4..]) - 8);
        var payload = udp[8..];
        if (payload.Length > length)
        {
            payload = payload[..length];
        }

        // RFC 3948: on the NAT-T port, four zero bytes mark IKE and a single 0xFF is a keepalive; anything else is ESP.
        var natTraversal = sourcePort == NatTraversalPort || destinationPort == NatTraversalPort;
        if (natTraversal && payload.Length >= 8 && BinaryPrimitives.ReadUInt32BigEndian(payload) != 0)
        {
            return DescribeEsp(payload);
        }

        return string.Create(CultureInfo.InvariantCulture, $"udp {length}");
    }

    private static string DescribeTcp(ReadOnlySpan<byte> tcp)
    {
        var sequence = BinaryPrimitives.ReadUInt32BigEndian(tcp[4..]);
        var acknowledgement = BinaryPrimitives.ReadUInt32BigEndian(tcp[8..]);
        var flags = tcp[13];
        var words = new List<string>(4);
        if ((flags & 0x02) != 0)
        {
            words.Add("syn");
        }

        if ((flags & 0x01) != 0)
        {
            words.Add("fin");
        }

        if ((flags & 0x04) != 0)
        {
            words.Add("rst");
        }

        if ((flags & 0x08) != 0)
        {
            words.Add("psh");
        }

        var text = new StringBuilder();
        if (words.Count > 0 || (flags & 0x10) == 0)
        {
            text.AppendJoin(' ', words);
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(sequence.ToString(CultureInfo.InvariantCulture));
        }

        if ((flags & 0x10) != 0)
        {
            text.Append(text.Length > 0 ? " " : string.Empty).Append("ack ").Append(acknowledgement.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static string DescribeIcmp(ReadOnlySpan<byte> icmp)
    {
        if (icmp.Length < 4)
        {
            return "(truncated)";
        }

        var type = icmp[0];
        var code = icmp[1];
        switch (type)
        {
            case 0:
                return "echo reply";
            case 8:
                return "echo request";
            case 3:
                return DescribeUnreachable(code, icmp);
            case 11:
                return code == 0 ? "time exceeded in-transit" : "ip reassembly time exceeded";
            case 5:
                return "redirect";
            default:
                return string.Create(CultureInfo.InvariantCulture, $"type-#{type} code {code}");
        }
    }

    private static string DescribeUnreachable(byte code, ReadOnlySpan<byte> icmp)
    {
        // The quoted header of the packet that could not be delivered follows the 8-byte ICMP header.
        var quoted = icmp.Length > 8 ? icmp[8..] : [];
        var target = quoted.Length >= 20 && quoted[0] >> 4 == 4 ? new IPAddress(quoted[16..20]).ToString() : "?";
        var quotedProtocol = quoted.Length >= 20 ? quoted[9] : (byte)0;
        var quotedHeader = quoted.Length >= 20 ? (quoted[0] & 0x0F) * 4 : 0;
        switch (code)
        {
            case 0:
                return $"net {target} unreachable";
            case 1:
                return $"host {target} unreachable";
            case 2:
                return string.Create(CultureInfo.InvariantCulture, $"{target} protocol {quotedProtocol} unreachable");
            case 3 when quotedProtocol is 6 or 17 && quoted.Length >= quotedHeader + 4:
                return $"{target} {(quotedProtocol == 6 ? "tcp" : "udp")} port {Port(quoted[(quotedHeader + 2)..])} unreachable";
            case 3:
                return $"{target} port unreachable";
            case 4:
                return string.Create(CultureInfo.InvariantCulture, $"{target} unreachable - need to frag (mtu {BinaryPrimitives.ReadUInt16BigEndian(icmp[6..])})");
            default:
                return string.Create(CultureInfo.InvariantCulture, $"{target} unreachable (code {code})");
        }
    }

    private static string DescribeIcmp6(ReadOnlySpan<byte> icmp)
    {
        if (icmp.Length < 4)
        {
            return "(truncated)";
        }

        return icmp[0] switch
        {
            1 => "destination unreachable",
            2 => "packet too big",
            3 => "time exceeded",
            128 => "echo request",
            129 => "echo reply",
            133 => "router solicitation",
            134 => "router advertisement",
            135 => "neighbor solicitation",
            136 => "neighbor advertisement",
            143 => "multicast listener report v2",
            _ => string.Create(CultureInfo.InvariantCulture, $"type {icmp[0]} code {icmp[1]}"),
        };
    }

    private static string DescribeArp(ReadOnlySpan<byte> arp)
    {
        // Ethernet/IPv4 ARP only: hardware type 1, protocol 0x0800, address lengths 6 and 4.
        if (arp.Length < 28 || BinaryPrimitives.ReadUInt16BigEndian(arp) != 1 || BinaryPrimitives.ReadUInt16BigEndian(arp[2..]) != EtherTypeIpv4
            || arp[4] != 6 || arp[5] != 4)
        {
            return string.Create(CultureInfo.InvariantCulture, $"arp (unsupported or truncated), len {arp.Length}");
        }

        var operation = BinaryPrimitives.ReadUInt16BigEndian(arp[6..]);
        var senderMac = string.Join(':', arp[8..14].ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        var senderIp = new IPAddress(arp[14..18]);
        var targetIp = new IPAddress(arp[24..28]);
        return operation switch
        {
            1 => $"arp who-has {targetIp} tell {senderIp}",
            2 => $"arp reply {senderIp} is-at {senderMac}",
            _ => string.Create(CultureInfo.InvariantCulture, $"arp op {operation}"),
        };
    }
}
