using System.Buffers.Binary;

namespace SharpSwan.Esp.Core;

/// <summary>
/// FortiOS's <c>inbound-dscp-copy</c>: a decrypted IPv4 packet takes the DSCP (the upper six bits of the TOS byte) of
/// the ESP packet that carried it, keeping its own ECN bits, and its header checksum is corrected in place
/// (RFC 1624's incremental update, so the rest of the header is not summed again).
/// </summary>
public static class InboundDscp
{
    /// <summary>No outer TOS is known (the transport did not report it): nothing is copied.</summary>
    public const int Unknown = -1;

    private const byte DscpMask = 0xFC;

    /// <summary>Copies the DSCP of <paramref name="outerTos"/> into the IPv4 header at the start of <paramref name="inner"/>.</summary>
    /// <returns>False when <paramref name="inner"/> is not an IPv4 header (then it is left alone).</returns>
    public static bool Copy(Span<byte> inner, byte outerTos)
    {
        if (inner.Length < 20 || (inner[0] >> 4) != 4)
        {
            return false;
        }

        var oldWord = BinaryPrimitives.ReadUInt16BigEndian(inner);
        var tos = (byte)((outerTos & DscpMask) | (inner[1] & ~DscpMask));
        if (tos == inner[1])
        {
            return true;
        }

        inner[1] = tos;
        var newWord = BinaryPrimitives.ReadUInt16BigEndian(inner);

        // HC' = ~(~HC + ~m + m') in ones' complement arithmetic (RFC 1624, equation 3).
        var checksum = BinaryPrimitives.ReadUInt16BigEndian(inner[10..]);
        uint sum = (uint)(ushort)~checksum + (ushort)~oldWord + newWord;
        sum = (sum & 0xFFFF) + (sum >> 16);
        sum = (sum & 0xFFFF) + (sum >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(inner[10..], (ushort)~sum);
        return true;
    }
}
