using System.Buffers.Binary;
using SharpSwan.Gateway.DataPlane;

namespace SharpSwan.Gateway.Tests.DataPlane;

public sealed class FragmentJoinerTests
{
    /// <summary>An IPv4 UDP datagram of <paramref name="payloadLength"/> bytes with correct checksums (payload byte i is (byte)i).</summary>
    private static byte[] Datagram(int payloadLength, ushort ipId = 77, byte tos = 0) =>
        TestPackets.Udp(payloadLength, ipId, sourcePort: 40000, tos: tos);

    private static byte[][] Fragments(byte[] packet, int mtu) => TestPackets.Fragments(packet, mtu);

    [Theory]
    [InlineData(1400, 1400, 2)]
    [InlineData(4000, 1400, 3)]
    [InlineData(65000, 1400, 48)]
    public void FragmentsInOrder_BecomeTheOriginalDatagram(int payloadLength, int mtu, int expectedFragments)
    {
        var original = Datagram(payloadLength);
        var fragments = Fragments(original, mtu);
        Assert.Equal(expectedFragments, fragments.Length);
        var joiner = new FragmentJoiner();

        for (var i = 0; i < fragments.Length; i++)
        {
            Assert.True(FragmentJoiner.IsFragment(fragments[i]));
            Assert.True(joiner.TryAdd(fragments[i]));
            Assert.Equal(i == fragments.Length - 1, joiner.IsComplete);
        }

        Assert.Equal(original, joiner.TakeJoined().ToArray());
        Assert.Equal(1, joiner.JoinedDatagrams);
        Assert.Equal(0, joiner.HeldCount);
        Assert.False(joiner.IsComplete);
    }

    [Fact]
    public void JoinedDatagram_JoinsItsFlowInTheUdpCoalescer()
    {
        var joiner = new FragmentJoiner();
        var coalescer = new UdpCoalescer();
        for (ushort id = 1; id <= 3; id++)
        {
            foreach (var fragment in Fragments(Datagram(1400, ipId: id), 1400))
            {
                Assert.True(joiner.TryAdd(fragment));
            }

            Assert.True(coalescer.TryAdd(joiner.TakeJoined()));
        }

        Assert.Equal(2, coalescer.MergedSegments);
    }

    [Fact]
    public void AFragmentOfAnotherDatagram_IsRefused_AndTheHeldOneComesBackUnchanged()
    {
        var first = Fragments(Datagram(1400, ipId: 1), 1400);
        var second = Fragments(Datagram(1400, ipId: 2), 1400);
        var joiner = new FragmentJoiner();

        Assert.True(joiner.TryAdd(first[0]));
        Assert.False(joiner.TryAdd(second[1]));
        Assert.False(joiner.TryAdd(second[0]));
        Assert.Equal(1, joiner.HeldCount);
        Assert.Equal(first[0], joiner.Held(0).ToArray());

        joiner.Clear();
        Assert.True(joiner.TryAdd(second[0]));
        Assert.True(joiner.TryAdd(second[1]));
        Assert.True(joiner.IsComplete);
    }

    [Fact]
    public void HeldFragments_ComeBackExactlyAsTheyArrived()
    {
        var fragments = Fragments(Datagram(4000), 1400);
        var joiner = new FragmentJoiner();
        Assert.True(joiner.TryAdd(fragments[0]));
        Assert.True(joiner.TryAdd(fragments[1]));

        Assert.Equal(2, joiner.HeldCount);
        Assert.Equal(fragments[0], joiner.Held(0).ToArray());
        Assert.Equal(fragments[1], joiner.Held(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => joiner.Held(2));
    }

    [Fact]
    public void OutOfOrderRepeatedOrDifferingFragments_AreLeftToTheKernel()
    {
        var fragments = Fragments(Datagram(4000), 1400);
        var joiner = new FragmentJoiner();

        // A later fragment cannot start a datagram; a repeated or skipped one does not continue it.
        Assert.False(joiner.TryAdd(fragments[1]));
        Assert.False(joiner.TryAdd(fragments[2]));
        Assert.True(joiner.TryAdd(fragments[0]));
        Assert.False(joiner.TryAdd(fragments[0]));
        Assert.False(joiner.TryAdd(fragments[2]));

        // Another TOS byte (ECN) is left to the kernel's rules.
        var otherTos = (byte[])fragments[1].Clone();
        otherTos[1] = 0x03;
        Assert.False(joiner.TryAdd(otherTos));
        Assert.Equal(1, joiner.HeldCount);
    }

    [Fact]
    public void WholePacketsAndMalformedFragments_AreRefused()
    {
        var joiner = new FragmentJoiner();
        var whole = Datagram(100);
        Assert.False(FragmentJoiner.IsFragment(whole));
        Assert.False(joiner.TryAdd(whole));

        var fragment = Fragments(Datagram(1400), 1400)[0];
        var badLength = (byte[])fragment.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(badLength.AsSpan(2), (ushort)(fragment.Length + 8));
        Assert.False(joiner.TryAdd(badLength));

        var badHeader = (byte[])fragment.Clone();
        badHeader[0] = 0x44;
        Assert.False(joiner.TryAdd(badHeader));
        Assert.False(joiner.TryAdd(fragment.AsSpan(0, 12)));
        Assert.Equal(0, joiner.HeldCount);
    }

    [Fact]
    public void MoreFragmentsThanTheLimit_AreNotJoined()
    {
        // 65000 bytes in 576-byte fragments take 118 pieces: more than the joiner holds.
        var fragments = Fragments(Datagram(65000), 576);
        var joiner = new FragmentJoiner();
        for (var i = 0; i < FragmentJoiner.MaxFragments; i++)
        {
            Assert.True(joiner.TryAdd(fragments[i]));
        }

        Assert.False(joiner.TryAdd(fragments[FragmentJoiner.MaxFragments]));
        Assert.False(joiner.IsComplete);
        Assert.Equal(FragmentJoiner.MaxFragments, joiner.HeldCount);
    }
}
