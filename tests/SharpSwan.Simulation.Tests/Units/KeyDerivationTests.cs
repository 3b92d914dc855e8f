using System.Buffers.Binary;
using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Ike.Keys;

namespace SharpSwan.Simulation.Tests.Units;

/// <summary>
/// IkeSaKeys and ChildSaKeys against a from-scratch RFC 7296 computation (§2.13 prf+, §2.14 SKEYSEED and the seven
/// keys, §2.17 KEYMAT) written here with the HMAC primitives directly, and key sizes taken from the RFCs, not from the
/// code under test.
/// </summary>
public sealed class KeyDerivationTests
{
    private static readonly byte[] NonceI = Filled(32, 0x11);
    private static readonly byte[] NonceR = Filled(24, 0x22);
    private static readonly byte[] SharedSecret = Filled(48, 0x33);
    private const ulong SpiI = 0x0102030405060708;
    private const ulong SpiR = 0x1112131415161718;

    /// <summary>prf bytes, integrity key bytes, encryption key material bytes (RFC 4868 HMAC keys, RFC 4106/7634 salts).</summary>
    public static TheoryData<string, int, int, int> IkeSuites => new()
    {
        { "aes256gcm-prfsha384", 48, 0, 32 + 4 },
        { "aes128-sha256", 32, 32, 16 },
        { "aes256-sha512", 64, 64, 32 },
        { "chacha20poly1305-prfsha256", 32, 0, 32 + 4 },
    };

    [Theory]
    [MemberData(nameof(IkeSuites))]
    public void IKE_SA_keys_are_the_RFC_7296_prf_plus_stream_cut_in_the_order_d_ai_ar_ei_er_pi_pr(string proposal, int prfBytes, int integBytes, int encBytes)
    {
        var suite = Suite(proposal);
        var keys = IkeSaKeys.Derive(suite, SharedSecret, NonceI, NonceR, SpiI, SpiR, []);

        var hash = Hash(suite.Prf);
        var skeyseed = Hmac(hash, [.. NonceI, .. NonceR], SharedSecret);
        var total = (3 * prfBytes) + (2 * integBytes) + (2 * encBytes);
        var stream = PrfPlus(hash, skeyseed, [.. NonceI, .. NonceR, .. Spi(SpiI), .. Spi(SpiR)], total);
        AssertSplit(stream, [(keys.SkD, prfBytes), (keys.SkAi, integBytes), (keys.SkAr, integBytes), (keys.SkEi, encBytes), (keys.SkEr, encBytes), (keys.SkPi, prfBytes), (keys.SkPr, prfBytes)]);
    }

    [Fact]
    public void A_rekeyed_IKE_SA_seeds_from_the_old_SK_d_with_the_new_secret_and_nonces()
    {
        var suite = Suite("aes128-sha256");
        var oldSkD = Filled(32, 0x44);
        var keys = IkeSaKeys.Derive(suite, SharedSecret, NonceI, NonceR, SpiI, SpiR, oldSkD);

        // RFC 7296 §2.18: SKEYSEED = prf(SK_d (old), g^ir (new) | Ni | Nr).
        var skeyseed = Hmac(HashAlgorithmName.SHA256, oldSkD, [.. SharedSecret, .. NonceI, .. NonceR]);
        var stream = PrfPlus(HashAlgorithmName.SHA256, skeyseed, [.. NonceI, .. NonceR, .. Spi(SpiI), .. Spi(SpiR)], (3 * 32) + (2 * 32) + (2 * 16));
        AssertSplit(stream, [(keys.SkD, 32), (keys.SkAi, 32), (keys.SkAr, 32), (keys.SkEi, 16), (keys.SkEr, 16), (keys.SkPi, 32), (keys.SkPr, 32)]);
        Assert.NotEqual(IkeSaKeys.Derive(suite, SharedSecret, NonceI, NonceR, SpiI, SpiR, []).SkD, keys.SkD);
    }

