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
    public const int MaxPacketLength = 65535;

    /// <summary>The most datagrams joined into one (the kernel's UDP segment limit is at least this).</summary>
    public const int MaxSegments = 64;

    private const byte ProtocolUdp = 17;
    private const int HeadersLength = 28;
    private const int UdpChecksumOffset = 6;

    // Pinned: a gathered frame's first piece (virtio header and packet headers) is referenced from here.
    private readonly byte[] _frame = GC.AllocateArray<byte>(VirtioNetHeader.Size + MaxPacketLength, pinned: true);
    private readonly TunGatherFrame? _gather;
    private int _length;
    private int _segments;
    private int _segmentSize;
    private bool _closed;

    /// <summary>A coalescer that copies each payload into one frame.</summary>
    public UdpCoalescer()
        : this(gather: false)
    {
    }

    /// <param name="gather">Reference payloads where they lie (<see cref="TakeGather"/>) instead of copying them.</param>
    public UdpCoalescer(bool gather) => _gather = gather ? new TunGatherFrame() : null;

    /// <summary>True when frames are gathered (<see cref="TakeGather"/>), false when copied (<see cref="TakeFrame"/>).</summary>
    public bool Gathers => _gather is not null;

    /// <summary>True while a packet is held (call <see cref="TakeFrame"/> to write it).</summary>
    public bool HasPending => _length > 0;

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
        if (_length == 0)
        {
            if (_gather is { } first)
            {
                packet[..HeadersLength].CopyTo(_frame.AsSpan(VirtioNetHeader.Size));
                first.Clear();
                first.Add(_frame.AsSpan(0, VirtioNetHeader.Size + HeadersLength));
                first.Add(packet[HeadersLength..]);
            }
            else
            {
                packet.CopyTo(_frame.AsSpan(VirtioNetHeader.Size));
            }

            _length = packet.Length;
            _segments = 1;
            _segmentSize = payloadLength;
            _closed = false;
            return true;
        }

        var pending = _frame.AsSpan(VirtioNetHeader.Size, HeadersLength);
        if (_closed || payloadLength > _segmentSize || _segments == MaxSegments ||
            _length + payloadLength > MaxPacketLength || !SameFlow(pending, packet))
        {
            return false;
        }

        if (_gather is { } gather)
        {
            gather.Add(packet[HeadersLength..]);
        }
        else
        {
            packet[HeadersLength..].CopyTo(_frame.AsSpan(VirtioNetHeader.Size + _length));
        }

        _length += payloadLength;
        _segments++;
        MergedSegments++;
        _closed = payloadLength < _segmentSize;
        return true;
    }

    /// <summary>
    /// Finishes the pending packet as a frame for <see cref="TunDevice.WriteFrame(ReadOnlySpan{byte})"/> (virtio header + packet) and forgets
    /// it. A lone datagram goes out unchanged with an empty header; a merged one gets its IP and UDP lengths fixed and a
    /// UDP_L4 GSO header with the pseudo-header sum in the UDP checksum field (NEEDS_CSUM). Copying coalescers only.
    /// </summary>
    public ReadOnlySpan<byte> TakeFrame()
    {
        if (_gather is not null)
        {
            throw new InvalidOperationException("This coalescer gathers: take its frames with TakeGather.");
        }

        if (_length == 0)
        {
            return ReadOnlySpan<byte>.Empty;
        }

        var length = _length;
        FinishHeaders();
        return _frame.AsSpan(0, VirtioNetHeader.Size + length);
    }

    /// <summary>
    /// The same frame as <see cref="TakeFrame"/> would give, as pieces: the virtio header and packet headers (here, valid
    /// until the next <see cref="TryAdd"/>), then each datagram's payload where it lies. Gathering coalescers only.
    /// </summary>
    public TunGatherFrame TakeGather()
    {
        if (_gather is not { } gather)
        {
            throw new InvalidOperationException("This coalescer copies: take its frames with TakeFrame.");
        }

        if (_length == 0)
        {
            gather.Clear();
            return gather;
        }

        FinishHeaders();
        return gather;
    }

    // Fixes the headers at the front of _frame for what was joined (they are all the fix touches) and forgets the packet.
    private void FinishHeaders()
    {
        var frame = _frame.AsSpan(0, VirtioNetHeader.Size + HeadersLength);
        var packet = frame[VirtioNetHeader.Size..];
        if (_segments == 1)
        {
            default(VirtioNetHeader).Write(frame);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)_length);
            InternetChecksum.RewriteIpv4HeaderChecksum(packet, 20);
            var udpLength = _length - 20;
            BinaryPrimitives.WriteUInt16BigEndian(packet[24..], (ushort)udpLength);
            var pseudo = InternetChecksum.Fold(InternetChecksum.PseudoHeaderSum(packet, ProtocolUdp, udpLength));
            BinaryPrimitives.WriteUInt16BigEndian(packet[(20 + UdpChecksumOffset)..], pseudo);
            new VirtioNetHeader(
                VirtioNetHeader.FlagNeedsChecksum,
                VirtioNetHeader.GsoUdpL4,
                HeadersLength,
                (ushort)_segmentSize,
                20,
                UdpChecksumOffset).Write(frame);
        }

        _length = 0;
    }

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
