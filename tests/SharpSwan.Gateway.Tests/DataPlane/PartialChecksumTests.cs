using System.Buffers.Binary;
using SharpSwan.Gateway.DataPlane;

namespace SharpSwan.Gateway.Tests.DataPlane;

public sealed class PartialChecksumTests
{
    [Fact]
    public void TcpWithPseudoHeaderSumInTheField_IsFinishedToTheFullChecksum()
    {
        var packet = TestPackets.Tcp(5, 777, TestPackets.Ack);
        var expected = TestPackets.TcpChecksumField(packet);
        // What the kernel leaves with NEEDS_CSUM: the folded (not complemented) pseudo-header sum.
        var pseudo = InternetChecksum.Fold(InternetChecksum.PseudoHeaderSum(packet, 6, packet.Length - 20));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(36), pseudo);

        Assert.True(PartialChecksum.TryFinish(packet, 20, 16));

        Assert.Equal(expected, TestPackets.TcpChecksumField(packet));
    }

    [Fact]
    public void UdpWhoseChecksumComesOutZero_IsSentAsAllOnes()
    {
        // An 8-byte UDP header alone; the ports are chosen so that the data sums to 0xffff, i.e. checksum 0.
        var packet = new byte[28];
        packet[0] = 0x45;
        packet[9] = 17;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 0xfff7);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(24), 8);

        Assert.True(PartialChecksum.TryFinish(packet, 20, 6));

        Assert.Equal(0xffff, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(26)));
    }

    [Theory]
    [InlineData(10, 16)]
    [InlineData(20, 200)]
    public void OffsetsOutsideThePacket_AreRefused(int start, int offset)
    {
        var packet = TestPackets.Tcp(5, 10, TestPackets.Ack);

        Assert.False(PartialChecksum.TryFinish(packet, start, offset));
    }
}
