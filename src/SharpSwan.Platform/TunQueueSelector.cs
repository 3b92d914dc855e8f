using System.Buffers.Binary;

namespace SharpSwan.Platform;

/// <summary>
/// Which queue of a multi-queue TUN device a packet written to it goes to: a hash of its flow (addresses, protocol and,
/// for TCP and UDP, ports) that is the same for both directions. The kernel notes the queue a flow was written on and
/// sends that flow's outgoing packets to the same queue, so a flow stays with one worker, in order, and different
/// flows spread over the queues. Writing everything to one queue would steer every flow with replies to that queue.
/// </summary>
public static class TunQueueSelector
{
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;

    /// <summary>The queue (0 to <paramref name="queues"/> - 1) for an IP packet; 0 for anything that is not IPv4.</summary>
    public static int Select(ReadOnlySpan<byte> packet, int queues)
    {
        if (queues <= 1 || packet.Length < 20 || (packet[0] >> 4) != 4)
        {
            return 0;
        }

        var headerLength = (packet[0] & 0x0f) * 4;
        var protocol = packet[9];

        // XOR is symmetric: a flow and its reply hash alike.
        var hash = BinaryPrimitives.ReadUInt32BigEndian(packet[12..]) ^ BinaryPrimitives.ReadUInt32BigEndian(packet[16..]);
        var firstFragment = (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1fff) == 0;
        if (protocol is ProtocolTcp or ProtocolUdp && firstFragment && packet.Length >= headerLength + 4)
        {
            var ports = (uint)(BinaryPrimitives.ReadUInt16BigEndian(packet[headerLength..]) ^ BinaryPrimitives.ReadUInt16BigEndian(packet[(headerLength + 2)..]));
            hash ^= ports * 0x9E3779B1u;
        }

        hash ^= protocol;
        hash *= 0x85EBCA6Bu;
        hash ^= hash >> 13;
        hash *= 0xC2B2AE35u;
        hash ^= hash >> 16;
        return (int)(((ulong)hash * (uint)queues) >> 32);
    }
}
