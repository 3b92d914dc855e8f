using System.Security.Cryptography;
using System.Text;
using SharpSwan.Testing;

namespace SharpSwan.Crypto.Tests;

public sealed class PacketProtectorTests
{
    // RFC 7634 Appendix A/B: 32-byte ChaCha20 key followed by the 4-byte salt.
    private const string ChaChaKeyAndSalt =
        "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f a0a1a2a3";

    public static TheoryData<EncryptionAlgorithm, int, IntegrityAlgorithm> AllSuites => new()
    {
        { EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None },
        { EncryptionAlgorithm.AesGcm16, 192, IntegrityAlgorithm.None },
        { EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None },
        { EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None },
        { EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96 },
        { EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128 },
        { EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha384_192 },
        { EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha512_256 },
    };

    private static (PacketProtector Sender, PacketProtector Receiver) CreatePair(
        EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, int seed = 1)
    {
        var random = new SeededRandomSource(seed);
        var keyMaterial = new byte[PacketProtector.EncryptionKeyMaterialLength(encryption, keyBits)];
        var integrityKey = new byte[PacketProtector.IntegrityKeyLength(integrity)];
        random.Fill(keyMaterial);
        random.Fill(integrityKey);
        return (
            PacketProtector.Create(encryption, keyBits, integrity, keyMaterial, integrityKey, random),
            PacketProtector.Create(encryption, keyBits, integrity, keyMaterial, integrityKey, random));
    }

    [Theory]
    [MemberData(nameof(AllSuites))]
    [InlineData(EncryptionAlgorithm.TripleDes, 192, IntegrityAlgorithm.HmacSha1_96)]
    [InlineData(EncryptionAlgorithm.Des, 64, IntegrityAlgorithm.HmacMd5_96)]
    [InlineData(EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.HmacSha256_128)]
    public void Geometry_known_before_creation_is_that_of_the_protector_created(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        var (sender, receiver) = CreatePair(encryption, keyBits, integrity);
        using (sender)
        using (receiver)
        {
            var (ivSize, blockSize) = PacketProtector.Geometry(encryption);
            Assert.Equal(sender.IvSize, ivSize);
            Assert.Equal(sender.BlockSize, blockSize);
            Assert.Equal(sender.IcvSize, PacketProtector.IcvLength(encryption, integrity));
        }
    }

    [Fact]
    public void Key_checks_without_creating_refuse_what_create_refuses()
    {
        PacketProtector.CheckKeys(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, 20, 0);
        PacketProtector.CheckKeys(EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha256_128, 32, 32);
        Assert.Throws<ArgumentException>(() => PacketProtector.CheckKeys(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, 16, 0));
        Assert.Throws<ArgumentException>(() => PacketProtector.CheckKeys(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.HmacSha1_96, 20, 20));
        Assert.Throws<ArgumentException>(() => PacketProtector.CheckKeys(EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.None, 32, 0));
        Assert.Throws<ArgumentException>(() => PacketProtector.CheckKeys(EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha256_128, 32, 20));
    }

    [Fact]
    public void An_aead_protector_given_its_iv_start_draws_nothing_and_starts_there()
    {
        var keyMaterial = new byte[20];
        var random = new SeededRandomSource(5);
        var expected = PacketProtector.DrawIvStart(new SeededRandomSource(5));
        using var protector = PacketProtector.Create(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, keyMaterial, [], random, -1, expected);
        var message = new byte[8 + 8 + 16 + 16];
        protector.Seal(message, 8, 16);
        Assert.Equal(expected, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(message.AsSpan(8)));

        // The random source was not touched: its next draw is still the first one.
        Assert.Equal(expected, PacketProtector.DrawIvStart(random));
    }

    private static byte[] BuildMessage(PacketProtector protector, byte[] header, byte[] payload) =>
        [.. header, .. new byte[protector.IvSize], .. payload, .. new byte[protector.IcvSize]];

