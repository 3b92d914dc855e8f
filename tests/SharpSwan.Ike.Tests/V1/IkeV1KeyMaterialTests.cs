using System.Net;
using SharpSwan.Crypto;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Ike.V1.NatTraversal;

namespace SharpSwan.Ike.Tests.V1;

/// <summary>
/// RFC 2409 key material against known values. The expected octets were computed independently when these tests
/// were written, with python3's hmac/hashlib and the `cryptography` package's AES-CBC, straight from the formulas
/// of RFC 2409 §5, §5.5 and Appendix B and RFC 3947 §3.2 (script kept in the commit message of this test). Inputs:
/// PSK "secret-psk", Ni = 01..10, Nr = 21..30, g^xy = 32 x ab, CKY-I = 0102030405060708, CKY-R = 1112131415161718,
/// g^xi = 64 x 11, g^xr = 64 x 22, SAi_b = 0000000100000001, IDii_b = 01000000c0000201, IDir_b = 01000000c0000202.
/// </summary>
public sealed class IkeV1KeyMaterialTests
{
    private const ulong CookieI = 0x0102030405060708;
    private const ulong CookieR = 0x1112131415161718;
    private static readonly byte[] Psk = "secret-psk"u8.ToArray();
    private static readonly byte[] NonceI = Range(0x01, 16);
    private static readonly byte[] NonceR = Range(0x21, 16);
    private static readonly byte[] SharedSecret = IsakmpTestData.Filled(32, 0xAB);
    private static readonly byte[] PublicI = IsakmpTestData.Filled(64, 0x11);
    private static readonly byte[] PublicR = IsakmpTestData.Filled(64, 0x22);
    private static readonly byte[] SaBody = Convert.FromHexString("0000000100000001");

