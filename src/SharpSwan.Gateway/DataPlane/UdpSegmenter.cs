using System.Buffers.Binary;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Cuts an IPv4 UDP super-packet (TUN USO: one IP and UDP header, the payloads of several datagrams of
/// <c>segmentSize</c> bytes each, the last possibly shorter) back into the datagrams an application sent with
/// UDP_SEGMENT, each a complete IPv4 packet with its own total length, IP ID, UDP length and checksums.
/// Allocation-free: each datagram is written into a buffer the caller supplies.
/// </summary>
public ref struct UdpSegmenter
{
    private const byte ProtocolUdp = 17;
    private const int UdpHeaderLength = 8;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _ipHeaderLength;
    private readonly int _segmentSize;
    private readonly ushort _firstId;
    private int _payloadOffset;
    private int _index;

    private UdpSegmenter(ReadOnlySpan<byte> packet, int ipHeaderLength, int segmentSize)
    {
        _packet = packet;
        _ipHeaderLength = ipHeaderLength;
        _segmentSize = segmentSize;
        _firstId = BinaryPrimitives.ReadUInt16BigEndian(packet[4..]);
        _payloadOffset = 0;
        _index = 0;
    }

    /// <summary>The largest datagram (headers included) this packet produces.</summary>
    public readonly int MaxSegmentLength => _ipHeaderLength + UdpHeaderLength + _segmentSize;

    /// <summary>Checks that <paramref name="packet"/> is an unfragmented IPv4 UDP packet with sane headers.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> packet, int segmentSize, out UdpSegmenter segmenter)
    {
        segmenter = default;
        if (segmentSize <= 0 || packet.Length < 29 || (packet[0] >> 4) != 4 || packet[9] != ProtocolUdp ||
            (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x3fff) != 0)
        {
            return false;
        }

        var ipHeaderLength = (packet[0] & 0x0f) * 4;
        if (ipHeaderLength < 20 || packet.Length <= ipHeaderLength + UdpHeaderLength)
        {
            return false;
        }

        segmenter = new UdpSegmenter(packet, ipHeaderLength, segmentSize);
        return true;
    }

    /// <summary>Writes the next datagram into <paramref name="destination"/>.</summary>
    /// <returns>False when all were written (or the destination is too small for one).</returns>
    public bool TryWriteNext(Span<byte> destination, out int length)
    {
        length = 0;
        var headersLength = _ipHeaderLength + UdpHeaderLength;
        var remaining = _packet.Length - headersLength - _payloadOffset;
        if (remaining <= 0)
        {
            return false;
        }

        var payloadLength = Math.Min(remaining, _segmentSize);
        length = headersLength + payloadLength;
        if (destination.Length < length)
        {
            length = 0;
            return false;
        }

        var datagram = destination[..length];
        _packet[..headersLength].CopyTo(datagram);
        _packet.Slice(headersLength + _payloadOffset, payloadLength).CopyTo(datagram[headersLength..]);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[2..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(datagram[4..], (ushort)(_firstId + _index));
        InternetChecksum.RewriteIpv4HeaderChecksum(datagram, _ipHeaderLength);

        var udp = datagram[_ipHeaderLength..];
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udp.Length);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], 0);
        var checksum = InternetChecksum.Finish(InternetChecksum.Add(InternetChecksum.PseudoHeaderSum(datagram, ProtocolUdp, udp.Length), udp));

        // In UDP a computed zero is sent as all ones: zero means "no checksum" (RFC 768).
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], checksum == 0 ? (ushort)0xffff : checksum);

        _payloadOffset += payloadLength;
        _index++;
        return true;
    }
}
