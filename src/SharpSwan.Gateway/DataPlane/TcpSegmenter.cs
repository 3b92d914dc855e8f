using System.Buffers.Binary;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Cuts an IPv4 TCP super-packet (TUN TSO: one IP and TCP header, up to 64 KB of payload) into segments of at most
/// <c>segmentSize</c> payload bytes, each a complete IPv4 packet with its own total length, IP ID, sequence number and
/// IP and TCP checksums, the way the NIC would have on the wire. FIN and PSH stay on the last segment only, CWR on the
/// first only. Allocation-free: each segment is written into a buffer the caller supplies.
/// </summary>
public ref struct TcpSegmenter
{
    private const byte ProtocolTcp = 6;
    private const byte FlagFin = 0x01;
    private const byte FlagPsh = 0x08;
    private const byte FlagCwr = 0x80;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _ipHeaderLength;
    private readonly int _headersLength;
    private readonly int _segmentSize;
    private readonly ushort _firstId;
    private readonly uint _firstSequence;
    private int _payloadOffset;
    private int _index;

    private TcpSegmenter(ReadOnlySpan<byte> packet, int ipHeaderLength, int headersLength, int segmentSize)
    {
        _packet = packet;
        _ipHeaderLength = ipHeaderLength;
        _headersLength = headersLength;
        _segmentSize = segmentSize;
        _firstId = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        _firstSequence = BinaryPrimitives.ReadUInt32BigEndian(packet[(ipHeaderLength + 4)..]);
        _payloadOffset = 0;
        _index = 0;
    }

    /// <summary>The largest segment (headers included) this packet produces.</summary>
    public readonly int MaxSegmentLength => _headersLength + _segmentSize;

    /// <summary>Checks that <paramref name="packet"/> is an unfragmented IPv4 TCP packet with sane headers.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> packet, int segmentSize, out TcpSegmenter segmenter)
    {
        segmenter = default;
        if (segmentSize <= 0 || packet.Length < 40 || (packet[0] >> 4) != 4 || packet[9] != ProtocolTcp)
        {
            return false;
        }

        var ipHeaderLength = (packet[0] & 0x0f) * 4;
        if (ipHeaderLength < 20 || packet.Length < ipHeaderLength + 20)
        {
            return false;
        }

        var tcpHeaderLength = (packet[ipHeaderLength + 12] >> 4) * 4;
        var headersLength = ipHeaderLength + tcpHeaderLength;
        if (tcpHeaderLength < 20 || packet.Length <= headersLength)
        {
            return false;
        }

        segmenter = new TcpSegmenter(packet, ipHeaderLength, headersLength, segmentSize);
        return true;
    }

    /// <summary>Writes the next segment into <paramref name="destination"/>.</summary>
    /// <returns>False when all segments were written (or the destination is too small for one).</returns>
    public bool TryWriteNext(Span<byte> destination, out int length)
    {
        length = 0;
        var remaining = _packet.Length - _headersLength - _payloadOffset;
        if (remaining <= 0)
        {
            return false;
        }

        var payloadLength = Math.Min(remaining, _segmentSize);
        var last = payloadLength == remaining;
        length = _headersLength + payloadLength;
        if (destination.Length < length)
        {
            length = 0;
            return false;
        }

        var segment = destination[..length];
        _packet[.._headersLength].CopyTo(segment);
        _packet.Slice(_headersLength + _payloadOffset, payloadLength).CopyTo(segment[_headersLength..]);

        BinaryPrimitives.WriteUInt16BigEndian(segment[2..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(segment[4..], (ushort)(_firstId + _index));
        InternetChecksum.RewriteIpv4HeaderChecksum(segment, _ipHeaderLength);

        var tcp = segment[_ipHeaderLength..];
        BinaryPrimitives.WriteUInt32BigEndian(tcp[4..], _firstSequence + (uint)_payloadOffset);
        if (!last)
        {
            tcp[13] &= unchecked((byte)~(FlagFin | FlagPsh));
        }

        if (_index > 0)
        {
            tcp[13] &= unchecked((byte)~FlagCwr);
        }

        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], 0);
        var sum = InternetChecksum.PseudoHeaderSum(segment, ProtocolTcp, tcp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(tcp[16..], InternetChecksum.Finish(InternetChecksum.Add(sum, tcp)));

        _payloadOffset += payloadLength;
        _index++;
        return true;
    }
}