    public static TheoryData<Phase1HashAlgorithm, int, string[]> Vectors => new()
    {
        {
            Phase1HashAlgorithm.Sha1, 32,
            [
                "de8c1705d1f367ec38fa6b61ebe1a4ac4f5a8d7d", "b4f5ecb55b346313ad52d4264e8ee4cb3441ecbd",
                "698b3491b57ff7143686a52f9e979adffb688753", "a90f720ff43fdc320e9fd3c474f85976c0233b2c",
                "96844bc66f02200bf08ae53d2ce1d004306e2feb0051c851d42fda5a58792994",
                "8676f24dd4b9baad75b8c63d24c7159bf2d8525f", "d42143a0eea6f92663fce80046b651526d6e4768",
                "b52b6c5fae9b3431dab4d5da70ad7aec6e33c5cd",
            ]
        },
        {
            Phase1HashAlgorithm.Sha256, 16,
            [
                "449299eefd3fd169c61914d3379c3ebb6f944ffcf2f72b337caac39f12674c28", "5e02c4667cb3eb85bfb6d34ad195935ab9a21f09942b7aefa40c71b6f553cf37",
                "8e08859a5994b1f3bdfaf904aad62a0af4ba404916f3c164c272f32954e5aa23", "5b87c270d979b1b8a79f848f75f68cebaf29423de0e3de5c35f9143bf584346c",
                "5b87c270d979b1b8a79f848f75f68ceb",
                "ee57aedcbfc9d612374f5f6850d5f927c6b6cb58809df2a6a8856af3e174e3ce", "b8fd1098a2fbd35a40f8dd73254e3e6bca2bd042b0f516472e97769f00fe8ca5",
                "8db96126a4a559685c291572134f772148c14cee8a5db060d1a4748fef530288",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Psk_skeyid_family_cipher_key_and_phase1_hashes_match(Phase1HashAlgorithm hash, int keyLength, string[] expected)
    {
        using var keys = IsakmpSaKeys.DerivePsk(hash, Psk, NonceI, NonceR, SharedSecret, CookieI, CookieR, keyLength);

        Assert.Equal(expected[0], Hex(keys.Skeyid));
        Assert.Equal(expected[1], Hex(keys.SkeyidD));
        Assert.Equal(expected[2], Hex(keys.SkeyidA));
        Assert.Equal(expected[3], Hex(keys.SkeyidE));
        Assert.Equal(expected[4], Hex(keys.EncryptionKey));
        Assert.Equal(expected[5], Hex(keys.HashInitiator(PublicI, PublicR, CookieI, CookieR, SaBody, Convert.FromHexString("01000000c0000201"))));
        Assert.Equal(expected[6], Hex(keys.HashResponder(PublicI, PublicR, CookieI, CookieR, SaBody, Convert.FromHexString("01000000c0000202"))));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Signature_skeyid_is_keyed_with_the_nonces(Phase1HashAlgorithm hash, int keyLength, string[] expected)
    {
        using var keys = IsakmpSaKeys.DeriveSignature(hash, NonceI, NonceR, SharedSecret, CookieI, CookieR, keyLength);

        Assert.Equal(expected[7], Hex(keys.Skeyid));
    }

    [Theory]
    [InlineData(Phase1HashAlgorithm.Sha1, "4a5c0fe44a38baabc95ca8ad7862ac05", "5b1eae98e48522eec11d7eab465fc180a2fa34385ee280fa186020a04e7883f426213be5c52d125a61647b5c37727454", "af18f82738ffb5e34368d9a531b64bb8")]
    [InlineData(Phase1HashAlgorithm.Sha256, "4ee7fc72fe18c4a92f3a43772facd978", "40cd2c3e759b2321bb785b9b807249af7e2796809ab098bcbb89008c35fce0d7b9b8bd8af7f92d42823ebc7eda0b2dc9", "b4678f6fa4f2efbf8c5d80f0dc93a1d3")]
    public void Phase1_iv_cbc_chaining_and_phase2_iv_match(Phase1HashAlgorithm hash, string iv1, string ciphertext, string iv2)
    {
        int keyLength = hash == Phase1HashAlgorithm.Sha1 ? 32 : 16;
        using var keys = IsakmpSaKeys.DerivePsk(hash, Psk, NonceI, NonceR, SharedSecret, CookieI, CookieR, keyLength);
        using var cipher = new IsakmpCipher(keys.EncryptionKey);
        byte[] iv = IsakmpCipher.PhaseOneIv(hash, PublicI, PublicR);
        Assert.Equal(iv1, Hex(iv));

        byte[] sealedBody = cipher.Encrypt(Range(0, 40), iv);

        Assert.Equal(ciphertext, Hex(sealedBody));
        Assert.Equal(sealedBody[^16..], iv);
        Assert.Equal(iv2, Hex(IsakmpCipher.PhaseTwoIv(hash, iv, 0xDEADBEEF)));

        byte[] receiverIv = IsakmpCipher.PhaseOneIv(hash, PublicI, PublicR);
        Assert.True(cipher.TryDecrypt(sealedBody, receiverIv, out var plaintext));
        Assert.Equal([.. Range(0, 40), .. new byte[8]], plaintext);
        Assert.Equal(iv, receiverIv);
        Assert.False(cipher.TryDecrypt(sealedBody.AsSpan(0, 40), receiverIv, out _));
        Assert.Equal(iv, receiverIv);
    }

    [Theory]
    [InlineData(Phase1HashAlgorithm.Sha1, "7329be4b7081e2a1bf2dbd80e7531348c019b3a6", "1199282f6da13ccd8a5840da5a3dca79a58beee8", "5547c6653241941f92b2a55c3ac34aaf0e36840c")]
    [InlineData(Phase1HashAlgorithm.Sha256, "2d7b4e756d602e85e54fea6c3e000c335b23e36da369da8f134ac4795e0b5620", "62868737d6f189c7208698a8af3ca789584d467edb32cb5d9362bc4b0bdd7984", "11d3fc14e7cec33a887d3db96d82ccb25120c828c08c8952e38f57c75be75a1c")]
    public void Quick_mode_hashes_match(Phase1HashAlgorithm hash, string first, string second, string third)
    {
        using var keys = IsakmpSaKeys.DerivePsk(hash, Psk, NonceI, NonceR, SharedSecret, CookieI, CookieR, 16);
        byte[] payloads = Convert.FromHexString("0a00000c0102030405060708");

        Assert.Equal(first, Hex(QuickModeHashes.First(keys.Prf, keys.SkeyidA, 0xDEADBEEF, payloads)));
        Assert.Equal(second, Hex(QuickModeHashes.Second(keys.Prf, keys.SkeyidA, 0xDEADBEEF, NonceI, payloads)));
        Assert.Equal(third, Hex(QuickModeHashes.Third(keys.Prf, keys.SkeyidA, 0xDEADBEEF, NonceI, NonceR)));
    }

    [Theory]
    [InlineData(Phase1HashAlgorithm.Sha1,
        "0c81c36c38f26d06eaf5b794f99d8cabf6175018915c3cfb2e48ce510f1c7aaeaa15d9952108f82e1033c34112189782",
        "e7ff9f2acd5ed70e7b8b5d5ef2a867e925dee5dc7682aae36d1b14bf60f0096ee34e58d75342fe325bbf9ac540d00fd6")]
    [InlineData(Phase1HashAlgorithm.Sha256,
        "0a114c6964b75c473ee80c78d774dad1a651eae188553aec9297eb8c54ff11447254415413bf4ba174cf7bfa0407d383",
        "03686439cc2e38ffa542749dd569a86447b0d0d67fdec15ba987fd78643d9d95ca44c8e9880a2ed69d4ff44c21b13f0d")]
    public void Keymat_with_pfs_is_split_per_spi_into_encryption_then_integrity(Phase1HashAlgorithm hash, string inbound, string outbound)
    {
        using var keys = IsakmpSaKeys.DerivePsk(hash, Psk, NonceI, NonceR, SharedSecret, CookieI, CookieR, 16);
        var suite = new ChildSuite(EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, DiffieHellmanGroup.Modp2048);

        var esp = QuickModeKeys.Derive(keys.Prf, keys.SkeyidD, suite, IsakmpTestData.Filled(32, 0xCD), 0xC0000001, 0xC0000002, NonceI, NonceR);

        Assert.Equal(inbound, Hex([.. esp.InboundEncryption, .. esp.InboundIntegrity]));
        Assert.Equal(outbound, Hex([.. esp.OutboundEncryption, .. esp.OutboundIntegrity]));
        Assert.Equal(16, esp.InboundEncryption.Length);
    }

    [Theory]
    [InlineData(Phase1HashAlgorithm.Sha1, "d798d986143f878f70765e0e869c80bbc375f701")]
    [InlineData(Phase1HashAlgorithm.Sha256, "1f2143b5f4921e97f1d040b016b4443a97ba0383703aa02d511907f137b11a77")]
    public void Nat_discovery_hash_matches(Phase1HashAlgorithm hash, string expected)
    {
        Assert.Equal(expected, Hex(NatDiscoveryHash.Compute(hash, CookieI, CookieR, new IPEndPoint(IPAddress.Parse("192.0.2.1"), 500))));
    }

    private static byte[] Range(int start, int count) => Enumerable.Range(start, count).Select(i => (byte)i).ToArray();

    private static string Hex(byte[] data) => Convert.ToHexStringLower(data);
}
