using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Wire;

/// <summary>Decodes IKE_SA_INIT requests captured from other implementations, field by field.</summary>
public sealed class CapturedIkeSaInitTests
{
    [Fact]
    public void Parser_fixture_request_decodes_field_by_field()
    {
        byte[] datagram = WireTestData.Hex(WireTestData.ParserFixtureIkeSaInitHex);

        var result = IkeMessageCodec.Decode(datagram, protector: null);

        Assert.True(result.Success, result.Detail);
        var message = result.Message!;
        var header = message.Header;
        Assert.Equal(0x89922c915f35570eUL, header.InitiatorSpi);
        Assert.Equal(0UL, header.ResponderSpi);
        Assert.Equal(PayloadType.SecurityAssociation, header.NextPayload);
        Assert.Equal(ExchangeType.IkeSaInit, header.Exchange);
        Assert.Equal(IkeFlags.Initiator, header.Flags);
        Assert.Equal(0u, header.MessageId);
        Assert.Equal(300u, header.Length);
        Assert.False(message.WasProtected);

        Assert.Equal(
            [
                PayloadType.SecurityAssociation, PayloadType.KeyExchange, PayloadType.Nonce,
                PayloadType.VendorId, PayloadType.VendorId, PayloadType.VendorId, PayloadType.VendorId,
                PayloadType.Notify, PayloadType.Notify, PayloadType.Notify,
            ],
            message.Payloads.Select(p => p.Type));

        var proposal = Assert.Single(message.Find<SecurityAssociationPayload>()!.Proposals);
        Assert.Equal(1, proposal.Number);
        Assert.Equal(ProtocolId.Ike, proposal.Protocol);
        Assert.Empty(proposal.Spi);
        Assert.Equal(
            [
                new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesGcm16, 256),
                new Transform(TransformType.Prf, (ushort)PseudoRandomFunction.HmacSha256, null),
                new Transform(TransformType.DiffieHellman, (ushort)DiffieHellmanGroup.Ecp256, null),
            ],
            proposal.Transforms);

        var ke = message.Find<KeyExchangePayload>()!;
        Assert.Equal(DiffieHellmanGroup.Ecp256, ke.Group);
        Assert.Equal(64, ke.Data.Length);
        Assert.Equal("db253178", Convert.ToHexStringLower(ke.Data[..4]));
        Assert.Equal("f2be1fca", Convert.ToHexStringLower(ke.Data[^4..]));

        var nonce = message.Find<NoncePayload>()!;
        Assert.Equal(40, nonce.Data.Length);
        Assert.Equal("09cb538b", Convert.ToHexStringLower(nonce.Data[..4]));

        Assert.Equal(
            ["eb4c1b788afd4a9cb7730a68d56c5321", "c61baca1f1a60cc10800000000000000", "4048b7d56ebce88525e7de7f00d6c2d3c0000000", "4048b7d56ebce88525e7de7f00d6c2d3"],
            message.FindAll<VendorIdPayload>().Select(v => Convert.ToHexStringLower(v.Data)));

        var fragmentation = message.FindNotify(NotifyType.Ikev2FragmentationSupported)!;
        Assert.Equal(ProtocolId.None, fragmentation.Protocol);
        Assert.Empty(fragmentation.Spi);
        Assert.Empty(fragmentation.Data);
        Assert.False(fragmentation.IsError);
        Assert.NotNull(message.FindNotify(NotifyType.RedirectSupported));
        Assert.Equal("0001000200030004", Convert.ToHexStringLower(message.FindNotify(NotifyType.SignatureHashAlgorithms)!.Data));
        Assert.Null(message.FindNotify(NotifyType.NatDetectionSourceIp));
    }

    [Fact]
    public void Android_client_request_decodes_field_by_field()
    {
        byte[] datagram = WireTestData.Hex(WireTestData.AndroidIkeSaInitHex);

        var result = IkeMessageCodec.Decode(datagram, protector: null);

        Assert.True(result.Success, result.Detail);
        var message = result.Message!;
        Assert.Equal(0x8f54bf6d8b48e6e1UL, message.Header.InitiatorSpi);
        Assert.Equal(336u, message.Header.Length);
        Assert.Equal(
            [PayloadType.SecurityAssociation, PayloadType.KeyExchange, PayloadType.Nonce, PayloadType.Notify, PayloadType.Notify, PayloadType.VendorId],
            message.Payloads.Select(p => p.Type));

        var proposal = Assert.Single(message.Find<SecurityAssociationPayload>()!.Proposals);
        Assert.Equal(
            [
                new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesCbc, 128),
                new Transform(TransformType.Integrity, (ushort)IntegrityAlgorithm.HmacSha1_96, null),
                new Transform(TransformType.DiffieHellman, 2, null),
                new Transform(TransformType.Prf, (ushort)PseudoRandomFunction.HmacSha1, null),
            ],
            proposal.Transforms);

        var ke = message.Find<KeyExchangePayload>()!;
        Assert.Equal((DiffieHellmanGroup)2, ke.Group);
        Assert.Equal(128, ke.Data.Length);
        Assert.Equal(32, message.Find<NoncePayload>()!.Data.Length);
        Assert.Equal("e54f73b7d83f6beb881eab2051d8663f421d10b0", Convert.ToHexStringLower(message.FindNotify(NotifyType.NatDetectionSourceIp)!.Data));
        Assert.Equal("d915368ca036004cb578ae3e3fb268509aeab190", Convert.ToHexStringLower(message.FindNotify(NotifyType.NatDetectionDestinationIp)!.Data));
    }

    [Theory]
    [InlineData(WireTestData.ParserFixtureIkeSaInitHex)]
    [InlineData(WireTestData.AndroidIkeSaInitHex)]
    public void Captured_request_re_encodes_to_the_identical_octets(string hex)
    {
        byte[] datagram = WireTestData.Hex(hex);
        var message = IkeMessageCodec.Decode(datagram, protector: null).Message!;

        byte[] encoded = IkeMessageCodec.Encode(message.Header, message.Payloads);

        Assert.Equal(Convert.ToHexStringLower(datagram), Convert.ToHexStringLower(encoded));
    }
}
