using SharpSwan.Gateway.DataPlane;

namespace SharpSwan.Gateway.Tests.DataPlane;

public sealed class InternetChecksumTests
{
    [Fact]
    public void Ipv4Header_KnownExample_GivesB861()
    {
        // A widely published IPv4 header example whose checksum is 0xb861.
        byte[] header = Convert.FromHexString("450000730000400040110000c0a80001c0a800c7");

        InternetChecksum.RewriteIpv4HeaderChecksum(header, 20);

        Assert.Equal(0xb861, TestPackets.IpChecksumField(header));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(13)]
    [InlineData(1500)]
    [InlineData(65535)]
    public void Finish_MatchesTheNaiveWordByWordSum(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);

        Assert.Equal(TestPackets.NaiveChecksum(data), InternetChecksum.Finish(InternetChecksum.Add(0, data)));
    }

    [Fact]
    public void Add_InPiecesOfEvenLength_EqualsAddAtOnce()
    {
        var data = new byte[1001];
        new Random(3).NextBytes(data);

        var inPieces = InternetChecksum.Add(InternetChecksum.Add(0, data.AsSpan(0, 34)), data.AsSpan(34));

        Assert.Equal(InternetChecksum.Fold(InternetChecksum.Add(0, data)), InternetChecksum.Fold(inPieces));
    }
}
