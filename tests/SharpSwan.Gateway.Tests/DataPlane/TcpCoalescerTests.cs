using System.Buffers.Binary;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.DataPlane;

public sealed class TcpCoalescerTests
{
    private const int Mss = 1348;

    private static byte[] Segment(int index, int payload = Mss, byte flags = TestPackets.Ack, ushort port = 40000) =>
        TestPackets.Tcp(1000 + (uint)(index * Mss), payload, flags, ipId: (ushort)(7 + index), payloadStart: index * Mss, sourcePort: port);

    [Fact]
    public void ConsecutiveSegments_BecomeOneGsoFrameWithPseudoHeaderChecksum()
    {
        var coalescer = new TcpCoalescer();
        var segments = new[] { Segment(0), Segment(1), Segment(2), Segment(3, payload: 500, flags: TestPackets.Ack | TestPackets.Psh) };

        foreach (var segment in segments)
        {
            Assert.True(coalescer.TryAdd(segment));
        }

        var frame = coalescer.TakeFrame().ToArray();
        var header = VirtioNetHeader.Read(frame);
        var packet = frame.AsSpan(VirtioNetHeader.Size);
        var totalPayload = 3 * Mss + 500;

        Assert.Equal(VirtioNetHeader.FlagNeedsChecksum, header.Flags);
        Assert.Equal(VirtioNetHeader.GsoTcpV4, header.GsoType);
        Assert.Equal(Mss, header.GsoSize);
        Assert.Equal(52, header.HeaderLength);
        Assert.Equal(20, header.ChecksumStart);
        Assert.Equal(16, header.ChecksumOffset);
        Assert.Equal(52 + totalPayload, packet.Length);
        Assert.Equal(packet.Length, BinaryPrimitives.ReadUInt16BigEndian(packet[2..]));
        Assert.Equal(0, TestPackets.NaiveChecksum(packet[..20]));
        Assert.Equal(1000u, TestPackets.Sequence(packet));
        Assert.Equal(TestPackets.Ack | TestPackets.Psh, TestPackets.Flags(packet));
        for (var i = 0; i < totalPayload; i++)
        {
            Assert.Equal((byte)i, packet[52 + i]);
        }

        // NEEDS_CSUM: the field holds the pseudo-header sum, so finishing it must give the real checksum.
        var copy = packet.ToArray();
        Assert.True(PartialChecksum.TryFinish(copy, 20, 16));
        Assert.Equal(TestPackets.NaiveTcpChecksum(copy), TestPackets.TcpChecksumField(copy));
        Assert.False(coalescer.HasPending);
        Assert.Equal(3, coalescer.MergedSegments);
    }

    [Fact]
    public void CoalescedFrame_SegmentedAgain_GivesBackTheOriginalSegments()
    {
        var coalescer = new TcpCoalescer();
        var segments = Enumerable.Range(0, 5).Select(i => Segment(i)).ToArray();
        foreach (var segment in segments)
        {
            Assert.True(coalescer.TryAdd(segment));
        }

        var frame = coalescer.TakeFrame().ToArray();
        var header = VirtioNetHeader.Read(frame);
        Assert.True(TcpSegmenter.TryCreate(frame.AsSpan(VirtioNetHeader.Size), header.GsoSize, out var segmenter));
        var buffer = new byte[2048];
        for (var i = 0; i < segments.Length; i++)
        {
            Assert.True(segmenter.TryWriteNext(buffer, out var length));
            Assert.Equal(segments[i], buffer.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void LoneSegment_IsWrittenUnchangedWithAnEmptyHeader()
    {
        var coalescer = new TcpCoalescer();
        var segment = Segment(0);

        Assert.True(coalescer.TryAdd(segment));
        var frame = coalescer.TakeFrame().ToArray();

        Assert.Equal(default, VirtioNetHeader.Read(frame));
        Assert.Equal(segment, frame.AsSpan(VirtioNetHeader.Size).ToArray());
    }

    [Fact]
    public void SegmentOutOfSequence_IsNotJoined()
    {
        var coalescer = new TcpCoalescer();
        Assert.True(coalescer.TryAdd(Segment(0)));

        Assert.False(coalescer.TryAdd(Segment(2)));
        Assert.True(coalescer.HasPending);
    }

    [Fact]
    public void SegmentOfAnotherStream_IsNotJoined()
    {
        var coalescer = new TcpCoalescer();
        Assert.True(coalescer.TryAdd(Segment(0)));

        Assert.False(coalescer.TryAdd(Segment(1, port: 40001)));
    }

    [Fact]
    public void SegmentWithABadChecksum_IsNeitherJoinedNorStarted()
    {
        var coalescer = new TcpCoalescer();
        var corrupt = Segment(1);
        corrupt[100] ^= 0xff;
        Assert.True(coalescer.TryAdd(Segment(0)));

        Assert.False(coalescer.TryAdd(corrupt));
        coalescer.TakeFrame();
        Assert.False(coalescer.TryAdd(corrupt));
    }

    [Fact]
    public void NothingJoinsAfterAShortSegmentOrAPush()
    {
        var afterShort = new TcpCoalescer();
        Assert.True(afterShort.TryAdd(Segment(0)));
        Assert.True(afterShort.TryAdd(Segment(1, payload: 100)));
        Assert.False(afterShort.TryAdd(TestPackets.Tcp(1000 + Mss + 100, Mss, TestPackets.Ack, payloadStart: Mss + 100)));

        var afterPush = new TcpCoalescer();
        Assert.True(afterPush.TryAdd(Segment(0, flags: TestPackets.Ack | TestPackets.Psh)));
        Assert.False(afterPush.TryAdd(Segment(1)));
    }

    [Theory]
    [InlineData(TestPackets.Syn | TestPackets.Ack)]
    [InlineData(TestPackets.Fin | TestPackets.Ack)]
    [InlineData(TestPackets.Ack | TestPackets.Cwr)]
    public void ControlSegments_AreLeftAlone(byte flags)
    {
        var coalescer = new TcpCoalescer();

        Assert.False(coalescer.TryAdd(Segment(0, flags: flags)));
        Assert.False(coalescer.HasPending);
    }

    [Fact]
    public void PureAck_IsLeftAlone()
    {
        var coalescer = new TcpCoalescer();

        Assert.False(coalescer.TryAdd(TestPackets.Tcp(1, 0, TestPackets.Ack)));
    }

    [Fact]
    public void JoinedPacket_NeverExceeds64Kilobytes()
    {
        var coalescer = new TcpCoalescer();
        var joined = 0;
        for (var i = 0; i < 60; i++)
        {
            if (!coalescer.TryAdd(Segment(i)))
            {
                break;
            }

            joined++;
        }

        Assert.Equal((TcpCoalescer.MaxPacketLength - 52) / Mss, joined);
        Assert.True(coalescer.TakeFrame().Length - VirtioNetHeader.Size <= TcpCoalescer.MaxPacketLength);
    }
}