    [Fact]
    public void ChaCha20Poly1305_matches_rfc7634_appendix_a_esp_example()
    {
        var header = Hex.Parse("01020304 00000005"); // SPI and sequence number: the ESP AAD.
        var plaintext = Hex.Parse(
            "4500005 4a6f20000 4001e778 c6336405 c0000205 08005b7a 3a080000 553bec10 00073627 08090a0b 0c0d0e0f 10111213"
            + "14151617 18191a1b 1c1d1e1f 20212223 24252627 28292a2b 2c2d2e2f 30313233 34353637 01020204");
        var expected = Hex.Parse(
            "01020304 00000005 10111213 14151617"
            + "24039428 b97f417e 3c13753a 4f05087b 67c352e6 a7fab1b9 82d466ef 407ae5c6 14ee8099 d52844eb 61aa95df ab4c02f7"
            + "2aa71e7c 4c4f64c9 befe2fac c638e8f3 cbec163f ac469b50 2773f6fb 94e664da 9165b828 29f641e0"
            + "76aaa826 6b7fb0f7 b11b3699 07e1ad43");

        // The protector draws its IV counter start from the random source: make it the RFC's IV.
        using var sender = PacketProtector.Create(
            EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, Hex.Parse(ChaChaKeyAndSalt), [],
            new FixedRandomSource(Hex.Parse("1011121314151617")));
        var message = BuildMessage(sender, header, plaintext);
        sender.Seal(message, header.Length, plaintext.Length);
        Assert.Equal(expected, message);

        using var receiver = PacketProtector.Create(
            EncryptionAlgorithm.ChaCha20Poly1305, 0, IntegrityAlgorithm.None, Hex.Parse(ChaChaKeyAndSalt), [],
            SystemRandomSource.Instance);
        var received = expected.ToArray();
        Assert.True(receiver.TryOpen(received, header.Length, plaintext.Length));
        Assert.Equal(plaintext, received.AsSpan(16, plaintext.Length).ToArray());
    }

    [Fact]
    public void ChaCha20Poly1305_matches_rfc7634_appendix_b_ike_example()
    {
        // IKE header and SK payload header are the AAD (RFC 5282 §5.1).
        var header = Hex.Parse("c0c1c2c3c4c5c6c7 d0d1d2d3d4d5d6d7 2e202500 00000009 00000045 29000029");
        var plaintext = Hex.Parse("0000000c000040010000000a00");
        var expectedCiphertextAndTag = Hex.Parse("610394701f8d017f7c12924889 6b71bfe25236efd7cdc67066906315b2");

        using var sender = PacketProtector.Create(
            EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, Hex.Parse(ChaChaKeyAndSalt), [],
            new FixedRandomSource(Hex.Parse("1011121314151617")));
        var message = BuildMessage(sender, header, plaintext);
        sender.Seal(message, header.Length, plaintext.Length);

        Assert.Equal(header, message[..32]);
        Assert.Equal(Hex.Parse("1011121314151617"), message[32..40]);
        Assert.Equal(expectedCiphertextAndTag, message[40..]);

        using var receiver = PacketProtector.Create(
            EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, Hex.Parse(ChaChaKeyAndSalt), [],
            SystemRandomSource.Instance);
        Assert.True(receiver.TryOpen(message, header.Length, plaintext.Length));
        Assert.Equal(plaintext, message[40..53]);
    }

    /// <summary>draft-mcgrew-gcm-test-01 ESP vectors (test cases 2 and 3): SPI | seq as AAD, salt | IV as nonce.</summary>
    [Theory]
    [InlineData(
        "feffe9928665731c6d6a8f9467308308", 128, "cafebabe", "0000a5f8 0000000a", "facedbaddecaf888",
        "4500003e 698f0000 80114dcc c0a80102 c0a80101 0a980035 002a2343 b2d00100 00010000 00000000 03736970 09637962 65726369 747902646b000001 00010001",
        "deb22cd9b07c72c16e3a65beeb8df304 a5a5897d33ae530f1ba76d5d114d2a5c 3de81827c10e9a4f51330d0eec416642 cfbb85a5b47e48a4ec3b9ba95d918bd1 83b70d3aa8bc6ee4c309e9d85a41ad4a")]
    [InlineData(
        "abbccddef00112233445566778899aababbccddef00112233445566778899aab", 256, "11223344", "4a2cbfe3 00000002", "0102030405060708",
        "4500003069a6400080062690c0a80102 9389155e0a9e008b2dc57ee000000000 7002400020bf0000020405b401010402 01020201",
        "ff425c9b724599df7a3bcd510194e00d 6a78107f1b0b1cbf06efae9d65a5d763 748a637985771d347f0545659f14e99d ef842d8eb335f4eecfdbf831824b4c49 15956c96")]
    public void AesGcm_matches_published_esp_vectors(
        string key, int keyBits, string salt, string spiAndSequence, string iv, string plaintextHex, string ciphertextAndTagHex)
    {
        var keyMaterial = Hex.Parse(key + salt);
        var header = Hex.Parse(spiAndSequence);
        var plaintext = Hex.Parse(plaintextHex);
        var expected = Hex.Parse(spiAndSequence + iv + ciphertextAndTagHex);

        using var sender = PacketProtector.Create(
            EncryptionAlgorithm.AesGcm16, keyBits, IntegrityAlgorithm.None, keyMaterial, [], new FixedRandomSource(Hex.Parse(iv)));
        var message = BuildMessage(sender, header, plaintext);
        sender.Seal(message, header.Length, plaintext.Length);
        Assert.Equal(expected, message);

        using var receiver = PacketProtector.Create(
            EncryptionAlgorithm.AesGcm16, keyBits, IntegrityAlgorithm.None, keyMaterial, [], SystemRandomSource.Instance);
        var received = expected.ToArray();
        Assert.True(receiver.TryOpen(received, header.Length, plaintext.Length));
        Assert.Equal(plaintext, received.AsSpan(16, plaintext.Length).ToArray());
    }

