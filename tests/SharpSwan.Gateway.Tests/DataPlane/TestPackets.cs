using System.Buffers.Binary;

namespace SharpSwan.Gateway.Tests.DataPlane;

/// <summary>Hand-built IPv4/TCP packets and a deliberately naive checksum (16-bit words, one at a time) to check against.</summary>
internal static class TestPackets
{
    public const byte Ack = 0x10;
    public const byte Psh = 0x08;
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Cwr = 0x80;

    public static readonly byte[] Source = [10, 1, 0, 1];
    public static readonly byte[] Destination = [10, 2, 0, 1];

    /// <summary>RFC 1071 the slow way.</summary>
    public static ushort NaiveChecksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (var i = 0; i < data.Length; i += 2)
        {
            var word = (uint)(data[i] << 8) | (i + 1 < data.Length ? data[i + 1] : 0u);
            sum += word;
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    /// <summary>The TCP checksum of a whole IPv4 packet, computed from scratch with the checksum field taken as zero.</summary>
    public static ushort NaiveTcpChecksum(ReadOnlySpan<byte> packet)
    {
        var ipHeaderLength = (packet[0] & 0x0f) * 4;
        var tcpLength = packet.Length - ipHeaderLength;
        var buffer = new byte[12 + tcpLength];
        packet.Slice(12, 8).CopyTo(buffer);
        buffer[9] = 6;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(10), (ushort)tcpLength);
        packet[ipHeaderLength..].CopyTo(buffer.AsSpan(12));
        buffer[12 + 16] = 0;
        buffer[12 + 17] = 0;
        return NaiveChecksum(buffer);
    }

    public static ushort IpChecksumField(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet[10..]);

    public static ushort TcpChecksumField(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt16BigEndian(packet[((packet[0] & 0x0f) * 4 + 16)..]);

    public static uint Sequence(ReadOnlySpan<byte> packet) => BinaryPrimitives.ReadUInt32BigEndian(packet[24..]);

    public static byte Flags(ReadOnlySpan<byte> packet) => packet[33];

    /// <summary>
    /// An IPv4 TCP packet (no IP options; TCP with a 12-byte timestamp option block) with correct checksums.
    /// Payload byte i is (byte)(payloadStart + i), so joined or cut payloads can be checked position by position.
    /// </summary>
    public static byte[] Tcp(uint sequence, int payloadLength, byte flags, ushort ipId = 100, int payloadStart = 0, ushort sourcePort = 40000, uint tsValue = 7)
    {
        const int tcpHeaderLength = 32;
        var packet = new byte[20 + tcpHeaderLength + payloadLength];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), ipId);
        packet[6] = 0x40; // DF
        packet[8] = 64;
        packet[9] = 6;
        Source.CopyTo(packet, 12);
        Destination.CopyTo(packet, 16);
        var tcp = packet.AsSpan(20);
        BinaryPrimitives.WriteUInt16BigEndian(tcp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[2..], 5201);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[8..], 0x11223344);
        tcp[12] = (tcpHeaderLength / 4) << 4;
        tcp[13] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(tcp[14..], 502);
        tcp[20] = 1; // NOP
        tcp[21] = 1; // NOP
        tcp[22] = 8; // timestamps
        tcp[23] = 10;
        BinaryPrimitives.WriteUInt32BigEndian(tcp[24..], tsValue);
        BinaryPrimitives.WriteUInt32BigEndian(tcp[28..], 99);
        for (var i = 0; i < payloadLength; i++)
        {
            tcp[tcpHeaderLength + i] = (byte)(payloadStart + i);
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), NaiveChecksum(packet.AsSpan(0, 20)));
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], NaiveTcpChecksum(packet));
        return packet;
    }

    /// <summary>
    /// An IPv4 UDP datagram (DF clear) from <paramref name="source"/> to <paramref name="destination"/> with correct
    /// checksums; payload byte i is (byte)(payloadStart + i).
    /// </summary>
    public static byte[] Udp(int payloadLength, ushort ipId = 9, int payloadStart = 0, ushort sourcePort = 50000, ushort destinationPort = 5201, byte[]? source = null, byte[]? destination = null, byte tos = 0)
    {
        var packet = new byte[28 + payloadLength];
        packet[0] = 0x45;
        packet[1] = tos;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), ipId);
        packet[8] = 64;
        packet[9] = 17;
        (source ?? Source).CopyTo(packet, 12);
        (destination ?? Destination).CopyTo(packet, 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payloadLength));
        for (var i = 0; i < payloadLength; i++)
        {
            packet[28 + i] = (byte)(payloadStart + i);
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), NaiveChecksum(packet.AsSpan(0, 20)));
        var pseudo = new byte[12 + packet.Length - 20];
        packet.AsSpan(12, 8).CopyTo(pseudo);
        pseudo[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(pseudo.AsSpan(10), (ushort)(packet.Length - 20));
        packet.AsSpan(20).CopyTo(pseudo.AsSpan(12));
        var checksum = NaiveChecksum(pseudo);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(26), checksum == 0 ? (ushort)0xffff : checksum);
        return packet;
    }

    /// <summary>Cuts an IPv4 packet (20-byte header) into fragments of at most <paramref name="mtu"/> bytes, as a stack does.</summary>
    public static byte[][] Fragments(byte[] packet, int mtu)
    {
        var data = packet.AsSpan(20);
        var step = (mtu - 20) / 8 * 8;
        var fragments = new List<byte[]>();
        for (var offset = 0; offset < data.Length; offset += step)
        {
            var length = Math.Min(step, data.Length - offset);
            var fragment = new byte[20 + length];
            packet.AsSpan(0, 20).CopyTo(fragment);
            data.Slice(offset, length).CopyTo(fragment.AsSpan(20));
            var more = offset + length < data.Length ? 0x2000 : 0;
            BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(2), (ushort)fragment.Length);
            BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(6), (ushort)(more | (offset / 8)));
            fragment[10] = 0;
            fragment[11] = 0;
            BinaryPrimitives.WriteUInt16BigEndian(fragment.AsSpan(10), NaiveChecksum(fragment.AsSpan(0, 20)));
            fragments.Add(fragment);
        }

        return [.. fragments];
    }
}
