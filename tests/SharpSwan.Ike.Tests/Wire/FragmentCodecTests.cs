using System.Buffers.Binary;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Wire;

/// <summary>RFC 7383 Encrypted Fragment (SKF) encoding and decoding with the real AES-GCM and AES-CBC/HMAC protectors.</summary>
public sealed class FragmentCodecTests
{
    private static IReadOnlyList<IkePayload> LargeAuthPayloads() =>
    [
        new IdentificationPayload(true, IdType.Fqdn, "initiator.example"u8.ToArray()),
        new CertificatePayload(4, WireTestData.Bytes(3000, 3)),
        new CertificatePayload(4, WireTestData.Bytes(1500, 9)),
        new AuthenticationPayload(AuthMethod.DigitalSignature, WireTestData.Bytes(512, 1)),
        new TrafficSelectorPayload(true, [WireTestData.Ipv4Range("10.1.0.0", "10.1.0.255")]),
    ];

    public static TheoryData<string> Suites => new() { "gcm", "cbc" };

    private static PacketProtector Protector(string suite) => suite == "gcm" ? TestProtectors.AesGcm() : TestProtectors.AesCbcHmac();

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_large_message_round_trips_through_fragments_that_each_fit_the_limit(string suite)
    {
        var header = WireTestData.RequestHeader(ExchangeType.IkeAuth, 1);
        var sent = LargeAuthPayloads();
        using var sender = Protector(suite);
        using var receiver = Protector(suite);

        var fragments = IkeFragmentCodec.Encode(header, sent, sender, maxMessageLength: 1000);

        Assert.True(fragments.Count >= 5, $"{fragments.Count} fragments");
        int whole = IkeMessageCodec.EncodeProtected(header, sent, sender).Length;
        Assert.InRange(IkeFragmentCodec.CountFragments(whole, sender, 1000), fragments.Count, fragments.Count + 1);
        Assert.All(fragments, f => Assert.InRange(f.Length, IkeHeader.Size + 8, 1000));
        var decoded = fragments.Select(f => IkeFragmentCodec.Decode(f, receiver)).ToList();
        Assert.All(decoded, d => Assert.True(d.Success, d.Detail));
        Assert.Equal(Enumerable.Range(1, fragments.Count), decoded.Select(d => (int)d.Number));
        Assert.All(decoded, d => Assert.Equal(fragments.Count, d.Total));
        Assert.Equal(PayloadType.IdInitiator, decoded[0].FirstPayload);
        Assert.All(decoded.Skip(1), d => Assert.Equal(PayloadType.None, d.FirstPayload));
        Assert.All(decoded, d => Assert.Equal((header.MessageId, PayloadType.EncryptedFragment), (d.Header!.Value.MessageId, d.Header.Value.NextPayload)));

        var inner = decoded.SelectMany(d => d.Content.ToArray()).ToArray();
        var message = IkeMessageCodec.DecodeReassembled(header, decoded[0].FirstPayload, inner);
        Assert.True(message.Success, message.Detail);
        Assert.True(message.Message!.WasProtected);
        Assert.Equal(sent.Select(p => p.ToString()), message.Message.Payloads.Select(p => p.ToString()));
    }