    /// <summary>RFC 3602 §4 cases 1 and 2 for the ciphertext; the ICV is recomputed here with .NET's HMAC.</summary>
    [Theory]
    [InlineData("06a9214036b8a15b512e03d534120006", "3dafba429d9eb430b422da802c9fac41",
        "53696e676c6520626c6f636b206d7367", "e353779c1079aeb82708942dbe77181a")]
    [InlineData("c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1")]
    public void AesCbc_matches_rfc3602_and_macs_header_iv_and_ciphertext(string key, string iv, string plaintextHex, string ciphertextHex)
    {
        var integrityKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var header = Hex.Parse("00004321 00000001");
        var plaintext = Hex.Parse(plaintextHex);

        using var sender = PacketProtector.Create(
            EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, Hex.Parse(key), integrityKey,
            new FixedRandomSource(Hex.Parse(iv)));
        var message = BuildMessage(sender, header, plaintext);
        sender.Seal(message, header.Length, plaintext.Length);

        var authenticatedLength = header.Length + 16 + plaintext.Length;
        Assert.Equal(header, message[..8]);
        Assert.Equal(Hex.Parse(iv), message[8..24]);
        Assert.Equal(Hex.Parse(ciphertextHex), message[24..authenticatedLength]);
        var expectedIcv = HMACSHA256.HashData(integrityKey, message.AsSpan(0, authenticatedLength))[..16];
        Assert.Equal(expectedIcv, message[authenticatedLength..]);

        using var receiver = PacketProtector.Create(
            EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, Hex.Parse(key), integrityKey, SystemRandomSource.Instance);
        Assert.True(receiver.TryOpen(message, header.Length, plaintext.Length));
        Assert.Equal(plaintext, message[24..authenticatedLength]);
    }

    [Theory]
    [InlineData(IntegrityAlgorithm.HmacSha1_96)]
    [InlineData(IntegrityAlgorithm.HmacSha512_256)]
    public void AesCbc_stays_plain_cbc_across_many_packets_in_any_order(IntegrityAlgorithm integrity)
    {
        // The protector keeps one CBC stream for its lifetime; every packet must still be CBC under its own IV.
        var (sender, receiver) = CreatePair(EncryptionAlgorithm.AesCbc, 256, integrity, seed: 5);
        var key = new byte[32];
        new SeededRandomSource(5).Fill(key);
        using var reference = Aes.Create();
        reference.Key = key;
        var random = new Random(99);
        var messages = new List<(byte[] Message, byte[] Plaintext)>();

        for (var i = 0; i < 40; i++)
        {
            var plaintext = new byte[16 * random.Next(0, 90)];
            random.NextBytes(plaintext);
            var header = new byte[random.Next(0, 30)];
            random.NextBytes(header);
            var message = BuildMessage(sender, header, plaintext);
            sender.Seal(message, header.Length, plaintext.Length);

            var iv = message.AsSpan(header.Length, 16);
            var expected = reference.EncryptCbc(plaintext, iv, PaddingMode.None);
            Assert.Equal(expected, message.AsSpan(header.Length + 16, plaintext.Length).ToArray());
            messages.Add((message, plaintext));
        }

        // Open in a shuffled order: the receiver must not depend on seeing packets in sequence.
        foreach (var index in Enumerable.Range(0, messages.Count).OrderBy(_ => random.Next()))
        {
            var (message, plaintext) = messages[index];
            var headerLength = message.Length - sender.IvSize - plaintext.Length - sender.IcvSize;
            Assert.True(receiver.TryOpen(message, headerLength, plaintext.Length));
            Assert.Equal(plaintext, message.AsSpan(headerLength + 16, plaintext.Length).ToArray());
        }

        sender.Dispose();
        receiver.Dispose();
    }

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void Round_trip_and_any_flipped_bit_is_rejected(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        var (sender, receiver) = CreatePair(encryption, keyBits, integrity);
        var header = Encoding.ASCII.GetBytes("HEADER12");
        var plaintext = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var sealedMessage = BuildMessage(sender, header, plaintext);
        sender.Seal(sealedMessage, header.Length, plaintext.Length);

        Assert.NotEqual(plaintext, sealedMessage.AsSpan(header.Length + sender.IvSize, plaintext.Length).ToArray());

        var ivStart = header.Length;
        var payloadStart = ivStart + sender.IvSize;
        var icvStart = payloadStart + plaintext.Length;
        int[] positions = [0, header.Length - 1, ivStart, payloadStart - 1, payloadStart, icvStart - 1, icvStart, sealedMessage.Length - 1];
        foreach (var position in positions)
        {
            var tampered = sealedMessage.ToArray();
            tampered[position] ^= 0x01;
            Assert.False(receiver.TryOpen(tampered, header.Length, plaintext.Length), $"bit flip at byte {position} was accepted");
        }

        var intact = sealedMessage.ToArray();
        Assert.True(receiver.TryOpen(intact, header.Length, plaintext.Length));
        Assert.Equal(plaintext, intact.AsSpan(payloadStart, plaintext.Length).ToArray());

        sender.Dispose();
        receiver.Dispose();
    }

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void Seal_and_open_do_not_allocate(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        var (sender, receiver) = CreatePair(encryption, keyBits, integrity);
        var message = new byte[8 + sender.IvSize + 1392 + sender.IcvSize];

        void RoundTrip()
        {
            sender.Seal(message, 8, 1392);
            if (!receiver.TryOpen(message, 8, 1392))
            {
                throw new InvalidOperationException("round trip failed");
            }
        }

        var (allocated, _) = SteadyAllocation.Measure(RoundTrip, warmUp: 100, batchSize: 1000);

        Assert.Equal(0, allocated);
        sender.Dispose();
        receiver.Dispose();
    }

