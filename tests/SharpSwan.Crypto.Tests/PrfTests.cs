using System.Security.Cryptography;
using System.Text;
using SharpSwan.Testing;

namespace SharpSwan.Crypto.Tests;

public sealed class PrfTests
{
    private static readonly byte[] Case1Key = Enumerable.Repeat((byte)0x0b, 20).ToArray();
    private static readonly byte[] Case1Data = Encoding.ASCII.GetBytes("Hi There");
    private static readonly byte[] Case2Key = Encoding.ASCII.GetBytes("Jefe");
    private static readonly byte[] Case2Data = Encoding.ASCII.GetBytes("what do ya want for nothing?");
    private static readonly byte[] Case6Key = Enumerable.Repeat((byte)0xaa, 131).ToArray();
    private static readonly byte[] Case6Data = Encoding.ASCII.GetBytes("Test Using Larger Than Block-Size Key - Hash Key First");

    public static TheoryData<PseudoRandomFunction, int, string> Rfc4231Vectors => new()
    {
        // RFC 4231 §4.2 (test case 1), §4.3 (test case 2), §4.7 (test case 6: key longer than the block).
        { PseudoRandomFunction.HmacSha256, 1, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
        { PseudoRandomFunction.HmacSha384, 1, "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6" },
        { PseudoRandomFunction.HmacSha512, 1, "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
        { PseudoRandomFunction.HmacSha256, 2, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
        { PseudoRandomFunction.HmacSha384, 2, "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649" },
        { PseudoRandomFunction.HmacSha512, 2, "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
        { PseudoRandomFunction.HmacSha256, 6, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
        { PseudoRandomFunction.HmacSha384, 6, "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952" },
        { PseudoRandomFunction.HmacSha512, 6, "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
        // RFC 2202 §3 test cases 1 and 2 for HMAC-SHA1.
        { PseudoRandomFunction.HmacSha1, 1, "b617318655057264e28bc0b6fb378c8ef146be00" },
        { PseudoRandomFunction.HmacSha1, 2, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
        // RFC 2202 §2 test case 2 for HMAC-MD5 (case 1 has a 16-byte key: Md5_matches_rfc2202_case_1).
        { PseudoRandomFunction.HmacMd5, 2, "750c783e6ab0b503eaa86e310a5db738" },
    };

    [Fact]
    public void Md5_matches_rfc2202_case_1()
    {
        var prf = Prf.Create(PseudoRandomFunction.HmacMd5);
        Assert.Equal(Hex.Parse("9294727a3638bb1c13f48ef8158bfc9d"), prf.Compute(Enumerable.Repeat((byte)0x0b, 16).ToArray(), Case1Data));
    }

    [Theory]
    [MemberData(nameof(Rfc4231Vectors))]
    public void Compute_matches_published_hmac_vectors(PseudoRandomFunction id, int testCase, string expectedHex)
    {
        var (key, data) = testCase switch
        {
            1 => (Case1Key, Case1Data),
            2 => (Case2Key, Case2Data),
            _ => (Case6Key, Case6Data),
        };
        var prf = Prf.Create(id);

        Assert.Equal(Hex.Parse(expectedHex), prf.Compute(key, data));

        var destination = new byte[prf.OutputSize + 5];
        prf.Compute(key, data, destination);
        Assert.Equal(Hex.Parse(expectedHex), destination[..prf.OutputSize]);
        Assert.All(destination[prf.OutputSize..], b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData(PseudoRandomFunction.HmacMd5, 16)]
    [InlineData(PseudoRandomFunction.HmacSha1, 20)]
    [InlineData(PseudoRandomFunction.HmacSha256, 32)]
    [InlineData(PseudoRandomFunction.HmacSha384, 48)]
    [InlineData(PseudoRandomFunction.HmacSha512, 64)]
    public void Sizes_follow_the_hash(PseudoRandomFunction id, int size)
    {
        var prf = Prf.Create(id);
        Assert.Equal(id, prf.Id);
        Assert.Equal(size, prf.OutputSize);
        Assert.Equal(size, prf.KeySize);
    }

    [Fact]
    public void Unsupported_prf_is_rejected()
    {
        Assert.False(Prf.IsSupported(PseudoRandomFunction.None));
        Assert.Throws<NotSupportedException>(() => Prf.Create((PseudoRandomFunction)4));
    }

    [Fact]
    public void Compute_rejects_a_short_destination()
    {
        var prf = Prf.Create(PseudoRandomFunction.HmacSha256);
        Assert.Throws<ArgumentException>(() => prf.Compute(Case1Key, Case1Data, new byte[31]));
    }

    [Theory]
    [InlineData(PseudoRandomFunction.HmacSha256, 70)]
    [InlineData(PseudoRandomFunction.HmacSha1, 41)]
    [InlineData(PseudoRandomFunction.HmacSha512, 64)]
    public void Expand_follows_the_rfc7296_construction(PseudoRandomFunction id, int length)
    {
        // Built here straight from HMAC: T1 = prf(K, S | 0x01), T2 = prf(K, T1 | S | 0x02), T3 = prf(K, T2 | S | 0x03).
        var key = Hex.Parse("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        var seed = Encoding.ASCII.GetBytes("Ni | Nr | SPIi | SPIr");
        var hash = id switch
        {
            PseudoRandomFunction.HmacSha1 => HashAlgorithmName.SHA1,
            PseudoRandomFunction.HmacSha256 => HashAlgorithmName.SHA256,
            _ => HashAlgorithmName.SHA512,
        };
        byte[] Hmac(byte[] data) => CryptographicOperations.HmacData(hash, key, data);
        var t1 = Hmac([.. seed, 0x01]);
        var t2 = Hmac([.. t1, .. seed, 0x02]);
        var t3 = Hmac([.. t2, .. seed, 0x03]);
        byte[] expected = [.. t1, .. t2, .. t3];

        var actual = Prf.Create(id).Expand(key, seed, length);

        Assert.Equal(expected[..length], actual);
    }

    [Fact]
    public void Expand_is_limited_to_255_blocks()
    {
        var prf = Prf.Create(PseudoRandomFunction.HmacSha256);
        Assert.Equal(255 * 32, prf.Expand([1], [2], 255 * 32).Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => prf.Expand([1], [2], (255 * 32) + 1));
        Assert.Empty(prf.Expand([1], [2], 0));
    }

    /// <summary>
    /// NIST CAVP SP 800-135 IKEv2 KDF vector (ikev2.zip, SHA-1 section, count 0): SKEYSEED, the IKE SA DKM, the
    /// CHILD_SA DKM with and without a new DH value, and the rekeyed SKEYSEED.
    /// </summary>
    [Fact]
    public void Ike_key_derivation_matches_the_nist_cavp_vector()
    {
        var ni = Hex.Parse("3651fef5c9c35e93");
        var nr = Hex.Parse("c09a8b90a3f04d59");
        var gir = Hex.Parse(
            "d084a30166a50fb7325c3960874a839449ef9741c2f4f947d0201dd8c1269273d79509f37e3ca3eb4fa2fe2a28254e28"
            + "9cd3f34dad4eb4df1a07685a4b8a94fa61e2491f7598b3ce65547ff133b3f63d1ac4175eaa695033f3cedb026a6873a3"
            + "6455172a8540b8a5d23a0143bed0390ee49b168269d75fffee9fb62be965993c");
        var girNew = Hex.Parse(
            "52f00ab174c25d5b7139ae5ff4e8e9eddee5992d2e36adf8a559ffd90dab1442e4fbe429d320c0f33552a17d1557fa41"
            + "ea70e8fb916c4fa27ed52b5f8ebd8461afa78f1159159a64055ac5f6319e29c28eae58cbc6847770f32c3fed1d047504"
            + "84f854790f95e9ec01bc5bc461f24966462e359511329305038e94deb6dd42c2");
        var spiI = Hex.Parse("8e5c3ae507221684");
        var spiR = Hex.Parse("b1f201bb155c3acd");
        var prf = Prf.Create(PseudoRandomFunction.HmacSha1);

        var skeyseed = prf.Compute([.. ni, .. nr], gir);
        Assert.Equal(Hex.Parse("cd2e8050137832245f1dbacc6e4f0a92f94d45d6"), skeyseed);

        var dkm = prf.Expand(skeyseed, [.. ni, .. nr, .. spiI, .. spiR], 132);
        Assert.Equal(
            Hex.Parse(
                "6f1b12cad3cbe097b35430356d869d54cddb0198ec859174d53ceb92dddedbe2436db69f60977c58fa63bbb667f8d369"
                + "20b109baae8f6c61a9ac49feda01843225d080ec5539d5881a25521ffb2a0a91874a9c0a27fcc2d717eb8963a9e3a89c"
                + "7ab264757284c28cf8c3ca40576f4220b052b1fb8e9ad60ba3c80557323331a8cbb89f20"),
            dkm);

        var skD = dkm[..prf.OutputSize];
        Assert.Equal(
            Hex.Parse(
                "4727dc0ef94eb326ce131cf282fb652faa638ad0ddae3786a11bcc0309876009f8c485de011ad962c5b1ca8a41ff8145"
                + "445749079c5686e26ffebbc342f06981f3da745e11ca0976424d1f8caec623d59dc7186deb20a27b411d1dcb70a36544"
                + "0bf7de905088b0692e8addc094e18d1939bdb67e89798ca6b239e2ccb81c2409dac0106c"),
            prf.Expand(skD, [.. ni, .. nr], 132));
        Assert.Equal(
            Hex.Parse(
                "b109c21ad4c0797768c1cec9e63554681e48f224bca7f23c20c4ea7041983451e9aa1d5408656c8a975ff1b9d9a12c75"
                + "ffeb64bdecb30174664cccb4e14f1c377b7f6d1525af77c7092aac3e47f917ebae8297fb5539d2008ce830823a09cc19"
                + "7361d4a289c72745f6ce9fefe812be5bf55b3200fbb82e41a4a40877d3fe106db909707b"),
            prf.Expand(skD, [.. girNew, .. ni, .. nr], 132));
        Assert.Equal(
            Hex.Parse("3b03bce748c96d5e8306918d2ff89b68f0648da3"),
            prf.Compute(skD, [.. girNew, .. ni, .. nr]));
    }
}
