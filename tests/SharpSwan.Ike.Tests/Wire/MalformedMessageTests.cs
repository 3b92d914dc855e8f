using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Wire;

/// <summary>Each structural rule of RFC 7296 §3 that the decoder enforces, one broken message at a time.</summary>
public sealed class MalformedMessageTests
{
    private static IkeParseResult DecodePlain(byte[] datagram) => IkeMessageCodec.Decode(datagram, protector: null);

    private static void AssertMalformed(IkeParseResult result, PayloadType offending)
    {
        Assert.False(result.Success);
        Assert.Null(result.Message);
        Assert.Equal(IkeParseError.MalformedPayload, result.Error);
        Assert.Equal(offending, result.OffendingPayload);
        Assert.False(string.IsNullOrWhiteSpace(result.Detail));
    }

    [Fact]
    public void Datagram_shorter_than_the_header_is_truncated_without_header()
    {
        var result = IkeMessageCodec.Decode(new byte[27], protector: null);

        Assert.Equal(IkeParseError.Truncated, result.Error);
        Assert.Null(result.Header);
    }

    [Fact]
    public void Header_length_beyond_the_datagram_is_truncated()
    {
        byte[] datagram = WireTestData.Hex(WireTestData.ParserFixtureIkeSaInitHex);

        var result = DecodePlain(datagram[..^1]);

        Assert.Equal(IkeParseError.Truncated, result.Error);
        Assert.Equal(0x89922c915f35570eUL, result.Header!.Value.InitiatorSpi);
    }

    [Fact]
    public void Trailing_octets_after_the_announced_length_are_an_invalid_length()
    {
        byte[] datagram = [.. WireTestData.Hex(WireTestData.ParserFixtureIkeSaInitHex), 0];

        Assert.Equal(IkeParseError.InvalidLength, DecodePlain(datagram).Error);
    }

    [Fact]
    public void Header_length_below_28_is_an_invalid_length()
    {
        byte[] datagram = WireTestData.RawMessage(PayloadType.None, string.Empty);
        datagram[27] = 27;

        Assert.Equal(IkeParseError.InvalidLength, DecodePlain(datagram).Error);
    }

    [Fact]
    public void Major_version_other_than_2_is_reported_with_its_header()
    {
        byte[] datagram = WireTestData.Hex(WireTestData.ParserFixtureIkeSaInitHex);
        datagram[17] = 0x30;

        var result = DecodePlain(datagram);

        Assert.Equal(IkeParseError.UnsupportedMajorVersion, result.Error);
        Assert.Equal(3, result.Header!.Value.MajorVersion);
        Assert.Equal(0x89922c915f35570eUL, result.Header.Value.InitiatorSpi);
    }

    [Fact]
    public void Minor_version_is_ignored()
    {
        byte[] datagram = WireTestData.Hex(WireTestData.ParserFixtureIkeSaInitHex);
        datagram[17] = 0x21;

        Assert.True(DecodePlain(datagram).Success);
    }

    [Fact]
    public void Payload_length_below_4_is_an_invalid_length()
    {
        Assert.Equal(IkeParseError.InvalidLength, DecodePlain(WireTestData.RawMessage(PayloadType.VendorId, "00000003")).Error);
    }

    [Fact]
    public void Payload_length_beyond_the_message_is_an_invalid_length()
    {
        Assert.Equal(IkeParseError.InvalidLength, DecodePlain(WireTestData.RawMessage(PayloadType.VendorId, "00000009aabbcc")).Error);
    }

    [Fact]
    public void Chain_announcing_a_payload_after_the_end_is_truncated()
    {
        var result = DecodePlain(WireTestData.RawMessage(PayloadType.VendorId, "2b000005aa"));

        Assert.Equal(IkeParseError.Truncated, result.Error);
        Assert.Equal(PayloadType.VendorId, result.OffendingPayload);
    }

    [Fact]
    public void Octets_after_the_last_payload_are_an_invalid_length()
    {
        Assert.Equal(IkeParseError.InvalidLength, DecodePlain(WireTestData.RawMessage(PayloadType.VendorId, "00000005aa" + "0000")).Error);
    }

    [Fact]
    public void Critical_unknown_payload_is_rejected_with_its_type()
    {
        var header = WireTestData.RequestHeader(ExchangeType.Informational);
        byte[] datagram = IkeMessageCodec.Encode(header, [new VendorIdPayload([1]), new UnknownPayload((PayloadType)200, [1, 2, 3]) { Critical = true }]);

        var result = DecodePlain(datagram);

        Assert.Equal(IkeParseError.UnsupportedCriticalPayload, result.Error);
        Assert.Equal((PayloadType)200, result.OffendingPayload);
        Assert.Equal(header.MessageId, result.Header!.Value.MessageId);
    }

    [Fact]
    public void Critical_bit_on_a_known_payload_is_accepted()
    {
        var result = DecodePlain(WireTestData.RawMessage(PayloadType.VendorId, "00800005aa"));

        Assert.True(result.Success, result.Detail);
        Assert.True(result.Message!.Payloads[0].Critical);
    }

    [Fact]
    public void Encrypted_fragment_is_rejected_because_fragmentation_is_not_supported()
    {
        AssertMalformed(DecodePlain(WireTestData.RawMessage(PayloadType.EncryptedFragment, "0000000c0001000200000000")), PayloadType.EncryptedFragment);
    }