    [Theory]
    [InlineData(EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, 36, 0)]
    [InlineData(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, 16, 32)]
    [InlineData(EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, 36, 0)]
    [InlineData(EncryptionAlgorithm.AesCbc, 256, IntegrityAlgorithm.HmacSha1_96, 32, 20)]
    public void Child_SA_keys_are_KEYMAT_cut_as_encryption_then_integrity_initiator_to_responder_first(
        EncryptionAlgorithm encryption, int keyBits, IntegrityAlgorithm integrity, int encBytes, int integBytes)
    {
        var skD = Filled(48, 0x55);
        var suite = new ChildSuite(encryption, keyBits, integrity, DiffieHellmanGroup.None);
        foreach (var secret in new[] { Array.Empty<byte>(), SharedSecret })
        {
            // RFC 7296 §2.17: KEYMAT = prf+(SK_d, Ni | Nr), or with PFS prf+(SK_d, g^ir (new) | Ni | Nr).
            var keys = ChildSaKeys.Derive(PseudoRandomFunction.HmacSha384, skD, suite, secret, NonceI, NonceR);
            var stream = PrfPlus(HashAlgorithmName.SHA384, skD, [.. secret, .. NonceI, .. NonceR], 2 * (encBytes + integBytes));
            AssertSplit(stream, [
                (keys.EncryptionInitiatorToResponder, encBytes),
                (keys.IntegrityInitiatorToResponder, integBytes),
                (keys.EncryptionResponderToInitiator, encBytes),
                (keys.IntegrityResponderToInitiator, integBytes)]);
        }
    }

    [Fact]
    public void Key_objects_never_print_their_keys()
    {
        var keys = IkeSaKeys.Derive(Suite("aes128-sha256"), SharedSecret, NonceI, NonceR, SpiI, SpiR, []);
        Assert.DoesNotContain(Convert.ToHexString(keys.SkD), keys.ToString() ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("IkeSaKeys(hidden)", keys.ToString());
    }

    private static void AssertSplit(byte[] stream, (byte[] Key, int Length)[] parts)
    {
        var offset = 0;
        foreach (var (key, length) in parts)
        {
            Assert.Equal(length, key.Length);
            Assert.Equal(stream.AsSpan(offset, length).ToArray(), key);
            offset += length;
        }

        Assert.Equal(stream.Length, offset);
    }

    /// <summary>RFC 7296 §2.13: T1 = prf(K, S | 0x01), Tn = prf(K, Tn-1 | S | n); prf+ = T1 | T2 | ...</summary>
    private static byte[] PrfPlus(HashAlgorithmName hash, byte[] key, byte[] seed, int length)
    {
        var output = new List<byte>();
        byte[] previous = [];
        for (byte n = 1; output.Count < length; n++)
        {
            previous = Hmac(hash, key, [.. previous, .. seed, n]);
            output.AddRange(previous);
        }

        return output.Take(length).ToArray();
    }

    private static byte[] Hmac(HashAlgorithmName hash, byte[] key, byte[] data)
    {
        using var hmac = IncrementalHash.CreateHMAC(hash, key);
        hmac.AppendData(data);
        return hmac.GetHashAndReset();
    }

    private static HashAlgorithmName Hash(PseudoRandomFunction prf) => prf switch
    {
        PseudoRandomFunction.HmacSha256 => HashAlgorithmName.SHA256,
        PseudoRandomFunction.HmacSha384 => HashAlgorithmName.SHA384,
        PseudoRandomFunction.HmacSha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA1,
    };

    private static IkeSuite Suite(string name)
    {
        var proposal = SharpSwan.Config.IkeProposal.Parse(name);
        return new IkeSuite(proposal.Encryption, proposal.KeyBits, proposal.Integrity, proposal.Prf, DiffieHellmanGroup.Modp2048);
    }

    private static byte[] Spi(ulong spi)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, spi);
        return bytes;
    }

    private static byte[] Filled(int length, byte start) => Enumerable.Range(0, length).Select(i => (byte)(start + i)).ToArray();
}
