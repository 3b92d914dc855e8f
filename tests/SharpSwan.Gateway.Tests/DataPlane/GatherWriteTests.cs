using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.DataPlane;

/// <summary>
/// Gathered frames (headers copied, payloads referenced where they lie) against copied ones: the same bytes, built from
/// the same segments, and the segments' memory is what a gathered frame reads.
/// </summary>
public sealed class GatherWriteTests
{
    /// <summary>Copies the packets into one pinned buffer, as they would lie in a receive batch's native slots.</summary>
    private static ReadOnlyMemory<byte>[] Pinned(IReadOnlyList<byte[]> packets)
    {
        var arena = GC.AllocateArray<byte>(packets.Sum(p => p.Length + 7), pinned: true);
        var result = new ReadOnlyMemory<byte>[packets.Count];
        var at = 0;
        for (var i = 0; i < packets.Count; i++)
        {
            packets[i].CopyTo(arena, at);
            result[i] = arena.AsMemory(at, packets[i].Length);
            at += packets[i].Length + 7; // ESP trailer and next header in between, as after decryption
        }

        return result;
    }

    private static byte[][] TcpFlow(int count, int size, int lastSize)
    {
        var packets = new byte[count][];
        var sequence = 1000u;
        for (var i = 0; i < count; i++)
        {
            var length = i == count - 1 ? lastSize : size;
            packets[i] = TestPackets.Tcp(sequence, length, TestPackets.Ack, ipId: (ushort)(100 + i), payloadStart: i * 7);
            sequence += (uint)length;
        }

        return packets;
    }

    private static byte[][] UdpFlow(int count, int size, int lastSize) =>
        [.. Enumerable.Range(0, count).Select(i => TestPackets.Udp(i == count - 1 ? lastSize : size, ipId: (ushort)(9 + i), payloadStart: i * 3))];

    [Fact]
    public void TcpSegments_GatheredFrameIsByteIdenticalToTheCopiedFrame_AndReferencesEachPayload()
    {
        var segments = Pinned(TcpFlow(5, 1000, 321));
        var copying = new TcpCoalescer();
        var gathering = new TcpCoalescer(gather: true);
        foreach (var segment in segments)
        {
            Assert.True(copying.TryAdd(segment.Span));
            Assert.True(gathering.TryAdd(segment.Span));
        }

        var copied = copying.TakeFrame().ToArray();
        var gathered = gathering.TakeGather();

        Assert.Equal(VirtioNetHeader.GsoTcpV4, VirtioNetHeader.Read(copied).GsoKind);
        Assert.Equal(copied, gathered.ToArray());
        Assert.Equal(1 + segments.Length, gathered.Count);
        Assert.Equal(copied.Length, gathered.Length);
        Assert.False(gathering.HasPending);
    }

    [Fact]
    public void GatheredFrame_ReadsThePayloadWhereItLies_NotACopy()
    {
        // The proof that nothing was copied: changing a segment's payload after it joined changes the gathered frame.
        var segments = Pinned(TcpFlow(3, 500, 500));
        var gathering = new TcpCoalescer(gather: true);
        foreach (var segment in segments)
        {
            Assert.True(gathering.TryAdd(segment.Span));
        }

        var frame = gathering.TakeGather();
        var before = frame.ToArray();
        var payload = MemoryMarshal.AsMemory(segments[1]).Span[52..];
        payload[0] ^= 0xff;

        var after = frame.ToArray();
        Assert.Equal(before[..^1001], after[..^1001]);
        Assert.NotEqual(before[^1000], after[^1000]);
    }

    [Fact]
    public void LoneTcpSegment_GatheredIsTheSegmentBehindAnEmptyHeader()
    {
        var segments = Pinned(TcpFlow(1, 700, 700));
        var copying = new TcpCoalescer();
        var gathering = new TcpCoalescer(gather: true);
        Assert.True(copying.TryAdd(segments[0].Span));
        Assert.True(gathering.TryAdd(segments[0].Span));

        var copied = copying.TakeFrame().ToArray();

        Assert.Equal(copied, gathering.TakeGather().ToArray());
        Assert.Equal(segments[0].ToArray(), copied[VirtioNetHeader.Size..]);
    }

    [Fact]
    public void GatheringTcpCoalescer_StopsAtItsPieceLimit_WhereTheCopyingOneGoesOn()
    {
        var segments = Pinned(TcpFlow(TcpCoalescer.MaxGatherSegments + 1, 100, 100));
        var copying = new TcpCoalescer();
        var gathering = new TcpCoalescer(gather: true);
        for (var i = 0; i < TcpCoalescer.MaxGatherSegments; i++)
        {
            Assert.True(copying.TryAdd(segments[i].Span));
            Assert.True(gathering.TryAdd(segments[i].Span));
        }

        Assert.True(copying.TryAdd(segments[^1].Span));
        Assert.False(gathering.TryAdd(segments[^1].Span));
        Assert.Equal(TcpCoalescer.MaxGatherSegments + 1, gathering.TakeGather().Count);
    }

