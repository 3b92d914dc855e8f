using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using SharpSwan.Crypto;
using SharpSwan.Testing;

namespace SharpSwan.Esp.Tests;

public sealed class EspSecurityAssociationTests
{
    public static TheoryData<EncryptionAlgorithm, int, IntegrityAlgorithm> AllTransforms => new()
    {
        { EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96 },
        { EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128 },
        { EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha384_192 },
        { EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha512_256 },
        { EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha1_96 },
        { EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha256_128 },
        { EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha384_192 },
        { EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha512_256 },
        { EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None },
        { EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None },
        { EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None },
    };

    [Theory]
    [MemberData(nameof(AllTransforms))]
    public void Round_trip_for_every_transform(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        var transform = new EspTransform(encryption, keyBits, integrity);
        using var pair = new SaPair(transform);
        var alignment = encryption == EncryptionAlgorithm.AesCbc ? 16 : 4;
        var ivLength = encryption == EncryptionAlgorithm.AesCbc ? 16 : 8;
        var icvLength = PacketProtector.IcvLength(encryption, integrity);
        uint expectedSequence = 0;

        foreach (var length in new[] { 1, 20, 21, 22, 23, 40, 60, 61, 100, 576, 1400, 1500 })
        {
            var inner = Packets.IPv4(length, seed: length);
            var packet = pair.Encapsulate(inner);
            expectedSequence++;

            Assert.Equal(SaPair.Spi, BinaryPrimitives.ReadUInt32BigEndian(packet));
            Assert.Equal(expectedSequence, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)));
            var encryptedLength = packet.Length - 8 - ivLength - icvLength;
            Assert.Equal(0, encryptedLength % alignment);
            Assert.InRange(encryptedLength - length - 2, 0, alignment - 1);
            Assert.True(packet.Length - length <= pair.Outbound.MaxOverhead);
            Assert.Equal(packet.Length, pair.Outbound.GetEncapsulatedLength(length));

            Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packet, out var offset, out var innerLength, out var nextHeader));
            Assert.Equal(inner, packet.AsSpan(offset, innerLength).ToArray());
            Assert.Equal(4, nextHeader);
        }

        Assert.Equal(expectedSequence, pair.Outbound.LastSequenceNumber);
        Assert.Equal(expectedSequence, pair.Inbound.LastSequenceNumber);
        Assert.Equal(12, pair.Outbound.Packets);
        Assert.Equal(12, pair.Inbound.Packets);
        Assert.Equal(pair.Outbound.Bytes, pair.Inbound.Bytes);
        Assert.Equal(3824, pair.Inbound.Bytes);
    }

    [Fact]
    public void Ipv6_inner_packets_get_next_header_41()
    {
        using var pair = new SaPair(EspTransform.AesGcm256);
        var inner = Packets.IPv6(80);
        var packet = pair.Encapsulate(inner);

        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packet, out var offset, out var length, out var nextHeader));
        Assert.Equal(41, nextHeader);
        Assert.Equal(inner, packet.AsSpan(offset, length).ToArray());
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x00, 1, 2, 3 })]
    [InlineData(new byte[] { 0x50, 1, 2, 3 })]
    [InlineData(new byte[] { 0xf0 })]
    public void Inner_packets_that_are_not_ip_are_refused(byte[] inner)
    {
        using var pair = new SaPair(EspTransform.AesGcm128);
        var buffer = new byte[200];
        Assert.Equal(EspResult.Malformed, pair.Outbound.Encapsulate(inner, buffer, out var written));
        Assert.Equal(0, written);
        Assert.Equal(1, pair.Outbound.MalformedDrops);
        Assert.Equal(0UL, pair.Outbound.LastSequenceNumber);
    }

    /// <summary>RFC 7634 Appendix A: the ESP example with ChaCha20-Poly1305, SPI 0x01020304, sequence 5.</summary>
    [Fact]
    public void ChaCha20Poly1305_matches_rfc7634_appendix_a()
    {
        var keyMaterial = Hex.Parse("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f a0a1a2a3");
        var inner = Hex.Parse(
            "45000054 a6f20000 4001e778 c6336405 c0000205 08005b7a 3a080000 553bec10 00073627 08090a0b 0c0d0e0f 10111213"
            + "14151617 18191a1b 1c1d1e1f 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637");
        var expectedPacket = Hex.Parse(
            "01020304 00000005 10111213 14151617"
            + "24039428 b97f417e 3c13753a 4f05087b 67c352e6 a7fab1b9 82d466ef 407ae5c6 14ee8099 d52844eb 61aa95df ab4c02f7"
            + "2aa71e7c 4c4f64c9 befe2fac c638e8f3 cbec163f ac469b50 2773f6fb 94e664da 9165b828 29f641e0"
            + "76aaa826 6b7fb0f7 b11b3699 07e1ad43");

        // The IV counter starts at the random source's value; four earlier packets bring it, and the sequence, to the RFC's.
        using var outbound = EspSecurityAssociation.CreateOutbound(
            0x01020304, EspTransform.ChaCha20Poly1305, keyMaterial, [], new FixedRandomSource(Hex.Parse("1011121314151613")));
        var buffer = new byte[256];
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(EspResult.Ok, outbound.Encapsulate(inner, buffer, out _));
        }

        Assert.Equal(EspResult.Ok, outbound.Encapsulate(inner, buffer, out var written));
        Assert.Equal(expectedPacket, buffer[..written]);

        using var inbound = EspSecurityAssociation.CreateInbound(
            0x01020304, EspTransform.ChaCha20Poly1305, keyMaterial, [], replayCheck: true, 64, SystemRandomSource.Instance);
        Assert.Equal(EspResult.Ok, inbound.Decapsulate(expectedPacket, out var offset, out var length, out var nextHeader));
        Assert.Equal(inner, expectedPacket.AsSpan(offset, length).ToArray());
        Assert.Equal(4, nextHeader);
        Assert.Equal(5UL, inbound.LastSequenceNumber);
    }

    /// <summary>draft-mcgrew-gcm-test-01 test cases 2 (AES-128) and 3 (AES-256), whose next header is 1.</summary>
    [Theory]
    [InlineData(
        "feffe9928665731c6d6a8f9467308308 cafebabe", 128,
        "0000a5f8 0000000a facedbaddecaf888"
        + "deb22cd9b07c72c16e3a65beeb8df304 a5a5897d33ae530f1ba76d5d114d2a5c 3de81827c10e9a4f51330d0eec416642 cfbb85a5b47e48a4ec3b9ba95d918bd1 83b70d3aa8bc6ee4c309e9d85a41ad4a",
        "4500003e 698f0000 80114dcc c0a80102 c0a80101 0a980035 002a2343 b2d00100 00010000 00000000 03736970 09637962 65726369 747902646b000001 0001")]
    [InlineData(
        "abbccddef00112233445566778899aababbccddef00112233445566778899aab 11223344", 256,
        "4a2cbfe3 00000002 0102030405060708"
        + "ff425c9b724599df7a3bcd510194e00d 6a78107f1b0b1cbf06efae9d65a5d763 748a637985771d347f0545659f14e99d ef842d8eb335f4eecfdbf831824b4c49 15956c96",
        "4500003069a6400080062690c0a80102 9389155e0a9e008b2dc57ee000000000 7002400020bf0000020405b401010402")]
    public void AesGcm_decapsulates_published_esp_vectors(string keyMaterial, int keyBits, string packetHex, string innerHex)
    {
        var packet = Hex.Parse(packetHex);
        var spi = BinaryPrimitives.ReadUInt32BigEndian(packet);
        using var inbound = EspSecurityAssociation.CreateInbound(
            spi, new EspTransform(EncryptionAlgorithm.AesGcm16, keyBits, IntegrityAlgorithm.None), Hex.Parse(keyMaterial), [],
            replayCheck: true, 1024, SystemRandomSource.Instance);

        Assert.Equal(EspResult.Ok, inbound.Decapsulate(packet, out var offset, out var length, out var nextHeader));
        Assert.Equal(Hex.Parse(innerHex), packet.AsSpan(offset, length).ToArray());
        Assert.Equal(1, nextHeader);
        Assert.Equal(16, offset);
    }

    [Theory]
    [InlineData(128)]
    [InlineData(256)]
    public void AesGcm_encapsulation_matches_an_independent_aesgcm_computation(int keyBits)
    {
        var keyMaterial = new byte[(keyBits / 8) + 4];
        new Random(keyBits).NextBytes(keyMaterial);
        var startIv = Hex.Parse("0000000000000fff");
        using var outbound = EspSecurityAssociation.CreateOutbound(
            0x11223344, new EspTransform(EncryptionAlgorithm.AesGcm16, keyBits, IntegrityAlgorithm.None), keyMaterial, [],
            new FixedRandomSource(startIv));
        var inner = Packets.IPv4(61, seed: 9);
        var buffer = new byte[200];
        Assert.Equal(EspResult.Ok, outbound.Encapsulate(inner, buffer, out var written));

        // Expected, built by hand: header, IV = counter start, 61 + 2 bytes padded to 64: plaintext | 01 | pad length 1 | next header 4.
        var header = Hex.Parse("11223344 00000001");
        byte[] plaintext = [.. inner, 1, 1, 4];
        var nonce = (byte[])[.. keyMaterial[^4..], .. startIv];
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[16];
        using (var gcm = new AesGcm(keyMaterial[..^4], 16))
        {
            gcm.Encrypt(nonce, plaintext, ciphertext, tag, header);
        }

        Assert.Equal([.. header, .. startIv, .. ciphertext, .. tag], buffer[..written]);
    }

    [Fact]
    public void AesCbc_encapsulation_matches_an_independent_aes_and_hmac_computation()
    {
        var key = new byte[32];
        var integrityKey = new byte[32];
        new Random(1).NextBytes(key);
        new Random(2).NextBytes(integrityKey);
        var iv = Hex.Parse("000102030405060708090a0b0c0d0e0f");
        using var outbound = EspSecurityAssociation.CreateOutbound(
            0x0000abcd, EspTransform.AesCbc256Sha256, key, integrityKey, new FixedRandomSource(iv));
        var inner = Packets.IPv4(20, seed: 4);
        var buffer = new byte[200];
        Assert.Equal(EspResult.Ok, outbound.Encapsulate(inner, buffer, out var written));

        // 20 inner + 2 trailer rounds up to 32: ten padding bytes 1..10, pad length 10, next header 4.
        byte[] plaintext = [.. inner, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 4];
        using var aes = Aes.Create();
        aes.Key = key;
        byte[] authenticated = [.. Hex.Parse("0000abcd 00000001"), .. iv, .. aes.EncryptCbc(plaintext, iv, PaddingMode.None)];
        var icv = HMACSHA256.HashData(integrityKey, authenticated)[..16];

        Assert.Equal([.. authenticated, .. icv], buffer[..written]);
    }

    [Fact]
    public void Garbage_of_every_length_is_malformed_and_never_throws()
    {
        using var pair = new SaPair(EspTransform.AesCbc256Sha256);
        using var gcm = new SaPair(EspTransform.AesGcm128);
        var random = new Random(20240601);
        var drops = 0;
        for (var length = 0; length <= 200; length++)
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var garbage = new byte[length];
                random.NextBytes(garbage);
                Assert.Equal(EspResult.Malformed, pair.Inbound.Decapsulate(garbage, out _, out _, out _));
                Assert.Equal(EspResult.Malformed, gcm.Inbound.Decapsulate(garbage.ToArray(), out _, out _, out _));
                drops++;
            }
        }

        Assert.Equal(drops, pair.Inbound.MalformedDrops);
        Assert.Equal(0, pair.Inbound.Packets);
    }

    [Fact]
    public void Garbage_with_the_right_spi_fails_cleanly_at_some_check()
    {
        using var pair = new SaPair(EspTransform.AesCbc256Sha256);
        var random = new Random(77);
        for (var length = 0; length <= 200; length++)
        {
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var garbage = new byte[length];
                random.NextBytes(garbage);
                if (length >= 4)
                {
                    BinaryPrimitives.WriteUInt32BigEndian(garbage, SaPair.Spi);
                }

                var result = pair.Inbound.Decapsulate(garbage, out _, out _, out _);
                Assert.NotEqual(EspResult.Ok, result);

                // Too short to hold header, IV, one block and the ICV: rejected before any crypto.
                if (length < 8 + 16 + 16 + 16)
                {
                    Assert.Equal(EspResult.Malformed, result);
                }
            }
        }

        Assert.Equal(0, pair.Inbound.Packets);
        Assert.True(pair.Inbound.AuthenticationFailures > 0);
    }

    [Theory]
    [MemberData(nameof(AllTransforms))]
    public void Truncated_packets_are_rejected(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        using var pair = new SaPair(new EspTransform(encryption, keyBits, integrity), replayCheck: false);
        var packet = pair.Encapsulate(Packets.IPv4(100));
        var minimumLength = 8 + (encryption == EncryptionAlgorithm.AesCbc ? 32 : 10) + PacketProtector.IcvLength(encryption, integrity);
        for (var length = 0; length < packet.Length; length++)
        {
            var result = pair.Inbound.Decapsulate(packet.AsSpan(0, length).ToArray(), out _, out _, out _);
            Assert.NotEqual(EspResult.Ok, result);
            if (length < minimumLength)
            {
                Assert.Equal(EspResult.Malformed, result);
            }
        }

        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packet, out _, out _, out _));
    }

    [Fact]
    public void Replayed_packets_are_dropped()
    {
        using var pair = new SaPair(EspTransform.AesGcm128);
        var packet = pair.Encapsulate(Packets.IPv4(60));
        var copy = packet.ToArray();

        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packet, out _, out _, out _));
        Assert.Equal(EspResult.Replayed, pair.Inbound.Decapsulate(copy, out _, out _, out _));
        Assert.Equal(1, pair.Inbound.ReplayDrops);
        Assert.Equal(1, pair.Inbound.Packets);
    }

    [Fact]
    public void Reordered_packets_inside_the_window_pass_and_older_ones_are_dropped()
    {
        using var pair = new SaPair(EspTransform.ChaCha20Poly1305, windowSize: 64);
        var packets = Enumerable.Range(0, 100).Select(i => pair.Encapsulate(Packets.IPv4(40, i))).ToArray();

        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packets[99], out _, out _, out _)); // sequence 100
        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packets[36], out _, out _, out _)); // 37: the window's left edge
        Assert.Equal(EspResult.Replayed, pair.Inbound.Decapsulate(packets[35], out _, out _, out _)); // 36: too old
        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packets[98], out _, out _, out _));
        Assert.Equal(100UL, pair.Inbound.LastSequenceNumber);
        Assert.Equal(1, pair.Inbound.ReplayDrops);
    }

    [Fact]
    public void Without_replay_check_duplicates_are_delivered()
    {
        using var pair = new SaPair(EspTransform.AesGcm128, replayCheck: false);
        var packet = pair.Encapsulate(Packets.IPv4(60));
        var copy = packet.ToArray();

        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packet, out _, out _, out _));
        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(copy, out _, out _, out _));
        Assert.Equal(0, pair.Inbound.ReplayDrops);
    }

    [Theory]
    [MemberData(nameof(AllTransforms))]
    public void Tampering_anywhere_fails_authentication(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        using var pair = new SaPair(new EspTransform(encryption, keyBits, integrity));
        var packet = pair.Encapsulate(Packets.IPv4(100));

        // Byte 0-3 is the SPI (a mismatch is Malformed); from the sequence number on, everything is authenticated.
        var failures = 0;
        for (var position = 4; position < packet.Length; position += 7)
        {
            var tampered = packet.ToArray();
            tampered[position] ^= 0x80;
            Assert.Equal(EspResult.AuthenticationFailed, pair.Inbound.Decapsulate(tampered, out _, out _, out _));
            failures++;
        }

        Assert.Equal(failures, pair.Inbound.AuthenticationFailures);

        // A forged sequence number must not have moved the window: the genuine packet still passes.
        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packet, out _, out _, out _));
        Assert.Equal(1UL, pair.Inbound.LastSequenceNumber);
    }

    [Fact]
    public void Wrong_spi_is_malformed()
    {
        using var pair = new SaPair(EspTransform.AesGcm128);
        var packet = pair.Encapsulate(Packets.IPv4(60));
        packet[0] ^= 0xff;
        Assert.Equal(EspResult.Malformed, pair.Inbound.Decapsulate(packet, out _, out _, out _));
    }

    [Theory]
    [InlineData(new byte[] { 1, 3 }, 2)] // padding not 1, 2, ...
    [InlineData(new byte[] { 2 }, 1)]
    [InlineData(new byte[] { }, 200)] // pad length longer than the payload
    public void Authenticated_packets_with_bad_padding_are_malformed(byte[] padding, int padLength)
    {
        var transform = EspTransform.AesGcm128;
        using var pair = new SaPair(transform);
        using var forger = PacketProtector.Create(
            transform.Encryption, transform.KeyBits, transform.Integrity, pair.EncryptionKey, [], new SeededRandomSource(8));

        var inner = Packets.IPv4(22);
        byte[] payload = [.. inner, .. padding, (byte)padLength, 4];
        var message = new byte[8 + 8 + payload.Length + 16];
        BinaryPrimitives.WriteUInt32BigEndian(message, SaPair.Spi);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), 1);
        payload.CopyTo(message, 16);
        forger.Seal(message, 8, payload.Length);

        Assert.Equal(EspResult.Malformed, pair.Inbound.Decapsulate(message, out _, out _, out _));
        Assert.Equal(1, pair.Inbound.MalformedDrops);
        Assert.Equal(0, pair.Inbound.AuthenticationFailures);
    }

    [Fact]
    public void Sequence_number_overflow_stops_the_sa()
    {
        using var pair = new SaPair(EspTransform.AesGcm128, windowSize: 64);
        pair.Outbound.SetLastSentSequenceNumber(uint.MaxValue - 1);
        var buffer = new byte[200];

        Assert.Equal(EspResult.Ok, pair.Outbound.Encapsulate(Packets.IPv4(40), buffer, out var written));
        Assert.Equal(uint.MaxValue, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)));
        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(buffer.AsSpan(0, written), out _, out _, out _));

        Assert.Equal(EspResult.SequenceOverflow, pair.Outbound.Encapsulate(Packets.IPv4(40), buffer, out written));
        Assert.Equal(0, written);
        Assert.Equal((ulong)uint.MaxValue, pair.Outbound.LastSequenceNumber);
    }

    [Fact]
    public void Too_small_destination_consumes_no_sequence_number()
    {
        using var pair = new SaPair(EspTransform.AesCbc256Sha256);
        var inner = Packets.IPv4(100);
        var needed = pair.Outbound.GetEncapsulatedLength(inner.Length);

        Assert.Equal(EspResult.BufferTooSmall, pair.Outbound.Encapsulate(inner, new byte[needed - 1], out var written));
        Assert.Equal(0, written);

        var buffer = new byte[needed];
        Assert.Equal(EspResult.Ok, pair.Outbound.Encapsulate(inner, buffer, out written));
        Assert.Equal(needed, written);
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(24)]
    public void Encapsulation_works_when_the_inner_packet_already_sits_in_the_destination(int innerOffset)
    {
        // Two outbound SAs with the same keys and random sources produce the same bytes; only the buffer use differs.
        var key = new byte[32];
        var integrityKey = new byte[32];
        var inner = Packets.IPv4(150);
        using var separate = EspSecurityAssociation.CreateOutbound(1, EspTransform.AesCbc256Sha256, key, integrityKey, new SeededRandomSource(5));
        using var inPlace = EspSecurityAssociation.CreateOutbound(1, EspTransform.AesCbc256Sha256, key, integrityKey, new SeededRandomSource(5));

        var expected = new byte[300];
        Assert.Equal(EspResult.Ok, separate.Encapsulate(inner, expected, out var expectedLength));

        var buffer = new byte[300];
        inner.CopyTo(buffer, innerOffset);
        Assert.Equal(EspResult.Ok, inPlace.Encapsulate(buffer.AsSpan(innerOffset, inner.Length), buffer, out var written));
        Assert.Equal(expected[..expectedLength], buffer[..written]);
    }

    [Theory]
    [InlineData(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None)]
    [InlineData(EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None)]
    [InlineData(EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha256_128)]
    public void Encapsulate_and_decapsulate_do_not_allocate(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        using var pair = new SaPair(new EspTransform(encryption, keyBits, integrity));
        var inner = Packets.IPv4(1400);
        var buffer = new byte[inner.Length + pair.Outbound.MaxOverhead];

        void RoundTrip()
        {
            if (pair.Outbound.Encapsulate(inner, buffer, out var written) != EspResult.Ok
                || pair.Inbound.Decapsulate(buffer.AsSpan(0, written), out _, out _, out _) != EspResult.Ok)
            {
                throw new InvalidOperationException("round trip failed");
            }
        }

        var (allocated, roundTrips) = SteadyAllocation.Measure(RoundTrip, warmUp: 100, batchSize: 1000);

        Assert.Equal(0, allocated);
        Assert.Equal(roundTrips, pair.Inbound.Packets);
    }

    [Fact]
    public void Activity_timestamp_follows_the_time_provider()
    {
        var time = new FakeTimeProvider();
        using var pair = new SaPair(EspTransform.AesGcm128, time: time);
        var created = time.GetTimestamp();
        Assert.Equal(created, pair.Outbound.CreatedTimestamp);
        Assert.Equal(created, pair.Inbound.LastActivityTimestamp);

        time.Advance(TimeSpan.FromSeconds(30));
        var packet = pair.Encapsulate(Packets.IPv4(40));
        Assert.Equal(time.GetTimestamp(), pair.Outbound.LastActivityTimestamp);
        Assert.Equal(created, pair.Inbound.LastActivityTimestamp);

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(EspResult.Ok, pair.Inbound.Decapsulate(packet, out _, out _, out _));
        Assert.Equal(time.GetTimestamp(), pair.Inbound.LastActivityTimestamp);
        Assert.Equal(TimeSpan.FromSeconds(35), time.GetElapsedTime(created, pair.Inbound.LastActivityTimestamp));

        // A dropped packet is not activity.
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(EspResult.Replayed, pair.Inbound.Decapsulate(packet, out _, out _, out _));
        Assert.NotEqual(time.GetTimestamp(), pair.Inbound.LastActivityTimestamp);
    }

    [Fact]
    public void Max_overhead_per_transform()
    {
        using var gcm = new SaPair(EspTransform.AesGcm128);
        using var cbc = new SaPair(EspTransform.AesCbc256Sha256);
        using var sha1 = new SaPair(new EspTransform(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96));

        Assert.Equal(8 + 8 + 3 + 2 + 16, gcm.Outbound.MaxOverhead);
        Assert.Equal(8 + 16 + 15 + 2 + 16, cbc.Outbound.MaxOverhead);
        Assert.Equal(8 + 16 + 15 + 2 + 12, sha1.Outbound.MaxOverhead);
    }

    [Fact]
    public void Direction_is_enforced()
    {
        using var pair = new SaPair(EspTransform.AesGcm128);
        Assert.True(pair.Outbound.IsOutbound);
        Assert.False(pair.Inbound.IsOutbound);
        Assert.Throws<InvalidOperationException>(() => pair.Outbound.Decapsulate(new byte[64], out _, out _, out _));
        Assert.Throws<InvalidOperationException>(() => pair.Inbound.Encapsulate(Packets.IPv4(20), new byte[64], out _));
    }

    [Fact]
    public void Transform_key_lengths()
    {
        Assert.Equal(20, EspTransform.AesGcm128.EncryptionKeyMaterialLength);
        Assert.Equal(0, EspTransform.AesGcm128.IntegrityKeyLength);
        Assert.Equal(36, EspTransform.AesGcm256.EncryptionKeyMaterialLength);
        Assert.Equal(36, EspTransform.ChaCha20Poly1305.EncryptionKeyMaterialLength);
        Assert.Equal(32, EspTransform.AesCbc256Sha256.EncryptionKeyMaterialLength);
        Assert.Equal(32, EspTransform.AesCbc256Sha256.IntegrityKeyLength);
        Assert.True(EspTransform.AesCbc256Sha256.IsSupported);
        Assert.False(new EspTransform(EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.None).IsSupported);
        Assert.Equal(EspTransform.AesGcm128, new EspTransform(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None));
    }

    [Fact]
    public void Wrong_key_material_is_rejected_at_creation()
    {
        Assert.Throws<ArgumentException>(() =>
            EspSecurityAssociation.CreateOutbound(1, EspTransform.AesGcm128, new byte[16], [], SystemRandomSource.Instance));
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            EspSecurityAssociation.CreateInbound(1, EspTransform.AesGcm128, new byte[20], [], replayCheck: true, 100, SystemRandomSource.Instance));
    }
}