    [Theory]
    [InlineData("00000004", "empty SA")]
    [InlineData("0000000c" + "0000000701010000", "proposal length below 8")]
    [InlineData("0000000c" + "0000000901010000", "proposal length beyond the payload")]
    [InlineData("00000014" + "0000001001010001" + "0300000803000002", "last transform flagged as 'more'")]
    [InlineData("00000014" + "0000001001010002" + "0000000803000002", "transform count too high")]
    [InlineData("00000014" + "0000001001010001" + "0000000703000002", "transform length below 8")]
    [InlineData("00000010" + "0000000c01010801" + "00000000", "SPI size beyond the proposal")]
    [InlineData("00000017" + "0000001301010001" + "0000000b0100000c800e00", "truncated transform attribute")]
    [InlineData("00000018" + "0000001401010001" + "0000000c0100000c000e0008", "TLV attribute overrunning the transform")]
    [InlineData("00000014" + "0200001001010001" + "0000000803000002", "single proposal flagged as 'more'")]
    public void Broken_security_association_is_malformed(string chainHex, string because)
    {
        var result = DecodePlain(WireTestData.RawMessage(PayloadType.SecurityAssociation, chainHex, ExchangeType.IkeSaInit));

        Assert.True(result.Error == IkeParseError.MalformedPayload, because);
        Assert.Equal(PayloadType.SecurityAssociation, result.OffendingPayload);
    }

    [Fact]
    public void Transform_with_an_unknown_attribute_is_kept_but_flagged()
    {
        // ENCR 12 with Key Length 128 and an unknown TV attribute 15.
        var result = DecodePlain(WireTestData.RawMessage(PayloadType.SecurityAssociation, "0000001c" + "0000001801010001" + "000000100100000c800e0080800f0001", ExchangeType.IkeSaInit));

        Assert.True(result.Success, result.Detail);
        var transform = result.Message!.Find<SecurityAssociationPayload>()!.Proposals[0].Transforms[0];
        Assert.Equal((ushort?)128, transform.KeyLength);
        Assert.True(transform.HasUnknownAttributes);
    }

    [Theory]
    [InlineData(PayloadType.KeyExchange, "00000007" + "001300")]
    [InlineData(PayloadType.IdInitiator, "00000007" + "020000")]
    [InlineData(PayloadType.Authentication, "00000006" + "0200")]
    [InlineData(PayloadType.Nonce, "0000000c" + "0102030405060708")]
    [InlineData(PayloadType.Notify, "00000007" + "000040")]
    [InlineData(PayloadType.Notify, "0000000a" + "030840090102")]
    [InlineData(PayloadType.Certificate, "00000004")]
    [InlineData(PayloadType.CertificateRequest, "00000004")]
    [InlineData(PayloadType.Eap, "00000008" + "01010005")]
    [InlineData(PayloadType.Configuration, "0000000a" + "01000000" + "0001")]
    [InlineData(PayloadType.Configuration, "0000000c" + "01000000" + "00010004")]
    public void Payload_below_its_minimum_structure_is_malformed(PayloadType type, string chainHex)
    {
        AssertMalformed(DecodePlain(WireTestData.RawMessage(type, chainHex)), type);
    }

    [Fact]
    public void Nonce_longer_than_256_octets_is_malformed()
    {
        string body = Convert.ToHexStringLower(new byte[257]);

        AssertMalformed(DecodePlain(WireTestData.RawMessage(PayloadType.Nonce, "00000105" + body)), PayloadType.Nonce);
    }

    [Theory]
    [InlineData("00000008" + "00000000", "no selectors")]
    [InlineData("00000018" + "01000000" + "07000028" + "0000ffff" + "0a010000" + "0a0100ff", "IPv4 selector with the IPv6 length")]
    [InlineData("00000018" + "01000000" + "08000010" + "0000ffff" + "0a010000" + "0a0100ff", "IPv6 selector with the IPv4 length")]
    [InlineData("00000018" + "01000000" + "09000010" + "0000ffff" + "0a010000" + "0a0100ff", "unknown selector type")]
    [InlineData("00000018" + "02000000" + "07000010" + "0000ffff" + "0a010000" + "0a0100ff", "count above the selectors present")]
    [InlineData("0000001c" + "01000000" + "07000010" + "0000ffff" + "0a010000" + "0a0100ff" + "00000000", "octets after the selectors")]
    [InlineData("00000014" + "01000000" + "07000010" + "0000ffff" + "0a010000", "selector cut short")]
    public void Broken_traffic_selectors_are_malformed(string chainHex, string because)
    {
        var result = DecodePlain(WireTestData.RawMessage(PayloadType.TrafficSelectorInitiator, chainHex));

        Assert.True(result.Error == IkeParseError.MalformedPayload, because);
        Assert.Equal(PayloadType.TrafficSelectorInitiator, result.OffendingPayload);
    }

    [Theory]
    [InlineData("0000000c" + "03040002" + "01020304", "two SPIs announced, one present")]
    [InlineData("00000010" + "03080001" + "0102030405060708", "ESP SPI size 8")]
    [InlineData("0000000c" + "01040001" + "01020304", "IKE delete with an SPI")]
    [InlineData("00000008" + "01000001", "IKE delete announcing an SPI")]
    [InlineData("0000000c" + "07040001" + "01020304", "unknown protocol")]
    [InlineData("0000000e" + "03040001" + "010203040506", "extra octets after the SPIs")]
    public void Broken_delete_is_malformed(string chainHex, string because)
    {
        var result = DecodePlain(WireTestData.RawMessage(PayloadType.Delete, chainHex));

        Assert.True(result.Error == IkeParseError.MalformedPayload, because);
        Assert.Equal(PayloadType.Delete, result.OffendingPayload);
    }
}
