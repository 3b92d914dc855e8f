using System.Buffers.Binary;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Finishes a checksum the kernel left to us (virtio NEEDS_CSUM): the field already holds the pseudo-header sum, so the
/// checksum is the complement of the sum from the transport header to the end of the packet.
/// </summary>
public static class PartialChecksum
{
    private const byte ProtocolUdp = 17;

    /// <returns>False when start/offset do not fit in the packet (the packet should be dropped).</returns>
    public static bool TryFinish(Span<byte> ipPacket, int checksumStart, int checksumOffset)
    {
        var field = checksumStart + checksumOffset;
        if (checksumStart < 20 || checksumStart >= ipPacket.Length || field + 2 > ipPacket.Length)
        {
            return false;
        }

        var checksum = InternetChecksum.Finish(InternetChecksum.Add(0, ipPacket[checksumStart..]));
        if (checksum == 0 && ipPacket[9] == ProtocolUdp)
        {
            // In UDP a zero checksum means "none": a computed zero is sent as all ones (RFC 768).
            checksum = 0xffff;
        }

        BinaryPrimitives.WriteUInt16BigEndian(ipPacket[field..], checksum);
        return true;
    }
}
