using System.Buffers.Binary;
using SharpSwan.Gateway.DataPlane;

namespace SharpSwan.Gateway.Tests.DataPlane;

public sealed class TcpSegmenterTests
{
    private const int Mss = 1348;

    private static List<byte[]> SegmentAll(byte[] superPacket, int mss)
    {
        Assert.True(TcpSegmenter.TryCreate(superPacket, mss, out var segmenter));
        var segments = new List<byte[]>();
        var buffer = new byte[2048];
        while (segmenter.TryWriteNext(buffer, out var length))
        {
            segments.Add(buffer.AsSpan(0, length).ToArray());
        }

        return segments;
    }

    [Fact]
    public void TenKilobytes_AreCutIntoMssSegmentsWithCorrectHeadersAndChecksums()
    {
        const uint firstSequence = 0xfffff000; // wraps around 2^32 inside the packet
        const int payload = 10_000;
        var superPacket = TestPackets.Tcp(firstSequence, payload, TestPackets.Ack | TestPackets.Psh | TestPackets.Cwr, ipId: 0xfffe);
        // The kernel leaves the TCP checksum as a pseudo-header sum in a TSO packet; the segmenter must not rely on it.
        BinaryPrimitives.WriteUInt16BigEndian(superPacket.AsSpan(36), 0x1234);

        var segments = SegmentAll(superPacket, Mss);

        Assert.Equal((payload + Mss - 1) / Mss, segments.Count);
        var offset = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            var expectedPayload = Math.Min(Mss, payload - offset);
            Assert.Equal(52 + expectedPayload, segment.Length);
            Assert.Equal(segment.Length, BinaryPrimitives.ReadUInt16BigEndian(segment.AsSpan(2)));
            Assert.Equal((ushort)(0xfffe + i), BinaryPrimitives.ReadUInt16BigEndian(segment.AsSpan(4)));
            Assert.Equal(0, TestPackets.NaiveChecksum(segment.AsSpan(0, 20)));
            Assert.Equal(unchecked(firstSequence + (uint)offset), TestPackets.Sequence(segment));
            Assert.Equal(TestPackets.NaiveTcpChecksum(segment), TestPackets.TcpChecksumField(segment));

            var last = i == segments.Count - 1;
            var flags = TestPackets.Flags(segment);
            Assert.Equal(last, (flags & TestPackets.Psh) != 0);
            Assert.Equal(i == 0, (flags & TestPackets.Cwr) != 0);
            Assert.True((flags & TestPackets.Ack) != 0);

            // Headers other than length, ID, sequence, flags and checksums are copied unchanged (timestamps included).
            Assert.Equal(superPacket.AsSpan(12, 8).ToArray(), segment.AsSpan(12, 8).ToArray());
            Assert.Equal(superPacket.AsSpan(20, 4).ToArray(), segment.AsSpan(20, 4).ToArray());
            Assert.Equal(superPacket.AsSpan(28, 4).ToArray(), segment.AsSpan(28, 4).ToArray());
            Assert.Equal(superPacket.AsSpan(40, 12).ToArray(), segment.AsSpan(40, 12).ToArray());
            Assert.Equal(superPacket.AsSpan(52 + offset, expectedPayload).ToArray(), segment.AsSpan(52).ToArray());
            offset += expectedPayload;
        }

        Assert.Equal(payload, offset);
    }

    [Fact]
    public void Fin_StaysOnTheLastSegmentOnly()
    {
        var superPacket = TestPackets.Tcp(1, 3000, TestPackets.Ack | TestPackets.Fin);

        var segments = SegmentAll(superPacket, 1000);

        Assert.Equal([false, false, true], segments.Select(s => (TestPackets.Flags(s) & TestPackets.Fin) != 0));
    }

    [Fact]
    public void PayloadNoLargerThanMss_GivesOneSegmentEqualToAFreshlyChecksummedPacket()
    {
        var packet = TestPackets.Tcp(42, 500, TestPackets.Ack | TestPackets.Psh);

        var segments = SegmentAll(packet, Mss);

        Assert.Single(segments);
        Assert.Equal(packet, segments[0]);
    }

    [Fact]
    public void DestinationTooSmall_StopsWithoutWriting()
    {
        var superPacket = TestPackets.Tcp(1, 4000, TestPackets.Ack);
        Assert.True(TcpSegmenter.TryCreate(superPacket, 1400, out var segmenter));

        Assert.False(segmenter.TryWriteNext(new byte[1000], out var length));
        Assert.Equal(0, length);
    }

    [Theory]
    [InlineData(17)] // UDP
    [InlineData(1)]  // ICMP
    public void NotTcp_IsRefused(byte protocol)
    {
        var packet = TestPackets.Tcp(1, 3000, TestPackets.Ack);
        packet[9] = protocol;

        Assert.False(TcpSegmenter.TryCreate(packet, 1000, out _));
    }

    [Fact]
    public void TruncatedTcpHeader_IsRefused()
    {
        var packet = TestPackets.Tcp(1, 0, TestPackets.Ack).AsSpan(0, 45).ToArray();

        Assert.False(TcpSegmenter.TryCreate(packet, 1000, out _));
    }
}
