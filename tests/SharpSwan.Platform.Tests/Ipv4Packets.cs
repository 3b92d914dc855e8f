using System.Buffers.Binary;
using System.Net;

namespace SharpSwan.Platform.Tests;

/// <summary>Hand-built IPv4 packets for the TUN round trips.</summary>
internal static class Ipv4Packets
{
    public const byte ProtocolIcmp = 1;
    public const byte ProtocolUdp = 17;

    public static byte[] IcmpEchoRequest(IPAddress source, IPAddress destination, ushort identifier, ushort sequence, ReadOnlySpan<byte> payload)
    {
        byte[] packet = new byte[20 + 8 + payload.Length];
        WriteHeader(packet, source, destination, ProtocolIcmp);
        Span<byte> icmp = packet.AsSpan(20);
        icmp[0] = 8; // echo request
        icmp[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], identifier);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], sequence);
        payload.CopyTo(icmp[8..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum(icmp));
        return packet;
    }

    public static int Version(ReadOnlySpan<byte> packet) => packet.IsEmpty ? 0 : packet[0] >> 4;

    public static int HeaderLength(ReadOnlySpan<byte> packet) => (packet[0] & 0x0F) * 4;

    public static byte Protocol(ReadOnlySpan<byte> packet) => packet[9];

    public static IPAddress Source(ReadOnlySpan<byte> packet) => new(packet.Slice(12, 4));

    public static IPAddress Destination(ReadOnlySpan<byte> packet) => new(packet.Slice(16, 4));

    public static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> packet) =>
        packet[HeaderLength(packet)..BinaryPrimitives.ReadUInt16BigEndian(packet[2..])];

    public static ushort InternetChecksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if ((data.Length & 1) != 0)
        {
            sum += (uint)data[^1] << 8;
        }

        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }

    private static void WriteHeader(Span<byte> packet, IPAddress source, IPAddress destination, byte protocol)
    {
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet[4..], 0x5353);
        packet[8] = 64;
        packet[9] = protocol;
        source.TryWriteBytes(packet[12..], out _);
        destination.TryWriteBytes(packet[16..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet[10..], InternetChecksum(packet[..20]));
    }
}
