using System.Buffers.Binary;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Receive-side coalescing (GRO) for the TUN device: consecutive in-order segments of one TCP stream, as they come out of
/// one receive batch, are joined into a single super-packet that the kernel takes with one write and one trip through its
/// stack. Only plain data segments join (ACK, optionally PSH on the last; identical IP and TCP header fields and options;
/// equal sizes except a shorter last one) and each segment's TCP checksum is verified before it joins, because the
/// kernel trusts the super-packet's checksum. Everything else is left to the caller to write as it is. One per thread.
/// Copying (the default), each segment's payload is copied into one frame (<see cref="TakeFrame"/>); gathering, only the
/// headers are copied and the frame references each payload where it lies (<see cref="TakeGather"/>), so the caller must
/// keep the segments' memory (native or pinned) unchanged until the frame has been written.
/// </summary>
public sealed class TcpCoalescer
{
    public const int MaxPacketLength = JoinedFrame.MaxPacketLength;

    /// <summary>The most segments a gathered frame joins (one iovec each, behind the headers).</summary>
    public const int MaxGatherSegments = 64;

    private const byte ProtocolTcp = 6;
    private const byte FlagAck = 0x10;
    private const byte FlagPsh = 0x08;

    private readonly JoinedFrame _joined;
    private uint _nextSequence;
    private bool _closed;

    /// <summary>A coalescer that copies each payload into one frame.</summary>
    public TcpCoalescer()
        : this(gather: false)
    {
    }

    /// <param name="gather">Reference payloads where they lie (<see cref="TakeGather"/>) instead of copying them.</param>
    public TcpCoalescer(bool gather) => _joined = new JoinedFrame(gather);

    /// <summary>True when frames are gathered (<see cref="TakeGather"/>), false when copied (<see cref="TakeFrame"/>).</summary>
    public bool Gathers => _joined.Gathers;

    /// <summary>True while a packet is held (call <see cref="TakeFrame"/> to write it).</summary>
    public bool HasPending => _joined.Length > 0;

    /// <summary>Segments that were merged into an earlier one (each saved a TUN write).</summary>
    public long MergedSegments { get; private set; }

    /// <summary>
    /// Offers a decrypted IPv4 packet. True when the coalescer now holds it (joined to the pending packet, or, with
    /// nothing pending, as the start of a new one). False means: write out <see cref="TakeFrame"/> if
    /// <see cref="HasPending"/>, then offer the packet again (or write it as it is if it is refused again).
    /// </summary>
    public bool TryAdd(ReadOnlySpan<byte> packet)
    {
        if (!IsCoalescable(packet, out var headersLength, out var payloadLength, out var flags))
        {
            return false;
        }

        if (_joined.Length == 0)
        {
            _joined.Start(packet, headersLength);
            _nextSequence = BinaryPrimitives.ReadUInt32BigEndian(packet[24..]) + (uint)payloadLength;
            _closed = (flags & FlagPsh) != 0;
            return true;
        }

        var pending = _joined.Headers;
        if (_closed || headersLength != pending.Length || payloadLength > _joined.SegmentSize ||
            _joined.Length + payloadLength > MaxPacketLength || (_joined.Gathers && _joined.Segments == MaxGatherSegments) ||
            !Continues(pending, packet, headersLength))
        {
            return false;
        }

        _joined.Append(packet[headersLength..]);
        _nextSequence += (uint)payloadLength;
        MergedSegments++;
        if ((flags & FlagPsh) != 0)
        {
            pending[33] |= FlagPsh;
            _closed = true;
        }

        if (payloadLength < _joined.SegmentSize)
        {
            _closed = true;
        }

        return true;
    }

    /// <summary>
    /// Finishes the pending packet as a frame for <see cref="TunDevice.WriteFrame(ReadOnlySpan{byte})"/> (virtio header + packet) and forgets
    /// it. A lone segment goes out unchanged with an empty header; a merged one gets its IP length and checksum fixed and
    /// a TCPv4 GSO header with the pseudo-header sum in the TCP checksum field (NEEDS_CSUM). Copying coalescers only.
    /// </summary>
    public ReadOnlySpan<byte> TakeFrame() => _joined.TakeFrame();

    /// <summary>
    /// The same frame as <see cref="TakeFrame"/> would give, as pieces: the virtio header and packet headers (here, valid
    /// until the next <see cref="TryAdd"/>), then each segment's payload where it lies. Gathering coalescers only.
    /// </summary>
    public TunGatherFrame TakeGather() => _joined.TakeGather();

    // Plain IPv4 (no options, not a fragment) TCP data segment with ACK and nothing but PSH besides, and a valid checksum.
    private static bool IsCoalescable(ReadOnlySpan<byte> packet, out int headersLength, out int payloadLength, out byte flags)
    {
        headersLength = 0;
        payloadLength = 0;
        flags = 0;
        if (packet.Length < 40 || packet[0] != 0x45 || packet[9] != ProtocolTcp ||
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) != packet.Length ||
            (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3fff) != 0)
        {
            return false;
        }

        var tcpHeaderLength = (packet[32] >> 4) * 4;
        headersLength = 20 + tcpHeaderLength;
        payloadLength = packet.Length - headersLength;
        flags = packet[33];
        if (tcpHeaderLength < 20 || payloadLength <= 0 || (flags & ~FlagPsh) != FlagAck)
        {
            return false;
        }

        var tcp = packet[20..];
        var sum = InternetChecksum.Add(InternetChecksum.PseudoHeaderSum(packet, ProtocolTcp, tcp.Length), tcp);
        return InternetChecksum.Fold(sum) == 0xffff;
    }

    // Same stream, next in sequence, and every header field the kernel would keep from the first segment is equal.
    private bool Continues(ReadOnlySpan<byte> pending, ReadOnlySpan<byte> packet, int headersLength) =>
        pending[1] == packet[1] &&                                   // TOS / ECN
        pending[6] == packet[6] &&                                   // DF
        pending[8] == packet[8] &&                                   // TTL
        pending.Slice(12, 8).SequenceEqual(packet.Slice(12, 8)) &&   // addresses
        pending.Slice(20, 4).SequenceEqual(packet.Slice(20, 4)) &&   // ports
        BinaryPrimitives.ReadUInt32BigEndian(packet[24..]) == _nextSequence &&
        pending.Slice(28, 4).SequenceEqual(packet.Slice(28, 4)) &&   // acknowledgment number
        pending.Slice(34, 2).SequenceEqual(packet.Slice(34, 2)) &&   // window
        pending[40..headersLength].SequenceEqual(packet[40..headersLength]); // options (timestamps)
}
