using System.Buffers.Binary;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// The super-packet a coalescer (<see cref="TcpCoalescer"/>, <see cref="UdpCoalescer"/>) builds for one TUN write: room for
/// the virtio header, the first packet's headers, then every payload joined, copied behind them or, gathering, referenced
/// where it lies. Taking it fixes what joining changed (IP length and checksum; for UDP the UDP length; the pseudo-header
/// sum in the transport checksum, which the kernel completes for each segment it cuts, NEEDS_CSUM) and writes the GSO
/// header; a lone packet goes out unchanged behind an empty header. One per coalescer.
/// </summary>
internal sealed class JoinedFrame
{
    public const int MaxPacketLength = 65535;

    private const byte ProtocolTcp = 6;
    private const int TcpChecksumOffset = 16;
    private const int UdpChecksumOffset = 6;

    // Pinned: a gathered frame's first piece (virtio header and packet headers) is referenced from here.
    private readonly byte[] _frame = GC.AllocateArray<byte>(VirtioNetHeader.Size + MaxPacketLength, pinned: true);
    private readonly TunGatherFrame? _gather;
    private int _headersLength;

    /// <param name="gather">Reference payloads where they lie (<see cref="TakeGather"/>) instead of copying them.</param>
    public JoinedFrame(bool gather) => _gather = gather ? new TunGatherFrame() : null;

    public bool Gathers => _gather is not null;

    /// <summary>Bytes of the IP packet held; 0 when none is.</summary>
    public int Length { get; private set; }

    /// <summary>Packets joined in the one held.</summary>
    public int Segments { get; private set; }

    /// <summary>The first packet's payload length: the size the kernel cuts the others to.</summary>
    public int SegmentSize { get; private set; }

    /// <summary>The held packet's IP and transport headers (the first packet's, until the frame is taken).</summary>
    public Span<byte> Headers => _frame.AsSpan(VirtioNetHeader.Size, _headersLength);

    /// <summary>Starts a new frame with <paramref name="packet"/>, whose first <paramref name="headersLength"/> bytes are headers.</summary>
    public void Start(ReadOnlySpan<byte> packet, int headersLength)
    {
        if (_gather is { } gather)
        {
            packet[..headersLength].CopyTo(_frame.AsSpan(VirtioNetHeader.Size));
            gather.Clear();
            gather.Add(_frame.AsSpan(0, VirtioNetHeader.Size + headersLength));
            gather.Add(packet[headersLength..]);
        }
        else
        {
            packet.CopyTo(_frame.AsSpan(VirtioNetHeader.Size));
        }

        _headersLength = headersLength;
        SegmentSize = packet.Length - headersLength;
        Length = packet.Length;
        Segments = 1;
    }

    /// <summary>Joins the next packet's payload (the caller has checked that it belongs and fits).</summary>
    public void Append(ReadOnlySpan<byte> payload)
    {
        if (_gather is { } gather)
        {
            gather.Add(payload);
        }
        else
        {
            payload.CopyTo(_frame.AsSpan(VirtioNetHeader.Size + Length));
        }

        Length += payload.Length;
        Segments++;
    }

    /// <summary>The finished frame (virtio header + packet), and forgets it; empty when none is held. Copying frames only.</summary>
    public ReadOnlySpan<byte> TakeFrame()
    {
        if (_gather is not null)
        {
            throw new InvalidOperationException("This coalescer gathers: take its frames with TakeGather.");
        }

        if (Length == 0)
        {
            return ReadOnlySpan<byte>.Empty;
        }

        var length = Length;
        Finish();
        return _frame.AsSpan(0, VirtioNetHeader.Size + length);
    }

    /// <summary>
    /// The same frame as pieces: the virtio header and packet headers (here, valid until the next <see cref="Start"/>),
    /// then each payload where it lies. Gathering frames only.
    /// </summary>
    public TunGatherFrame TakeGather()
    {
        if (_gather is not { } gather)
        {
            throw new InvalidOperationException("This coalescer copies: take its frames with TakeFrame.");
        }

        if (Length == 0)
        {
            gather.Clear();
            return gather;
        }

        Finish();
        return gather;
    }

    // Fixes the headers at the front of _frame (they are all the fix touches) and forgets the packet.
    private void Finish()
    {
        var frame = _frame.AsSpan(0, VirtioNetHeader.Size + _headersLength);
        var packet = frame[VirtioNetHeader.Size..];
        if (Segments == 1)
        {
            default(VirtioNetHeader).Write(frame);
        }
        else
        {
            var protocol = packet[9];
            var transportLength = Length - 20;
            BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)Length);
            InternetChecksum.RewriteIpv4HeaderChecksum(packet, 20);
            var (gsoType, checksumOffset) = protocol == ProtocolTcp
                ? (VirtioNetHeader.GsoTcpV4, TcpChecksumOffset)
                : (VirtioNetHeader.GsoUdpL4, UdpChecksumOffset);
            if (protocol != ProtocolTcp)
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet[24..], (ushort)transportLength);
            }

            var pseudo = InternetChecksum.Fold(InternetChecksum.PseudoHeaderSum(packet, protocol, transportLength));
            BinaryPrimitives.WriteUInt16BigEndian(packet[(20 + checksumOffset)..], pseudo);
            new VirtioNetHeader(
                VirtioNetHeader.FlagNeedsChecksum,
                gsoType,
                (ushort)_headersLength,
                (ushort)SegmentSize,
                20,
                (ushort)checksumOffset).Write(frame);
        }

        Length = 0;
    }
}
