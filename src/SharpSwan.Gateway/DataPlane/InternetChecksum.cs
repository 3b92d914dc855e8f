using System.Buffers.Binary;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// The RFC 1071 ones'-complement checksum of IP, TCP and UDP. Sums are kept in a 64-bit accumulator of 32-bit words
/// (2^16 is 1 modulo 0xffff, so this folds to the same 16-bit sum) and folded only at the end.
/// </summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> to a running sum. Only the last piece of a sum may have an odd length.</summary>
    public static ulong Add(ulong sum, ReadOnlySpan<byte> data)
    {
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            var word = BinaryPrimitives.ReadUInt64BigEndian(data[i..]);
            sum += (word >> 32) + (word & 0xffff_ffff);
        }

        if (i + 4 <= data.Length)
        {
            sum += BinaryPrimitives.ReadUInt32BigEndian(data[i..]);
            i += 4;
        }

        if (i + 2 <= data.Length)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
            i += 2;
        }

        if (i < data.Length)
        {
            sum += (ulong)data[i] << 8;
        }

        return sum;
    }

    /// <summary>Folds a running sum to 16 bits (not complemented).</summary>
    public static ushort Fold(ulong sum)
    {
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        return (ushort)sum;
    }

    /// <summary>The value to store in a checksum field: the complement of the folded sum.</summary>
    public static ushort Finish(ulong sum) => (ushort)~Fold(sum);

    /// <summary>The sum of the IPv4 pseudo-header for TCP/UDP: addresses from <paramref name="ipHeader"/>, protocol, length.</summary>
    public static ulong PseudoHeaderSum(ReadOnlySpan<byte> ipHeader, byte protocol, int transportLength) =>
        (ulong)BinaryPrimitives.ReadUInt32BigEndian(ipHeader[12..]) +
        BinaryPrimitives.ReadUInt32BigEndian(ipHeader[16..]) +
        protocol +
        (uint)transportLength;

    /// <summary>Recomputes the header checksum of the IPv4 header at the start of <paramref name="packet"/>.</summary>
    public static void RewriteIpv4HeaderChecksum(Span<byte> packet, int headerLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(packet[10..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(packet[10..], Finish(Add(0, packet[..headerLength])));
    }
}
