using System.Buffers.Binary;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Wire;

/// <summary>Encrypted (SK) payload handling (RFC 7296 §3.14, RFC 5282) with the real AES-GCM and AES-CBC/HMAC protectors.</summary>
public sealed class ProtectedMessageTests
{
    private static IReadOnlyList<IkePayload> IkeAuthPayloads() =>
    [
        new IdentificationPayload(true, IdType.Fqdn, "initiator.example"u8.ToArray()),
        new NotifyPayload(ProtocolId.None, [], NotifyType.InitialContact, []),
        new AuthenticationPayload(AuthMethod.SharedKeyMessageIntegrityCode, WireTestData.Bytes(32, 1)),
        new SecurityAssociationPayload([new Proposal(1, ProtocolId.Esp, [0xc0, 0, 0, 1], [new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesGcm16, 256), new Transform(TransformType.ExtendedSequenceNumbers, 0, null)])]),
        new TrafficSelectorPayload(true, [WireTestData.Ipv4Range("10.1.0.0", "10.1.0.255")]),
        new TrafficSelectorPayload(false, [WireTestData.Ipv4Range("10.2.0.0", "10.2.0.255")]),
    ];

    /// <summary>
    /// Builds an SK message by hand so that tests can choose the plaintext exactly (including a bad pad length)
    /// and still carry a valid ICV.
    /// </summary>
    private static byte[] SealRaw(PacketProtector protector, PayloadType firstInner, byte[] plaintext)
    {
        int skLength = 4 + protector.IvSize + plaintext.Length + protector.IcvSize;
        var message = new byte[IkeHeader.Size + skLength];
        (WireTestData.RequestHeader(ExchangeType.Informational, 2) with { NextPayload = PayloadType.Encrypted, Length = (uint)message.Length }).Write(message);
        message[IkeHeader.Size] = (byte)firstInner;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 2), (ushort)skLength);
        plaintext.CopyTo(message, IkeHeader.Size + 4 + protector.IvSize);
        protector.Seal(message, IkeHeader.Size + 4, plaintext.Length);
        return message;
    }

    [Fact]
    public void Gcm_protected_ike_auth_round_trips()
    {
        var header = WireTestData.RequestHeader(ExchangeType.IkeAuth, 1);
        var sent = IkeAuthPayloads();
        var plain = IkeMessageCodec.Encode(header, sent);

        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesGcm();

        byte[] datagram = IkeMessageCodec.EncodeProtected(header, sent, sender);
        var result = IkeMessageCodec.Decode(datagram, receiver);

        Assert.True(result.Success, result.Detail);
        var message = result.Message!;
        Assert.True(message.WasProtected);
        Assert.Equal(PayloadType.Encrypted, message.Header.NextPayload);
        Assert.Equal((uint)datagram.Length, message.Header.Length);
        Assert.Equal(sent.Select(p => p.ToString()), message.Payloads.Select(p => p.ToString()));
        Assert.Equal(plain[IkeHeader.Size..], IkeMessageCodec.Encode(header, message.Payloads)[IkeHeader.Size..]);

        // SK generic header: next payload = first inner payload, length = everything after the IKE header.
        Assert.Equal((byte)PayloadType.IdInitiator, datagram[IkeHeader.Size]);
        Assert.Equal(datagram.Length - IkeHeader.Size, BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(IkeHeader.Size + 2)));

        // Block size 1: inner chain + pad length octet only.
        int innerLength = plain.Length - IkeHeader.Size;
        Assert.Equal(IkeHeader.Size + 4 + 8 + innerLength + 1 + 16, datagram.Length);
        Assert.DoesNotContain("initiator.example", System.Text.Encoding.ASCII.GetString(datagram), StringComparison.Ordinal);
    }

    [Fact]
    public void Cbc_protected_message_is_padded_to_the_block_size_and_round_trips()
    {
        var header = WireTestData.RequestHeader(ExchangeType.Informational, 7);
        IkePayload[] sent = [new DeletePayload(ProtocolId.Esp, [[1, 2, 3, 4]])];

        using var sender = TestProtectors.AesCbcHmac();
        using var receiver = TestProtectors.AesCbcHmac();

        byte[] datagram = IkeMessageCodec.EncodeProtected(header, sent, sender);
        var result = IkeMessageCodec.Decode(datagram, receiver);

        Assert.True(result.Success, result.Detail);
        var delete = Assert.IsType<DeletePayload>(Assert.Single(result.Message!.Payloads));
        Assert.Equal([[1, 2, 3, 4]], delete.Spis);

        // Inner Delete is 12 octets: 12 + 3 padding + 1 pad length = 16, one AES block.
        Assert.Equal(IkeHeader.Size + 4 + 16 + 16 + 16, datagram.Length);
    }

    [Fact]
    public void Empty_protected_informational_round_trips()
    {
        var header = WireTestData.RequestHeader(ExchangeType.Informational, 4);

        using var sender = TestProtectors.AesCbcHmac();
        using var receiver = TestProtectors.AesCbcHmac();

        byte[] datagram = IkeMessageCodec.EncodeProtected(header, [], sender);
        var result = IkeMessageCodec.Decode(datagram, receiver);

        Assert.True(result.Success, result.Detail);
        Assert.Empty(result.Message!.Payloads);
        Assert.True(result.Message.WasProtected);
        Assert.Equal((byte)PayloadType.None, datagram[IkeHeader.Size]);
    }

    [Theory]
    [InlineData(-20)] // inside the ciphertext
    [InlineData(-1)] // inside the ICV
    [InlineData(23)] // message ID, part of the authenticated header
    [InlineData(IkeHeader.Size + 4)] // IV
    public void Any_flipped_bit_fails_the_integrity_check(int position)
    {
        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesGcm();
        byte[] datagram = IkeMessageCodec.EncodeProtected(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), IkeAuthPayloads(), sender);
        int index = position < 0 ? datagram.Length + position : position;
        datagram[index] ^= 0x04;

        var result = IkeMessageCodec.Decode(datagram, receiver);

        Assert.False(result.Success);
        Assert.Equal(IkeParseError.IntegrityCheckFailed, result.Error);
        Assert.Equal(PayloadType.Encrypted, result.OffendingPayload);
        Assert.NotNull(result.Header);
    }

    [Fact]
    public void Wrong_keys_fail_the_integrity_check_for_cbc_too()
    {
        using var sender = TestProtectors.AesCbcHmac();
        using var otherKeys = TestProtectors.AesCbcHmac(integrityKeySeed: 0x31);
        byte[] datagram = IkeMessageCodec.EncodeProtected(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), IkeAuthPayloads(), sender);

        var result = IkeMessageCodec.Decode(datagram, otherKeys);

        Assert.Equal(IkeParseError.IntegrityCheckFailed, result.Error);
    }

    [Fact]
    public void Decode_does_not_modify_the_callers_datagram()
    {
        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesGcm();
        byte[] datagram = IkeMessageCodec.EncodeProtected(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), IkeAuthPayloads(), sender);
        byte[] original = (byte[])datagram.Clone();

        Assert.True(IkeMessageCodec.Decode(datagram, receiver).Success);

        Assert.Equal(original, datagram);
    }

    [Fact]
    public void Encrypted_payload_without_protector_is_reported()
    {
        using var sender = TestProtectors.AesGcm();
        byte[] datagram = IkeMessageCodec.EncodeProtected(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), IkeAuthPayloads(), sender);

        var result = IkeMessageCodec.Decode(datagram, protector: null);

        Assert.Equal(IkeParseError.MissingProtector, result.Error);
        Assert.Equal(ExchangeType.IkeAuth, result.Header!.Value.Exchange);
    }

    [Fact]
    public void Pad_length_beyond_the_decrypted_data_is_invalid_padding()
    {
        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesGcm();
        byte[] nonceChain = WireTestData.Hex("00000014" + Convert.ToHexStringLower(WireTestData.Bytes(16, 1)));
        byte[] plaintext = [.. nonceChain, 200];

        var result = IkeMessageCodec.Decode(SealRaw(sender, PayloadType.Nonce, plaintext), receiver);

        Assert.Equal(IkeParseError.InvalidPadding, result.Error);
    }

    [Fact]
    public void Non_minimal_padding_with_arbitrary_content_is_accepted()
    {
        using var sender = TestProtectors.AesCbcHmac();
        using var receiver = TestProtectors.AesCbcHmac();
        byte[] nonceChain = WireTestData.Hex("00000014" + Convert.ToHexStringLower(WireTestData.Bytes(16, 1)));
        byte[] plaintext = [.. nonceChain, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 0xEE, 11];

        var result = IkeMessageCodec.Decode(SealRaw(sender, PayloadType.Nonce, plaintext), receiver);

        Assert.True(result.Success, result.Detail);
        Assert.Equal(WireTestData.Bytes(16, 1), Assert.IsType<NoncePayload>(Assert.Single(result.Message!.Payloads)).Data);
    }

    [Fact]
    public void Encrypted_data_not_a_multiple_of_the_block_size_is_malformed()
    {
        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesCbcHmac();
        byte[] plaintext = new byte[20];

        var result = IkeMessageCodec.Decode(SealRaw(sender, PayloadType.None, plaintext), receiver);

        Assert.Equal(IkeParseError.MalformedPayload, result.Error);
        Assert.Equal(PayloadType.Encrypted, result.OffendingPayload);
    }

    [Fact]
    public void Malformed_inner_payload_is_reported_after_decryption()
    {
        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesGcm();
        // A Nonce of 4 octets is below the RFC 7296 minimum of 16.
        byte[] plaintext = [.. WireTestData.Hex("0000000801020304"), 0];

        var result = IkeMessageCodec.Decode(SealRaw(sender, PayloadType.Nonce, plaintext), receiver);

        Assert.Equal(IkeParseError.MalformedPayload, result.Error);
        Assert.Equal(PayloadType.Nonce, result.OffendingPayload);
    }

    [Fact]
    public void Critical_unknown_inner_payload_is_rejected()
    {
        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesGcm();
        byte[] plaintext = [.. WireTestData.Hex("008000060102"), 0];

        var result = IkeMessageCodec.Decode(SealRaw(sender, (PayloadType)77, plaintext), receiver);

        Assert.Equal(IkeParseError.UnsupportedCriticalPayload, result.Error);
        Assert.Equal((PayloadType)77, result.OffendingPayload);
    }

    [Fact]
    public void Encrypted_payload_that_is_not_last_is_malformed()
    {
        using var receiver = TestProtectors.AesGcm();
        // SK payload of 8 octets followed by a Vendor ID payload.
        byte[] datagram = WireTestData.RawMessage(PayloadType.Encrypted, "2b000008aabbccdd" + "00000005ff");

        var result = IkeMessageCodec.Decode(datagram, receiver);

        Assert.Equal(IkeParseError.MalformedPayload, result.Error);
        Assert.Equal(PayloadType.Encrypted, result.OffendingPayload);
    }

    [Fact]
    public void Encrypted_payload_too_short_for_iv_and_icv_is_malformed()
    {
        using var receiver = TestProtectors.AesGcm();
        byte[] datagram = WireTestData.RawMessage(PayloadType.Encrypted, "00000010" + "000102030405060708090a0b");

        var result = IkeMessageCodec.Decode(datagram, receiver);

        Assert.Equal(IkeParseError.MalformedPayload, result.Error);
    }

    [Fact]
    public void Nested_encrypted_payload_is_malformed()
    {
        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesGcm();
        byte[] plaintext = [.. WireTestData.Hex("00000004"), 0];

        var result = IkeMessageCodec.Decode(SealRaw(sender, PayloadType.Encrypted, plaintext), receiver);

        Assert.Equal(IkeParseError.MalformedPayload, result.Error);
        Assert.Equal(PayloadType.Encrypted, result.OffendingPayload);
    }
}
