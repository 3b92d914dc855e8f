using System.Net;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.Tests.V1;

/// <summary>IKEv1 messages survive Encode → Decode with every field, and their octets follow RFC 2408 §3.</summary>
public sealed class IsakmpCodecTests
{
    private static T RoundTrip<T>(T payload)
        where T : IsakmpPayload
    {
        byte[] encoded = IsakmpCodec.Encode(IsakmpTestData.Header(), [payload]);
        var result = IsakmpCodec.Decode(encoded);
        Assert.True(result.Success, result.Detail);
        var decoded = Assert.IsType<T>(Assert.Single(result.Message!.Payloads));
        Assert.Equal(encoded, IsakmpCodec.Encode(result.Message.Header, result.Message.Payloads));
        return decoded;
    }

    [Fact]
    public void Header_is_version_1_0_with_cookies_exchange_flags_and_length()
    {
        var header = IsakmpTestData.Header(IsakmpExchangeType.QuickMode, 0xA1B2C3D4) with { Flags = IsakmpFlags.Encryption };

        byte[] encoded = IsakmpCodec.Assemble(header, IsakmpPayloadType.Hash, new byte[16]);

        Assert.Equal("01020304050607081112131415161718" + "08" + "10" + "20" + "01" + "a1b2c3d4" + "0000002c", Convert.ToHexStringLower(encoded[..28]));
    }

    [Fact]
    public void Sa_payload_octets_follow_the_doi_proposal_and_transform_layout()
    {
        var sa = new SecurityAssociationPayload(
        [
            new IsakmpProposal(1, IsakmpProposal.ProtocolEsp, [0xAA, 0xBB, 0xCC, 0xDD],
            [
                new IsakmpTransform(1, 12, [DataAttribute.Basic(6, 128), DataAttribute.Integer(2, 0x12345)]),
            ]),
        ]);

        string hex = Convert.ToHexStringLower(IsakmpCodec.EncodeChain([sa]));

        // SA header | DOI 1 | SIT_IDENTITY_ONLY | proposal (last, 32 octets, #1, ESP, SPI size 4, 1 transform) | SPI |
        // transform (last, 20 octets, #1, ESP_AES_CBC) | Key Length TV 128 | Life Duration TLV of 4 octets.
        Assert.Equal(
            "0000002c" + "00000001" + "00000001" + "00000020" + "01030401" + "aabbccdd" +
            "00000014" + "010c0000" + "80060080" + "00020004" + "00012345",
            hex);
    }

    [Fact]
    public void Main_mode_offer_keeps_proposal_transforms_and_attributes()
    {
        var sent = IsakmpTestData.MainModeOffer();

        var received = RoundTrip(sent);

        var proposal = Assert.Single(received.Proposals);
        Assert.Equal(IsakmpProposal.ProtocolIsakmp, proposal.ProtocolId);
        Assert.Equal(2, proposal.Transforms.Count);
        var second = proposal.Transforms[1];
        Assert.Equal(2, second.Number);
        Assert.Equal(256, second.Find((ushort)Phase1AttributeType.KeyLength)!.BasicValue);
        Assert.True(second.Find((ushort)Phase1AttributeType.LifeDuration)!.TryGetInteger(out ulong life));
        Assert.Equal(86400UL, life);
        Assert.False(second.Find((ushort)Phase1AttributeType.LifeDuration)!.IsBasic);
    }

    [Fact]
    public void Every_payload_type_round_trips_in_one_message()
    {
        var sent = IsakmpTestData.EveryPayloadType();
        byte[] encoded = IsakmpCodec.Encode(IsakmpTestData.Header(IsakmpExchangeType.QuickMode, 7), sent);

        var result = IsakmpCodec.Decode(encoded);

        Assert.True(result.Success, result.Detail);
        var message = result.Message!;
        Assert.Equal(sent.Select(p => p.Type), message.Payloads.Select(p => p.Type));
        Assert.Equal(encoded, IsakmpCodec.Encode(message.Header, message.Payloads));
        Assert.Equal(4 + 32, message.FirstPayloadLength);
        Assert.Equal(encoded.AsSpan(28 + 36).ToArray(), message.AfterFirstPayload.ToArray());
    }

    [Fact]
    public void Identification_notification_delete_and_nat_oa_keep_their_fields()
    {
        var id = RoundTrip(new IdentificationPayload(IsakmpIdType.Ipv4Range, 6, 443, [10, 0, 0, 1, 10, 0, 0, 9]));
        var notify = RoundTrip(new NotificationPayload(1, 36136, IsakmpTestData.Filled(16, 9), [0, 0, 0, 5]));
        var delete = RoundTrip(new DeletePayload(1, 16, [IsakmpTestData.Filled(16, 3)]));
        var natOa = RoundTrip(new NatOriginalAddressPayload(IPAddress.Parse("2001:db8::1"), Draft: true));

        Assert.Equal((IsakmpIdType.Ipv4Range, (byte)6, (ushort)443), (id.IdType, id.Protocol, id.Port));
        Assert.Equal(new byte[] { 10, 0, 0, 1, 10, 0, 0, 9 }, id.Data);
        Assert.Equal((ushort)36136, notify.MessageType);
        Assert.Equal(16, notify.Spi.Length);
        Assert.Equal(new byte[] { 0, 0, 0, 5 }, notify.Data);
        Assert.Equal(IsakmpTestData.Filled(16, 3), Assert.Single(delete.Spis));
        Assert.Equal(IPAddress.Parse("2001:db8::1"), natOa.Address);
        Assert.Equal(IsakmpPayloadType.NatOriginalAddressDraft, natOa.Type);
    }

    [Fact]
    public void Encrypted_message_comes_back_as_ciphertext_and_its_plaintext_decodes_with_padding_ignored()
    {
        var header = IsakmpTestData.Header(IsakmpExchangeType.Informational, 9) with { Flags = IsakmpFlags.Encryption };
        var payloads = new IsakmpPayload[] { new HashPayload(IsakmpTestData.Filled(20, 1)), new DeletePayload(3, 4, [[1, 2, 3, 4]]) };
        byte[] chain = IsakmpCodec.EncodeChain(payloads);
        byte[] padded = new byte[(chain.Length + 15) / 16 * 16];
        chain.CopyTo(padded, 0);
        byte[] datagram = IsakmpCodec.Assemble(header, IsakmpPayloadType.Hash, padded);

        var outer = IsakmpCodec.Decode(datagram);
        var inner = IsakmpCodec.DecodeDecrypted(outer.Header!.Value, outer.Ciphertext.Span);

        Assert.True(outer.NeedsDecryption);
        Assert.Equal(padded, outer.Ciphertext.ToArray());
        Assert.True(inner.Success, inner.Detail);
        Assert.True(inner.Message!.WasEncrypted);
        Assert.Equal(chain, inner.Message.Chain.ToArray());
        Assert.IsType<DeletePayload>(inner.Message.Payloads[1]);
    }

    [Fact]
    public void Integer_attribute_is_basic_up_to_65535_and_variable_above()
    {
        Assert.True(DataAttribute.Integer(12, 65535).IsBasic);
        Assert.Equal(new byte[] { 0, 1, 0, 0 }, DataAttribute.Integer(12, 65536).VariableValue);
        Assert.False(DataAttribute.Variable(12, new byte[9]).TryGetInteger(out _));
    }
}