    [Fact]
    public void Wire_layout_follows_rfc_7383_section_2_5()
    {
        var header = WireTestData.RequestHeader(ExchangeType.IkeAuth, 7);
        using var sender = TestProtectors.AesGcm();
        var fragments = IkeFragmentCodec.Encode(header, LargeAuthPayloads(), sender, maxMessageLength: 1200);
        for (int i = 0; i < fragments.Count; i++)
        {
            var f = fragments[i];
            Assert.Equal((byte)PayloadType.EncryptedFragment, f[16]);
            Assert.Equal((uint)f.Length, BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(24)));
            Assert.Equal(7u, BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(20)));
            Assert.Equal(i == 0 ? (byte)PayloadType.IdInitiator : (byte)0, f[IkeHeader.Size]);
            Assert.Equal(f.Length - IkeHeader.Size, BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(IkeHeader.Size + 2)));
            Assert.Equal(i + 1, BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(IkeHeader.Size + 4)));
            Assert.Equal(fragments.Count, BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(IkeHeader.Size + 6)));
        }
    }

    [Fact]
    public void A_small_message_is_one_fragment_of_one()
    {
        IkePayload[] payloads = [new NotifyPayload(ProtocolId.None, [], NotifyType.InitialContact, [])];
        using var sender = TestProtectors.AesCbcHmac();
        using var receiver = TestProtectors.AesCbcHmac();
        var fragment = Assert.Single(IkeFragmentCodec.Encode(WireTestData.RequestHeader(ExchangeType.Informational, 2), payloads, sender, 576));
        var decoded = IkeFragmentCodec.Decode(fragment, receiver);
        Assert.True(decoded.Success, decoded.Detail);
        Assert.Equal((1, 1), (decoded.Number, decoded.Total));
    }

    [Fact]
    public void A_limit_too_small_for_any_data_is_a_caller_error()
    {
        using var sender = TestProtectors.AesCbcHmac();
        Assert.Throws<ArgumentException>(() => IkeFragmentCodec.Encode(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), LargeAuthPayloads(), sender, 60));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_changed_octet_anywhere_fails_verification_and_never_throws(string suite)
    {
        using var sender = Protector(suite);
        using var receiver = Protector(suite);
        var fragment = IkeFragmentCodec.Encode(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), LargeAuthPayloads(), sender, 1200)[1];

        // The header, the fragment numbers, the IV, the ciphertext and the ICV are all covered.
        foreach (var offset in new[] { 8, 20, IkeHeader.Size + 5, IkeHeader.Size + 7, IkeHeader.Size + 9, fragment.Length / 2, fragment.Length - 1 })
        {
            var forged = (byte[])fragment.Clone();
            forged[offset] ^= 0x01;
            var decoded = IkeFragmentCodec.Decode(forged, receiver);
            Assert.False(decoded.Success, $"offset {offset}");
            Assert.False(decoded.Verified, $"offset {offset}");
        }

        // A fragment sealed with other keys is not verified either.
        using var stranger = suite == "gcm" ? TestProtectors.AesGcm(0x55) : TestProtectors.AesCbcHmac(0x77);
        var foreign = IkeFragmentCodec.Encode(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), LargeAuthPayloads(), stranger, 1200)[0];
        var result = IkeFragmentCodec.Decode(foreign, receiver);
        Assert.Equal(IkeParseError.IntegrityCheckFailed, result.Error);
    }

    public static TheoryData<string, IkeParseError> MalformedFrames => new()
    {
        { "short", IkeParseError.Truncated },
        { "length-mismatch", IkeParseError.InvalidLength },
        { "not-skf", IkeParseError.MalformedPayload },
        { "skf-header-cut", IkeParseError.Truncated },
        { "skf-length", IkeParseError.InvalidLength },
        { "number-zero", IkeParseError.MalformedPayload },
        { "total-zero", IkeParseError.MalformedPayload },
        { "number-above-total", IkeParseError.MalformedPayload },
        { "no-room", IkeParseError.MalformedPayload },
        { "version-1", IkeParseError.UnsupportedMajorVersion },
    };

    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public void Malformed_fragments_are_errors_not_exceptions(string kind, IkeParseError expected)
    {
        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesGcm();
        var good = IkeFragmentCodec.Encode(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), LargeAuthPayloads(), sender, 1200)[0];
        var datagram = Mangle(good, kind);

        var result = IkeFragmentCodec.Decode(datagram, receiver);

        Assert.False(result.Success);
        Assert.False(result.Verified);
        Assert.Equal(expected, result.Error);
        Assert.NotEmpty(result.Detail);
    }

    [Fact]
    public void A_verified_fragment_with_a_bad_pad_length_is_malformed_but_verified()
    {
        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesGcm();
        var header = WireTestData.RequestHeader(ExchangeType.IkeAuth, 1) with { NextPayload = PayloadType.EncryptedFragment };
        int plaintext = 10;
        var message = new byte[IkeHeader.Size + 8 + sender.IvSize + plaintext + sender.IcvSize];
        (header with { Length = (uint)message.Length }).Write(message);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 2), (ushort)(message.Length - IkeHeader.Size));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 6), 1);
        message[IkeHeader.Size + 8 + sender.IvSize + plaintext - 1] = 200;
        sender.Seal(message, IkeHeader.Size + 8, plaintext);

        var result = IkeFragmentCodec.Decode(message, receiver);

        Assert.Equal(IkeParseError.InvalidPadding, result.Error);
        Assert.True(result.Verified);
    }

    [Fact]
    public void A_whole_message_decoder_refuses_a_fragment_instead_of_reading_it()
    {
        using var sender = TestProtectors.AesGcm();
        using var receiver = TestProtectors.AesGcm();
        var fragment = IkeFragmentCodec.Encode(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), LargeAuthPayloads(), sender, 1200)[0];
        var result = IkeMessageCodec.Decode(fragment, receiver);
        Assert.False(result.Success);
        Assert.Equal(PayloadType.EncryptedFragment, result.OffendingPayload);
    }

    [Fact]
    public void Random_and_cut_inputs_never_throw()
    {
        using var sender = TestProtectors.AesCbcHmac();
        using var receiver = TestProtectors.AesCbcHmac();
        var good = IkeFragmentCodec.Encode(WireTestData.RequestHeader(ExchangeType.IkeAuth, 1), LargeAuthPayloads(), sender, 800)[0];
        var random = new Random(7383);
        for (int i = 0; i < 2000; i++)
        {
            var datagram = good[..random.Next(good.Length + 1)];
            if (i % 2 == 1 && datagram.Length > 0)
            {
                datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
            }

            var result = IkeFragmentCodec.Decode(datagram, receiver);
            Assert.False(result.Success && datagram.Length != good.Length);
        }
    }

    private static byte[] Mangle(byte[] good, string kind)
    {
        var d = (byte[])good.Clone();
        switch (kind)
        {
            case "short":
                return d[..20];
            case "length-mismatch":
                BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(24), (uint)d.Length + 4);
                return d;
            case "not-skf":
                d[16] = (byte)PayloadType.Encrypted;
                return d;
            case "skf-header-cut":
                var cut = d[..(IkeHeader.Size + 6)];
                BinaryPrimitives.WriteUInt32BigEndian(cut.AsSpan(24), (uint)cut.Length);
                return cut;
            case "skf-length":
                BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(IkeHeader.Size + 2), 12);
                return d;
            case "number-zero":
                BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(IkeHeader.Size + 4), 0);
                return d;
            case "total-zero":
                BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(IkeHeader.Size + 6), 0);
                return d;
            case "number-above-total":
                BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(IkeHeader.Size + 4), 9);
                BinaryPrimitives.WriteUInt16BigEndian(d.AsSpan(IkeHeader.Size + 6), 8);
                return d;
            case "no-room":
                var small = d[..(IkeHeader.Size + 8 + 10)];
                BinaryPrimitives.WriteUInt32BigEndian(small.AsSpan(24), (uint)small.Length);
                BinaryPrimitives.WriteUInt16BigEndian(small.AsSpan(IkeHeader.Size + 2), 18);
                return small;
            default:
                d[17] = 0x10;
                return d;
        }
    }
}