    [Fact]
    public void UdpDatagrams_GatheredFrameIsByteIdenticalToTheCopiedFrame()
    {
        var datagrams = Pinned(UdpFlow(6, 1344, 200));
        var copying = new UdpCoalescer();
        var gathering = new UdpCoalescer(gather: true);
        foreach (var datagram in datagrams)
        {
            Assert.True(copying.TryAdd(datagram.Span));
            Assert.True(gathering.TryAdd(datagram.Span));
        }

        var copied = copying.TakeFrame().ToArray();
        var gathered = gathering.TakeGather();

        Assert.Equal(VirtioNetHeader.GsoUdpL4, VirtioNetHeader.Read(copied).GsoKind);
        Assert.Equal(copied, gathered.ToArray());
        Assert.Equal(1 + datagrams.Length, gathered.Count);
    }

    [Fact]
    public void JoinedFragments_GatheredThroughTheUdpCoalescer_AreByteIdenticalToTheCopiedFrame()
    {
        // Two fragmented datagrams joined, then joined into one UDP frame: the gathered frame references both joined
        // datagrams in the joiner's arena, so the first must still be there when the second has been joined.
        var first = TestPackets.Udp(2500, ipId: 31, payloadStart: 1);
        var second = TestPackets.Udp(2500, ipId: 32, payloadStart: 2);
        var fragments = Pinned([.. TestPackets.Fragments(first, 1400), .. TestPackets.Fragments(second, 1400)]);
        var copyJoiner = new FragmentJoiner();
        var gatherJoiner = new FragmentJoiner(gather: true);
        var copying = new UdpCoalescer();
        var gathering = new UdpCoalescer(gather: true);
        foreach (var fragment in fragments)
        {
            Assert.True(copyJoiner.TryAdd(fragment.Span));
            Assert.True(gatherJoiner.TryAdd(fragment.Span));
            if (copyJoiner.IsComplete)
            {
                Assert.True(copying.TryAdd(copyJoiner.TakeJoined()));
                Assert.True(gathering.TryAdd(gatherJoiner.TakeJoined()));
            }
        }

        var copied = copying.TakeFrame().ToArray();

        Assert.Equal(copied, gathering.TakeGather().ToArray());
        Assert.Equal(first[28..], copied[(VirtioNetHeader.Size + 28)..(VirtioNetHeader.Size + 28 + 2500)]);
        Assert.Equal(second[28..], copied[(VirtioNetHeader.Size + 28 + 2500)..]);
    }

    [Fact]
    public void GatheringJoiner_KeepsEveryDatagramItHandedOut_UntilRecycled()
    {
        var joiner = new FragmentJoiner(gather: true);
        var handedOut = new List<(byte[] Datagram, long Offset)>();
        ref readonly var origin = ref Unsafe.NullRef<byte>();
        while (true)
        {
            var datagram = TestPackets.Udp(30000, ipId: (ushort)(200 + handedOut.Count), payloadStart: handedOut.Count);
            var fragments = TestPackets.Fragments(datagram, 1400);
            if (!joiner.HasRoom)
            {
                // A full arena refuses to start another datagram rather than overwrite one still handed out.
                Assert.False(joiner.TryAdd(fragments[0]));
                break;
            }

            foreach (var fragment in fragments)
            {
                Assert.True(joiner.TryAdd(fragment));
            }

            var joined = joiner.TakeJoined();
            Assert.Equal(datagram, joined.ToArray());
            if (handedOut.Count == 0)
            {
                origin = ref MemoryMarshal.GetReference(joined);
            }

            handedOut.Add((datagram, (long)Unsafe.ByteOffset(in origin, in MemoryMarshal.GetReference(joined))));
        }

        // Every datagram handed out is still where it was, unchanged, after the later ones were joined (the arena is pinned).
        Assert.True(handedOut.Count >= 2);
        foreach (var (datagram, offset) in handedOut)
        {
            var there = MemoryMarshal.CreateReadOnlySpan(in Unsafe.AddByteOffset(ref Unsafe.AsRef(in origin), (nint)offset), datagram.Length);
            Assert.Equal(datagram, there.ToArray());
        }

        // Recycling is refused while fragments are held; once done the arena takes datagrams again from its start.
        Assert.True(joiner.Recycle());
        var again = TestPackets.Udp(3000, ipId: 999);
        var pieces = TestPackets.Fragments(again, 1400);
        Assert.True(joiner.TryAdd(pieces[0]));
        Assert.False(joiner.Recycle());
        Assert.Equal(1, joiner.HeldCount);
        foreach (var piece in pieces[1..])
        {
            Assert.True(joiner.TryAdd(piece));
        }

        Assert.True(Unsafe.AreSame(in origin, in MemoryMarshal.GetReference(joiner.TakeJoined())));
    }
}
