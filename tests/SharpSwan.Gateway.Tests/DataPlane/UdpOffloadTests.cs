using System.Buffers.Binary;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.DataPlane;

public sealed class UdpOffloadTests
{
    private const int Size = 1344;

    /// <summary>An IPv4 UDP datagram with a correct checksum; payload byte i is (byte)(start + i).</summary>
    private static byte[] Datagram(int payloadLength, ushort ipId = 9, int payloadStart = 0, ushort sourcePort = 50000, byte fragmentFlags = 0x40, ushort fragmentOffset = 0)
    {
        var packet = new byte[28 + payloadLength];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), ipId);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(6), (ushort)((fragmentFlags << 8) | fragmentOffset));
        packet[8] = 64;
        packet[9] = 17;
        TestPackets.Source.CopyTo(packet, 12);
        TestPackets.Destination.CopyTo(packet, 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), 5201);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), (ushort)(8 + payloadLength));
        for (var i = 0; i < payloadLength; i++)
        {
            packet[28 + i] = (byte)(payloadStart + i);
        }

        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), TestPackets.NaiveChecksum(packet.AsSpan(0, 20)));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(26), NaiveUdpChecksum(packet));
        return packet;
    }

    private static ushort NaiveUdpChecksum(ReadOnlySpan<byte> packet)
    {
        var udpLength = packet.Length - 20;
        var buffer = new byte[12 + udpLength];
        packet.Slice(12, 8).CopyTo(buffer);
        buffer[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(10), (ushort)udpLength);
        packet[20..].CopyTo(buffer.AsSpan(12));
        buffer[12 + 6] = 0;
        buffer[12 + 7] = 0;
        var checksum = TestPackets.NaiveChecksum(buffer);
        return checksum == 0 ? (ushort)0xffff : checksum;
    }

    private static byte[][] Flow(int count, int lastLength = Size) =>
        [.. Enumerable.Range(0, count).Select(i => Datagram(i == count - 1 ? lastLength : Size, ipId: (ushort)(9 + i), payloadStart: i))];

    [Fact]
    public void DatagramsOfOneFlow_BecomeOneUdpL4FrameWithPseudoHeaderChecksum()
    {
        var coalescer = new UdpCoalescer();
        foreach (var datagram in Flow(4, lastLength: 200))
        {
            Assert.True(coalescer.TryAdd(datagram));
        }

        var frame = coalescer.TakeFrame().ToArray();
        var header = VirtioNetHeader.Read(frame);
        var packet = frame.AsSpan(VirtioNetHeader.Size);

        Assert.Equal(VirtioNetHeader.FlagNeedsChecksum, header.Flags);
        Assert.Equal(VirtioNetHeader.GsoUdpL4, header.GsoType);
        Assert.Equal(Size, header.GsoSize);
        Assert.Equal(28, header.HeaderLength);
        Assert.Equal(20, header.ChecksumStart);
        Assert.Equal(6, header.ChecksumOffset);
        Assert.Equal(28 + (3 * Size) + 200, packet.Length);
        Assert.Equal(packet.Length, BinaryPrimitives.ReadUInt16BigEndian(packet[2..]));
        Assert.Equal(packet.Length - 20, BinaryPrimitives.ReadUInt16BigEndian(packet[24..]));
        Assert.Equal(0, TestPackets.NaiveChecksum(packet[..20]));

        // NEEDS_CSUM: the field holds the pseudo-header sum, so finishing it must give the real checksum.
        var copy = packet.ToArray();
        Assert.True(PartialChecksum.TryFinish(copy, 20, 6));
        Assert.Equal(NaiveUdpChecksum(copy), BinaryPrimitives.ReadUInt16BigEndian(copy.AsSpan(26)));
        Assert.Equal(3, coalescer.MergedSegments);
        Assert.False(coalescer.HasPending);
    }

    [Fact]
    public void JoinedFrame_SegmentedAgain_GivesBackTheOriginalDatagrams()
    {
        var coalescer = new UdpCoalescer();
        var datagrams = Flow(5, lastLength: 77);
        foreach (var datagram in datagrams)
        {
            Assert.True(coalescer.TryAdd(datagram));
        }

        var frame = coalescer.TakeFrame().ToArray();
        var header = VirtioNetHeader.Read(frame);
        Assert.True(UdpSegmenter.TryCreate(frame.AsSpan(VirtioNetHeader.Size), header.GsoSize, out var segmenter));
        var buffer = new byte[2048];
        for (var i = 0; i < datagrams.Length; i++)
        {
            Assert.True(segmenter.TryWriteNext(buffer, out var length));
            Assert.Equal(datagrams[i], buffer.AsSpan(0, length).ToArray());
        }

        Assert.False(segmenter.TryWriteNext(buffer, out _));
    }

    [Fact]
    public void LoneDatagram_IsWrittenUnchangedWithAnEmptyHeader()
    {
        var coalescer = new UdpCoalescer();
        var datagram = Datagram(100);

        Assert.True(coalescer.TryAdd(datagram));
        var frame = coalescer.TakeFrame().ToArray();

        Assert.Equal(default, VirtioNetHeader.Read(frame));
        Assert.Equal(datagram, frame[VirtioNetHeader.Size..]);
    }

    [Fact]
    public void NothingJoinsAfterAShorterDatagramOrALongerOne()
    {
        var coalescer = new UdpCoalescer();
        Assert.True(coalescer.TryAdd(Datagram(Size)));
        Assert.False(coalescer.TryAdd(Datagram(Size + 1)));
        Assert.True(coalescer.TryAdd(Datagram(100)));
        Assert.False(coalescer.TryAdd(Datagram(100)));
    }

    [Fact]
    public void DatagramOfAnotherFlow_IsNotJoined()
    {
        var coalescer = new UdpCoalescer();
        Assert.True(coalescer.TryAdd(Datagram(Size)));
        Assert.False(coalescer.TryAdd(Datagram(Size, sourcePort: 50001)));
    }

    [Fact]
    public void FragmentsBadChecksumsAndMissingChecksums_AreLeftAlone()
    {
        var coalescer = new UdpCoalescer();
        var firstFragment = Datagram(1372, fragmentFlags: 0x20);
        var lastFragment = Datagram(16, fragmentFlags: 0x00, fragmentOffset: 172);
        var corrupted = Datagram(Size);
        corrupted[500] ^= 0xff;
        var withoutChecksum = Datagram(Size);
        withoutChecksum[26] = 0;
        withoutChecksum[27] = 0;

        Assert.False(coalescer.TryAdd(firstFragment));
        Assert.False(coalescer.TryAdd(lastFragment));
        Assert.False(coalescer.TryAdd(corrupted));
        Assert.False(coalescer.TryAdd(withoutChecksum));
        Assert.False(coalescer.HasPending);
    }

    [Fact]
    public void JoinedPacket_StopsAtTheSegmentLimit()
    {
        var coalescer = new UdpCoalescer();
        var small = Datagram(100);
        for (var i = 0; i < UdpCoalescer.MaxSegments; i++)
        {
            Assert.True(coalescer.TryAdd(small));
        }

        Assert.False(coalescer.TryAdd(small));
    }

    [Fact]
    public void Segmenter_RefusesFragmentsAndNonUdp()
    {
        Assert.False(UdpSegmenter.TryCreate(Datagram(1372, fragmentFlags: 0x20), Size, out _));
        Assert.False(UdpSegmenter.TryCreate(TestPackets.Tcp(1, 100, TestPackets.Ack), Size, out _));
        Assert.True(UdpSegmenter.TryCreate(Datagram(3000), Size, out _));
    }
}
