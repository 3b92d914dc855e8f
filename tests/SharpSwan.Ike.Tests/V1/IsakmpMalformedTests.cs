using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.Tests.V1;

/// <summary>Malformed IKEv1 datagrams come back as errors naming what is wrong; the decoder never throws.</summary>
public sealed class IsakmpMalformedTests
{
    private static byte[] Message(params IsakmpPayload[] payloads) => IsakmpCodec.Encode(IsakmpTestData.Header(), payloads);

    [Fact]
    public void Short_datagram_is_truncated_without_a_header()
    {
        var result = IsakmpCodec.Decode(new byte[27]);

        Assert.Equal(IsakmpParseError.Truncated, result.Error);
        Assert.Null(result.Header);
    }

    [Fact]
    public void Ikev2_version_is_refused_with_the_header_kept()
    {
        byte[] datagram = Message(new NoncePayload(new byte[16]));
        datagram[17] = 0x20;

        var result = IsakmpCodec.Decode(datagram);

        Assert.Equal(IsakmpParseError.UnsupportedMajorVersion, result.Error);
        Assert.Equal(2, result.Header!.Value.MajorVersion);
    }

    [Theory]
    [InlineData(1, IsakmpParseError.Truncated)]
    [InlineData(-1, IsakmpParseError.InvalidLength)]
    public void Header_length_must_equal_the_datagram(int delta, IsakmpParseError expected)
    {
        byte[] datagram = Message(new NoncePayload(new byte[16]));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(24), (uint)(datagram.Length + delta));

        Assert.Equal(expected, IsakmpCodec.Decode(datagram).Error);
    }

    [Fact]
    public void Payload_length_overrunning_the_message_is_invalid()
    {
        byte[] datagram = Message(new NoncePayload(new byte[16]));
        datagram[28 + 3] = 0xFF;

        var result = IsakmpCodec.Decode(datagram);

        Assert.Equal(IsakmpParseError.InvalidLength, result.Error);
        Assert.Equal(IsakmpPayloadType.Nonce, result.OffendingPayload);
    }

    [Fact]
    public void Trailing_octets_after_a_plain_chain_are_invalid()
    {
        byte[] chain = [.. IsakmpCodec.EncodeChain([new NoncePayload(new byte[16])]), 0, 0];
        byte[] datagram = IsakmpCodec.Assemble(IsakmpTestData.Header(), IsakmpPayloadType.Nonce, chain);

        Assert.Equal(IsakmpParseError.InvalidLength, IsakmpCodec.Decode(datagram).Error);
    }

    [Fact]
    public void Short_nonce_is_malformed()
    {
        var result = IsakmpCodec.Decode(Message(new NoncePayload(new byte[7])));

        Assert.Equal(IsakmpParseError.MalformedPayload, result.Error);
        Assert.Equal(IsakmpPayloadType.Nonce, result.OffendingPayload);
    }

    [Fact]
    public void Sa_with_a_foreign_doi_or_a_transform_count_beyond_the_proposal_is_malformed()
    {
        byte[] foreignDoi = Message(IsakmpTestData.MainModeOffer());
        foreignDoi[28 + 7] = 2;
        byte[] extraTransform = Message(IsakmpTestData.MainModeOffer());
        extraTransform[28 + 4 + 8 + 7] = 3;

        Assert.Equal(IsakmpParseError.MalformedPayload, IsakmpCodec.Decode(foreignDoi).Error);
        Assert.Equal(IsakmpParseError.MalformedPayload, IsakmpCodec.Decode(extraTransform).Error);
    }

    [Fact]
    public void Variable_attribute_overrunning_its_transform_is_malformed()
    {
        var sa = new SecurityAssociationPayload([new IsakmpProposal(1, 1, [], [new IsakmpTransform(1, 1, [DataAttribute.Variable(12, [0, 1, 0, 0])])])]);
        byte[] datagram = Message(sa);
        datagram[^5] = 9;

        var result = IsakmpCodec.Decode(datagram);

        Assert.Equal(IsakmpParseError.MalformedPayload, result.Error);
        Assert.Equal(IsakmpPayloadType.SecurityAssociation, result.OffendingPayload);
    }

    [Theory]
    [InlineData("01000000", 5)]
    [InlineData("0400000000", 5)]
    [InlineData("00000001030400010000", 12)]
    [InlineData("0000000103040000", 12)]
    [InlineData("00000001030400", 11)]
    [InlineData("07000000", 21)]
    public void Bodies_too_short_or_inconsistent_for_their_type_are_malformed(string bodyHex, byte type)
    {
        byte[] body = Convert.FromHexString(bodyHex);
        byte[] chain = new byte[4 + body.Length];
        chain[3] = (byte)chain.Length;
        body.CopyTo(chain, 4);
        byte[] datagram = IsakmpCodec.Assemble(IsakmpTestData.Header(), (IsakmpPayloadType)type, chain);

        var result = IsakmpCodec.Decode(datagram);

        Assert.Equal(IsakmpParseError.MalformedPayload, result.Error);
        Assert.Equal((IsakmpPayloadType)type, result.OffendingPayload);
    }

    [Fact]
    public void Proposal_outside_an_sa_is_malformed_and_unknown_types_are_kept()
    {
        byte[] proposal = IsakmpCodec.Assemble(IsakmpTestData.Header(), IsakmpPayloadType.Proposal, Convert.FromHexString("0000000c0101000000000000"));
        byte[] unknown = IsakmpCodec.Assemble(IsakmpTestData.Header(), (IsakmpPayloadType)200, Convert.FromHexString("00000006abcd"));

        Assert.Equal(IsakmpParseError.MalformedPayload, IsakmpCodec.Decode(proposal).Error);
        var kept = Assert.IsType<UnknownIsakmpPayload>(Assert.Single(IsakmpCodec.Decode(unknown).Message!.Payloads));
        Assert.Equal(new byte[] { 0xAB, 0xCD }, kept.Body);
    }

    [Fact]
    public void Random_and_mutated_datagrams_never_throw_and_accepted_ones_re_encode_stably()
    {
        var random = new Random(2408);
        byte[] seed = IsakmpCodec.Encode(IsakmpTestData.Header(), IsakmpTestData.EveryPayloadType());
        for (int i = 0; i < 20_000; i++)
        {
            byte[] input = Mutate(random, seed, i % 3);

            var result = IsakmpCodec.Decode(input);

            if (result.Success && result.Message is { } message)
            {
                byte[] again = IsakmpCodec.Encode(message.Header, message.Payloads);
                Assert.Equal(again, IsakmpCodec.Encode(IsakmpCodec.Decode(again).Message!.Header, IsakmpCodec.Decode(again).Message!.Payloads));
            }
            else if (!result.Success)
            {
                Assert.False(string.IsNullOrEmpty(result.Detail));
            }

            if (result.Header is { } header)
            {
                _ = IsakmpCodec.DecodeDecrypted(header, input.AsSpan(Math.Min(28, input.Length)));
            }
        }
    }

    private static byte[] Mutate(Random random, byte[] seed, int kind)
    {
        byte[] copy = (byte[])seed.Clone();
        switch (kind)
        {
            case 0:
                for (int flips = random.Next(1, 8); flips > 0; flips--)
                {
                    copy[random.Next(28, copy.Length)] ^= (byte)(1 << random.Next(8));
                }

                return copy;
            case 1:
                return copy[..random.Next(copy.Length)];
            default:
                var noise = new byte[random.Next(28, 300)];
                random.NextBytes(noise);
                noise[17] = 0x10;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(noise.AsSpan(24), (uint)noise.Length);
                return noise;
        }
    }
}
