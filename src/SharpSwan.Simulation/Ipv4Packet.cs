using System.Buffers.Binary;
using System.Net;

namespace SharpSwan.Simulation;

/// <summary>Builds and reads the minimal IPv4 packets that simulated traffic carries inside ESP.</summary>
public static class Ipv4Packet
{
    public const int HeaderLength = 20;

    /// <summary>IP protocol 253 is reserved for experiments (RFC 3692), so test payloads never pose as real traffic.</summary>
    public const byte ExperimentalProtocol = 253;

    public static byte[] Create(IPAddress source, IPAddress destination, ReadOnlySpan<byte> payload, byte protocol = ExperimentalProtocol)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var packet = new byte[HeaderLength + payload.Length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), checked((ushort)packet.Length));
        packet[8] = 64;
        packet[9] = protocol;
        if (!source.TryWriteBytes(packet.AsSpan(12, 4), out _) || !destination.TryWriteBytes(packet.AsSpan(16, 4), out _))
        {
            throw new ArgumentException("both addresses must be IPv4");
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), HeaderChecksum(packet.AsSpan(0, HeaderLength)));
        payload.CopyTo(packet.AsSpan(HeaderLength));
        return packet;
    }

    /// <summary>Reads the addresses and payload of a packet made by <see cref="Create"/>; false if it is not one.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out IPAddress source, out IPAddress destination, out byte[] payload)
    {
        source = IPAddress.None;
        destination = IPAddress.None;
        payload = [];
        if (packet.Length < HeaderLength || packet[0] != 0x45 || BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) != packet.Length)
        {
            return false;
        }

        source = new IPAddress(packet.Slice(12, 4));
        destination = new IPAddress(packet.Slice(16, 4));
        payload = packet[HeaderLength..].ToArray();
        return true;
    }

    /// <summary>RFC 791 header checksum: one's complement of the one's-complement sum of the 16-bit words.</summary>
    private static ushort HeaderChecksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (var i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