    [Fact]
    public void Aead_ivs_count_up_and_never_repeat()
    {
        var (sender, _) = CreatePair(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None);
        var message = new byte[8 + 8 + 16 + 16];
        var seen = new HashSet<ulong>();
        ulong? previous = null;
        for (var i = 0; i < 1000; i++)
        {
            sender.Seal(message, 8, 16);
            var iv = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(message.AsSpan(8));
            Assert.True(seen.Add(iv));
            if (previous is { } p)
            {
                Assert.Equal(unchecked(p + 1), iv);
            }

            previous = iv;
        }
    }

    [Fact]
    public void Cbc_ivs_come_from_the_random_source()
    {
        var key = new byte[16];
        var integrityKey = new byte[20];
        var ivs = Hex.Parse("00112233445566778899aabbccddeeff ffeeddccbbaa99887766554433221100");
        using var sender = PacketProtector.Create(
            EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha1_96, key, integrityKey, new FixedRandomSource(ivs));
        var first = new byte[16 + 16 + 12];
        var second = new byte[16 + 16 + 12];
        sender.Seal(first, 0, 16);
        sender.Seal(second, 0, 16);
        Assert.Equal(ivs[..16], first[..16]);
        Assert.Equal(ivs[16..], second[..16]);
    }

    [Fact]
    public void TryOpen_returns_false_for_lengths_that_do_not_fit()
    {
        var (_, cbc) = CreatePair(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128);
        var (_, gcm) = CreatePair(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None);
        var buffer = new byte[100];

        Assert.False(cbc.TryOpen(buffer, 8, 15)); // not a whole AES block
        Assert.False(cbc.TryOpen(buffer, 8, 64)); // 8 + 16 + 64 + 16 > 100
        Assert.False(cbc.TryOpen(buffer, -1, 16));
        Assert.False(cbc.TryOpen(buffer, 8, -16));
        Assert.False(cbc.TryOpen(buffer, int.MaxValue, 16));
        Assert.False(gcm.TryOpen(buffer, 8, 69));
        Assert.False(gcm.TryOpen([], 0, 0));
        Assert.False(gcm.TryOpen(buffer, 8, 68)); // fits, but the all-zero tag is wrong
        Assert.False(cbc.TryOpen(buffer, 8, 16));
    }

    [Fact]
    public void Seal_rejects_lengths_that_do_not_fit()
    {
        var (cbc, _) = CreatePair(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128);
        Assert.Throws<ArgumentException>(() => cbc.Seal(new byte[100], 8, 20));
        Assert.Throws<ArgumentException>(() => cbc.Seal(new byte[40], 8, 16));
    }

