using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using SharpSwan.Testing;

namespace SharpSwan.Crypto.Tests;

/// <summary>
/// The algorithms kept for old peers (FortiOS still offers them): 3DES-CBC, DES-CBC, ESP NULL, HMAC-MD5-96 and the
/// MODP groups 1, 2 and 5, each checked against a published vector or an independent computation.
/// </summary>
public sealed class LegacyAlgorithmTests
{
    // The primes as OpenSSL prints them (BN_get_rfc2409_prime_768/1024, BN_get_rfc3526_prime_1536), i.e. RFC 2409 §6.1,
    // §6.2 and RFC 3526 §2.
    private const string Modp768Prime =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A3620FFFFFFFFFFFFFFFF";

    private const string Modp1024Prime =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";

    private const string Modp1536Prime =
        "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF";

    public static TheoryData<EncryptionAlgorithm, int, IntegrityAlgorithm> LegacySuites => new()
    {
        { EncryptionAlgorithm.TripleDes, 192, IntegrityAlgorithm.HmacSha1_96 },
        { EncryptionAlgorithm.TripleDes, 192, IntegrityAlgorithm.HmacMd5_96 },
        { EncryptionAlgorithm.Des, 64, IntegrityAlgorithm.HmacSha256_128 },
        { EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.HmacSha256_128 },
        { EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.HmacMd5_96 },
        { EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacMd5_96 },
    };

    /// <summary>
    /// DES: FIPS 81 Appendix C (CBC, "Now is the time for all "). 3DES: NIST SP 800-67 §A keys and plaintext; with a
    /// zero IV its first CBC block is the published first ECB block a826fd8ce53b855f, the rest is from
    /// <c>openssl enc -des-ede3-cbc -nopad</c>. The ICV is recomputed with .NET's HMAC over header | IV | ciphertext.
    /// </summary>
    [Theory]
    [InlineData(EncryptionAlgorithm.Des, 64, "0123456789abcdef", "1234567890abcdef", "e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6")]
    [InlineData(EncryptionAlgorithm.TripleDes, 192, "0123456789abcdef23456789abcdef01456789abcdef0123", "0000000000000000",
        "a826fd8ce53b855f854b649a0a3903c970d563820afe8b35")]
    [InlineData(EncryptionAlgorithm.TripleDes, 192, "0123456789abcdef23456789abcdef01456789abcdef0123", "1234567890abcdef",
        "38413d4ba2325cf1141f707471ac2ced57db530f0123b5ac")]
    public void Des_ciphers_match_published_vectors_and_mac_with_md5(EncryptionAlgorithm encryption, int keyBits, string key, string iv, string ciphertextHex)
    {
        var plaintext = Encoding.ASCII.GetBytes(encryption == EncryptionAlgorithm.Des ? "Now is the time for all " : "The qufck brown fox jump");
        var integrityKey = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var header = Hex.Parse("00004321 00000001");

        using var sender = PacketProtector.Create(encryption, keyBits, IntegrityAlgorithm.HmacMd5_96, Hex.Parse(key), integrityKey, new FixedRandomSource(Hex.Parse(iv)));
        Assert.Equal((8, 8, 12), (sender.IvSize, sender.BlockSize, sender.IcvSize));
        var message = Build(sender, header, plaintext);
        sender.Seal(message, header.Length, plaintext.Length);

        var authenticated = header.Length + 8 + plaintext.Length;
        Assert.Equal(Hex.Parse(iv), message[8..16]);
        Assert.Equal(Hex.Parse(ciphertextHex), message[16..authenticated]);
        Assert.Equal(HMACMD5.HashData(integrityKey, message.AsSpan(0, authenticated))[..12], message[authenticated..]);

        using var receiver = PacketProtector.Create(encryption, keyBits, IntegrityAlgorithm.HmacMd5_96, Hex.Parse(key), integrityKey, SystemRandomSource.Instance);
        Assert.True(receiver.TryOpen(message, header.Length, plaintext.Length));
        Assert.Equal(plaintext, message[16..authenticated]);
    }

    /// <summary>RFC 2410: NULL leaves the payload as it is, has no IV, and the ICV covers header | payload.</summary>
    [Fact]
    public void Null_encryption_sends_the_payload_in_clear_under_an_hmac()
    {
        var integrityKey = Enumerable.Range(1, 20).Select(i => (byte)i).ToArray();
        var header = Hex.Parse("00004321 00000001");
        var payload = Encoding.ASCII.GetBytes("ESP NULL payload");
        using var sender = PacketProtector.Create(EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.HmacSha1_96, [], integrityKey, SystemRandomSource.Instance);
        Assert.Equal((0, 1, 12), (sender.IvSize, sender.BlockSize, sender.IcvSize));

        var message = Build(sender, header, payload);
        sender.Seal(message, header.Length, payload.Length);
        Assert.Equal(payload, message[8..24]);
        Assert.Equal(HMACSHA1.HashData(integrityKey, message.AsSpan(0, 24))[..12], message[24..]);

        using var receiver = PacketProtector.Create(EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.HmacSha1_96, [], integrityKey, SystemRandomSource.Instance);
        Assert.True(receiver.TryOpen(message.ToArray(), header.Length, payload.Length));
        message[10] ^= 0x40;
        Assert.False(receiver.TryOpen(message, header.Length, payload.Length));
    }

