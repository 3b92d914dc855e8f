using System.Buffers.Binary;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Receive-side coalescing for UDP on a TUN device with UDP offload (USO): consecutive datagrams of one flow, as they come
/// out of one receive batch, with equal payload sizes (the last may be shorter) and identical IP fields, are joined into
/// one UDP super-packet that the kernel takes with one write and cuts back into the same datagrams (GSO type UDP_L4).
/// Each datagram's UDP checksum is verified before it joins, because the kernel recomputes the checksums of what it
/// cuts; a datagram without a checksum (zero) is left alone. One per thread. Like <see cref="TcpCoalescer"/>, it either
/// copies each payload into one frame (<see cref="TakeFrame"/>) or gathers them where they lie (<see cref="TakeGather"/>).
/// </summary>
public sealed class UdpCoalescer
{
    public const int MaxPacketLength = JoinedFrame.MaxPacketLength;

    /// <summary>The most datagrams joined into one (the kernel's UDP segment limit is at least this).</summary>
    public const int MaxSegments = 64;

    private const byte ProtocolUdp = 17;
    private const int HeadersLength = 28;

    private readonly JoinedFrame _joined;
    private bool _closed;

    /// <summary>A coalescer that copies each payload into one frame.</summary>
    public UdpCoalescer()
        : this(gather: false)
    {
    }

    /// <param name="gather">Reference payloads where they lie (<see cref="TakeGather"/>) instead of copying them.</param>
    public UdpCoalescer(bool gather) => _joined = new JoinedFrame(gather);

    /// <summary>True when frames are gathered (<see cref="TakeGather"/>), false when copied (<see cref="TakeFrame"/>).</summary>
    public bool Gathers => _joined.Gathers;

    /// <summary>True while a packet is held (call <see cref="TakeFrame"/> to write it).</summary>
    public bool HasPending => _joined.Length > 0;

    /// <summary>Datagrams that were merged into an earlier one (each saved a TUN write).</summary>
    public long MergedSegments { get; private set; }

    /// <summary>
    /// Offers a decrypted IPv4 packet. True when the coalescer now holds it; false means: write out
    /// <see cref="TakeFrame"/> if <see cref="HasPending"/>, then offer it again (or write it as it is if refused again).
    /// </summary>
    public bool TryAdd(ReadOnlySpan<byte> packet)
    {
        if (!IsCoalescable(packet))
        {
            return false;
        }

        var payloadLength = packet.Length - HeadersLength;
        if (_joined.Length == 0)
        {
            _joined.Start(packet, HeadersLength);
            _closed = false;
            return true;
        }

        if (_closed || payloadLength > _joined.SegmentSize || _joined.Segments == MaxSegments ||
            _joined.Length + payloadLength > MaxPacketLength || !SameFlow(_joined.Headers, packet))
        {
            return false;
        }

        _joined.Append(packet[HeadersLength..]);
        MergedSegments++;
        _closed = payloadLength < _joined.SegmentSize;
        return true;
    }

    /// <summary>
    /// Finishes the pending packet as a frame for <see cref="TunDevice.WriteFrame(ReadOnlySpan{byte})"/> (virtio header + packet) and forgets
    /// it. A lone datagram goes out unchanged with an empty header; a merged one gets its IP and UDP lengths fixed and a
    /// UDP_L4 GSO header with the pseudo-header sum in the UDP checksum field (NEEDS_CSUM). Copying coalescers only.
    /// </summary>
    public ReadOnlySpan<byte> TakeFrame() => _joined.TakeFrame();

    /// <summary>
    /// The same frame as <see cref="TakeFrame"/> would give, as pieces: the virtio header and packet headers (here, valid
    /// until the next <see cref="TryAdd"/>), then each datagram's payload where it lies. Gathering coalescers only.
    /// </summary>
    public TunGatherFrame TakeGather() => _joined.TakeGather();

    // Plain IPv4 (no options, not a fragment) UDP datagram with a payload and a valid, present checksum.
    private static bool IsCoalescable(ReadOnlySpan<byte> packet)
    {
        if (packet.Length <= HeadersLength || packet[0] != 0x45 || packet[9] != ProtocolUdp ||
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) != packet.Length ||
            (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3fff) != 0 ||
            BinaryPrimitives.ReadUInt16BigEndian(packet[24..]) != packet.Length - 20 ||
            BinaryPrimitives.ReadUInt16BigEndian(packet[26..]) == 0)
        {
            return false;
        }

        var udp = packet[20..];
        var sum = InternetChecksum.Add(InternetChecksum.PseudoHeaderSum(packet, ProtocolUdp, udp.Length), udp);
        return InternetChecksum.Fold(sum) == 0xffff;
    }

    // Same flow, and every IP field the kernel copies from the first datagram to the others is equal.
    private static bool SameFlow(ReadOnlySpan<byte> pending, ReadOnlySpan<byte> packet) =>
        pending[1] == packet[1] &&                                   // TOS / ECN
        pending[6] == packet[6] &&                                   // DF
        pending[8] == packet[8] &&                                   // TTL
        pending.Slice(12, 12).SequenceEqual(packet.Slice(12, 12));   // addresses and ports
}