    [Fact]
    public void Create_validates_the_suite_and_key_lengths()
    {
        var random = SystemRandomSource.Instance;
        Assert.Throws<ArgumentException>(() =>
            PacketProtector.Create(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.HmacSha256_128, new byte[20], new byte[32], random));
        Assert.Throws<ArgumentException>(() =>
            PacketProtector.Create(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.None, new byte[16], [], random));
        Assert.Throws<ArgumentException>(() =>
            PacketProtector.Create(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, new byte[16], new byte[20], random));
        Assert.Throws<ArgumentException>(() =>
            PacketProtector.Create(EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, new byte[32], [], random));
        Assert.Throws<ArgumentException>(() =>
            PacketProtector.Create(EncryptionAlgorithm.AesCbc, 100, IntegrityAlgorithm.HmacSha1_96, new byte[16], new byte[20], random));
        Assert.Throws<ArgumentException>(() =>
            PacketProtector.Create(EncryptionAlgorithm.None, 0, IntegrityAlgorithm.HmacSha1_96, [], new byte[20], random));

        Assert.True(PacketProtector.IsSupported(EncryptionAlgorithm.ChaCha20Poly1305, 0, IntegrityAlgorithm.None));
        Assert.False(PacketProtector.IsSupported(EncryptionAlgorithm.ChaCha20Poly1305, 128, IntegrityAlgorithm.None));
        Assert.False(PacketProtector.IsSupported(EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.None));
    }

    [Fact]
    public void Length_tables()
    {
        Assert.Equal(16, PacketProtector.EncryptionKeyMaterialLength(EncryptionAlgorithm.AesCbc, 128));
        Assert.Equal(32, PacketProtector.EncryptionKeyMaterialLength(EncryptionAlgorithm.AesCbc, 256));
        Assert.Equal(20, PacketProtector.EncryptionKeyMaterialLength(EncryptionAlgorithm.AesGcm16, 128));
        Assert.Equal(28, PacketProtector.EncryptionKeyMaterialLength(EncryptionAlgorithm.AesGcm16, 192));
        Assert.Equal(36, PacketProtector.EncryptionKeyMaterialLength(EncryptionAlgorithm.AesGcm16, 256));
        Assert.Equal(36, PacketProtector.EncryptionKeyMaterialLength(EncryptionAlgorithm.ChaCha20Poly1305, 256));

        Assert.Equal(20, PacketProtector.IntegrityKeyLength(IntegrityAlgorithm.HmacSha1_96));
        Assert.Equal(32, PacketProtector.IntegrityKeyLength(IntegrityAlgorithm.HmacSha256_128));
        Assert.Equal(48, PacketProtector.IntegrityKeyLength(IntegrityAlgorithm.HmacSha384_192));
        Assert.Equal(64, PacketProtector.IntegrityKeyLength(IntegrityAlgorithm.HmacSha512_256));
        Assert.Equal(0, PacketProtector.IntegrityKeyLength(IntegrityAlgorithm.None));

        Assert.Equal(12, PacketProtector.IcvLength(IntegrityAlgorithm.HmacSha1_96));
        Assert.Equal(16, PacketProtector.IcvLength(IntegrityAlgorithm.HmacSha256_128));
        Assert.Equal(24, PacketProtector.IcvLength(IntegrityAlgorithm.HmacSha384_192));
        Assert.Equal(32, PacketProtector.IcvLength(IntegrityAlgorithm.HmacSha512_256));
        Assert.Equal(16, PacketProtector.IcvLength(EncryptionAlgorithm.AesGcm16, IntegrityAlgorithm.None));
        Assert.Equal(12, PacketProtector.IcvLength(EncryptionAlgorithm.AesCbc, IntegrityAlgorithm.HmacSha1_96));
    }

    [Theory]
    [MemberData(nameof(AllSuites))]
    public void Sizes_per_suite(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        var (sender, _) = CreatePair(encryption, keyBits, integrity);
        var aead = encryption != EncryptionAlgorithm.AesCbc;
        Assert.Equal(aead, sender.IsAead);
        Assert.Equal(aead ? 8 : 16, sender.IvSize);
        Assert.Equal(aead ? 1 : 16, sender.BlockSize);
        Assert.Equal(PacketProtector.IcvLength(encryption, integrity), sender.IcvSize);
    }

    [Fact]
    public void Disposed_protector_refuses_work()
    {
        var (sender, _) = CreatePair(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None);
        sender.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sender.Seal(new byte[64], 8, 16));
    }
}
