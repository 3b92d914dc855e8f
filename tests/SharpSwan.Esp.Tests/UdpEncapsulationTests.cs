using SharpSwan.Esp;

namespace SharpSwan.Esp.Tests;

public sealed class UdpEncapsulationTests
{
    [Theory]
    [InlineData("", UdpPayloadKind.Invalid)]
    [InlineData("ff", UdpPayloadKind.NatKeepalive)]
    [InlineData("00", UdpPayloadKind.Invalid)]
    [InlineData("fe", UdpPayloadKind.Invalid)]
    [InlineData("ffff", UdpPayloadKind.Invalid)]
    [InlineData("000000", UdpPayloadKind.Invalid)]
    [InlineData("ffffff", UdpPayloadKind.Invalid)]
    [InlineData("00000000", UdpPayloadKind.Invalid)] // marker with no IKE message behind it
    [InlineData("0000000021", UdpPayloadKind.Ike)]
    [InlineData("00000000112233445566778800000000000000002120220800000000000000ec", UdpPayloadKind.Ike)]
    [InlineData("00000001", UdpPayloadKind.Invalid)] // non-zero SPI but shorter than SPI + sequence number
    [InlineData("00000001000000", UdpPayloadKind.Invalid)]
    [InlineData("0000000100000001", UdpPayloadKind.Esp)]
    [InlineData("c0ffee0100000001aabbccddeeff", UdpPayloadKind.Esp)]
    [InlineData("00000100", UdpPayloadKind.Invalid)]
    [InlineData("0000010000000005", UdpPayloadKind.Esp)] // SPI 256: only the first four bytes decide
    public void Classify_RecognisesEachKind(string hex, UdpPayloadKind expected)
    {
        Assert.Equal(expected, UdpEncapsulation.Classify(Convert.FromHexString(hex)));
    }

    [Fact]
    public void GetIkeMessage_StripsTheNonEspMarker()
    {
        byte[] datagram = Convert.FromHexString("00000000aabbcc");

        Assert.Equal(Convert.FromHexString("aabbcc"), UdpEncapsulation.GetIkeMessage(datagram).ToArray());
    }

    [Fact]
    public void WriteNonEspMarker_WritesFourZeroBytesAndReturnsItsLength()
    {
        byte[] buffer = [9, 9, 9, 9, 9];

        int written = UdpEncapsulation.WriteNonEspMarker(buffer);

        Assert.Equal(UdpEncapsulation.NonEspMarkerLength, written);
        Assert.Equal(4, written);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 9 }, buffer);
    }

    [Fact]
    public void WriteNonEspMarker_BufferTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() => UdpEncapsulation.WriteNonEspMarker(new byte[3]));
    }

    [Fact]
    public void WriteNatKeepalive_ProducesWhatClassifyCallsAKeepalive()
    {
        byte[] buffer = new byte[1];

        int written = UdpEncapsulation.WriteNatKeepalive(buffer);

        Assert.Equal(1, written);
        Assert.Equal(UdpPayloadKind.NatKeepalive, UdpEncapsulation.Classify(buffer));
    }
}