    [Theory]
    [MemberData(nameof(LegacySuites))]
    public void Legacy_suites_round_trip_across_packets_and_refuse_any_flipped_bit(EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity)
    {
        var random = new SeededRandomSource(7);
        var key = new byte[PacketProtector.EncryptionKeyMaterialLength(encryption, keyBits)];
        var integrityKey = new byte[PacketProtector.IntegrityKeyLength(integrity)];
        random.Fill(key);
        random.Fill(integrityKey);
        using var sender = PacketProtector.Create(encryption, keyBits, integrity, key, integrityKey, random);
        using var receiver = PacketProtector.Create(encryption, keyBits, integrity, key, integrityKey, random);
        var header = Encoding.ASCII.GetBytes("HEADER12");

        for (var packet = 0; packet < 5; packet++)
        {
            var plaintext = Enumerable.Range(packet, 64).Select(i => (byte)i).ToArray();
            var message = Build(sender, header, plaintext);
            sender.Seal(message, header.Length, plaintext.Length);
            Assert.Equal(encryption == EncryptionAlgorithm.Null, plaintext.AsSpan().SequenceEqual(message.AsSpan(header.Length + sender.IvSize, plaintext.Length)));

            var tampered = message.ToArray();
            tampered[header.Length + sender.IvSize + 3] ^= 0x01;
            Assert.False(receiver.TryOpen(tampered, header.Length, plaintext.Length));
            Assert.True(receiver.TryOpen(message, header.Length, plaintext.Length));
            Assert.Equal(plaintext, message.AsSpan(header.Length + sender.IvSize, plaintext.Length).ToArray());
        }
    }

    [Fact]
    public void Legacy_tables_and_weakness()
    {
        Assert.Equal(24, PacketProtector.EncryptionKeyMaterialLength(EncryptionAlgorithm.TripleDes, 192));
        Assert.Equal(8, PacketProtector.EncryptionKeyMaterialLength(EncryptionAlgorithm.Des, 64));
        Assert.Equal(0, PacketProtector.EncryptionKeyMaterialLength(EncryptionAlgorithm.Null, 0));
        Assert.Equal(16, PacketProtector.IntegrityKeyLength(IntegrityAlgorithm.HmacMd5_96));
        Assert.Equal(12, PacketProtector.IcvLength(IntegrityAlgorithm.HmacMd5_96));
        Assert.False(PacketProtector.IsSupported(EncryptionAlgorithm.TripleDes, 128, IntegrityAlgorithm.HmacSha1_96));
        Assert.False(PacketProtector.IsSupported(EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.None));
        Assert.Throws<ArgumentException>(() =>
            PacketProtector.Create(EncryptionAlgorithm.Null, 0, IntegrityAlgorithm.None, [], [], SystemRandomSource.Instance));

        Assert.True(PacketProtector.IsWeak(EncryptionAlgorithm.TripleDes));
        Assert.True(PacketProtector.IsWeak(IntegrityAlgorithm.HmacMd5_96));
        Assert.False(PacketProtector.IsWeak(EncryptionAlgorithm.AesCbc));
        Assert.True(KeyExchange.IsWeak(DiffieHellmanGroup.Modp1024));
        Assert.False(KeyExchange.IsWeak(DiffieHellmanGroup.Modp2048));
    }

    /// <summary>g^x mod p against System.Numerics with the primes as OpenSSL holds them, and two parties agree.</summary>
    [Theory]
    [InlineData(DiffieHellmanGroup.Modp768, Modp768Prime)]
    [InlineData(DiffieHellmanGroup.Modp1024, Modp1024Prime)]
    [InlineData(DiffieHellmanGroup.Modp1536, Modp1536Prime)]
    public void Legacy_modp_groups_use_the_published_primes(DiffieHellmanGroup group, string primeHex)
    {
        var p = new BigInteger(Hex.Parse(primeHex), isUnsigned: true, isBigEndian: true);
        var length = primeHex.Length / 2;
        Assert.Equal(length, KeyExchange.PublicValueLength(group));

        var x = Hex.Parse("0123456789abcdef0123456789abcdef0123456789abcdef");
        using var ours = KeyExchange.CreateFromPrivateKey(group, x);
        var expectedPublic = BigInteger.ModPow(2, new BigInteger(x, true, true), p);
        Assert.Equal(length, ours.PublicValue.Length);
        Assert.Equal(expectedPublic, new BigInteger(ours.PublicValue, true, true));

        using var theirs = KeyExchange.Create(group, SystemRandomSource.Instance);
        Assert.True(ours.TryDeriveSharedSecret(theirs.PublicValue, out var secret));
        Assert.True(theirs.TryDeriveSharedSecret(ours.PublicValue, out var same));
        Assert.Equal(secret, same);
        Assert.Equal(BigInteger.ModPow(new BigInteger(theirs.PublicValue, true, true), new BigInteger(x, true, true), p), new BigInteger(secret, true, true));

        var pMinusOne = (p - 1).ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.False(ours.TryDeriveSharedSecret(pMinusOne, out _));
    }

    private static byte[] Build(PacketProtector protector, byte[] header, byte[] payload) =>
        [.. header, .. new byte[protector.IvSize], .. payload, .. new byte[protector.IcvSize]];
}
