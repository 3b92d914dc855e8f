using System.Numerics;
using SharpSwan.Testing;

namespace SharpSwan.Crypto.Tests;

public sealed class KeyExchangeTests
{
    // RFC 3526 §3, the 2048-bit MODP group's prime.
    private const string Modp2048Prime =
        "FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1 29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD"
        + "EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245 E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED"
        + "EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F"
        + "83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D 670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B"
        + "E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9 DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510"
        + "15728E5A 8AACAA68 FFFFFFFF FFFFFFFF";

    /// <summary>RFC 5903 §8.1-8.3: i, g^i = (gix, giy), r, g^r = (grx, gry) and the x coordinate of g^ir.</summary>
    public static TheoryData<DiffieHellmanGroup, string, string, string, string, string, string, string> Rfc5903Vectors => new()
    {
        {
            DiffieHellmanGroup.Ecp256,
            "c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433",
            "dad0b65394221cf9b051e1feca5787d098dfe637fc90b9ef945d0c3772581180",
            "5271a0461cdb8252d61f1c456fa3e59ab1f45b33accf5f58389e0577b8990bb3",
            "c6ef9c5d78ae012a011164acb397ce2088685d8f06bf9be0b283ab46476bee53",
            "d12dfb5289c8d4f81208b70270398c342296970a0bccb74c736fc7554494bf63",
            "56fbf3ca366cc23e8157854c13c58d6aac23f046ada30f8353e74f33039872ab",
            "d6840f6b42f6edafd13116e0e12565202fef8e9ece7dce03812464d04b9442de"
        },
        {
            DiffieHellmanGroup.Ecp384,
            "099f3c7034d4a2c699884d73a375a67f7624ef7c6b3c0f160647b67414dce655e35b538041e649ee3faef896783ab194",
            "667842d7d180ac2cde6f74f37551f55755c7645c20ef73e31634fe72b4c55ee6de3ac808acb4bdb4c88732aee95f41aa",
            "9482ed1fc0eeb9cafc4984625ccfc23f65032149e0e144ada024181535a0f38eeb9fcff3c2c947dae69b4c634573a81c",
            "41cb0779b4bdb85d47846725fbec3c9430fab46cc8dc5060855cc9bda0aa2942e0308312916b8ed2960e4bd55a7448fc",
            "e558dbef53eecde3d3fccfc1aea08a89a987475d12fd950d83cfa41732bc509d0d1ac43a0336def96fda41d0774a3571",
            "dcfbec7aacf3196472169e838430367f66eebe3c6e70c416dd5f0c68759dd1fff83fa40142209dff5eaad96db9e6386c",
            "11187331c279962d93d604243fd592cb9d0a926f422e47187521287e7156c5c4d603135569b9e9d09cf5d4a270f59746"
        },
        {
            DiffieHellmanGroup.Ecp521,
            "0037ade9319a89f4dabdb3ef411aaccca5123c61acab57b5393dce47608172a095aa85a30fe1c2952c6771d937ba9777f5957b2639bab072462f68c27a57382d4a52",
            "0015417e84dbf28c0ad3c278713349dc7df153c897a1891bd98bab4357c9ecbee1e3bf42e00b8e380aeae57c2d107564941885942af5a7f4601723c4195d176ced3e",
            "017cae20b6641d2eeb695786d8c946146239d099e18e1d5a514c739d7cb4a10ad8a788015ac405d7799dc75e7b7d5b6cf2261a6a7f1507438bf01beb6ca3926f9582",
            "0145ba99a847af43793fdd0e872e7cdfa16be30fdc780f97bccc3f078380201e9c677d600b343757a3bdbf2a3163e4c2f869cca7458aa4a4effc311f5cb151685eb9",
            "00d0b3975ac4b799f5bea16d5e13e9af971d5e9b984c9f39728b5e5739735a219b97c356436adc6e95bb0352f6be64a6c2912d4ef2d0433ced2b6171640012d9460f",
            "015c68226383956e3bd066e797b623c27ce0eac2f551a10c2c724d9852077b87220b6536c5c408a1d2aebb8e86d678ae49cb57091f4732296579ab44fcd17f0fc56a",
            "01144c7d79ae6956bc8edb8e7c787c4521cb086fa64407f97894e5e6b2d79b04d1427e73ca4baa240a34786859810c06b3c715a3a8cc3151f2bee417996d19f3ddea"
        },
    };

    [Theory]
    [MemberData(nameof(Rfc5903Vectors))]
    public void Ecp_groups_match_rfc5903(
        DiffieHellmanGroup group, string i, string gix, string giy, string r, string grx, string gry, string girx)
    {
        using var initiator = KeyExchange.CreateFromPrivateKey(group, Hex.Parse(i));
        using var responder = KeyExchange.CreateFromPrivateKey(group, Hex.Parse(r));

        // RFC 5903 §7: the KE payload carries x | y with no point-format octet.
        Assert.Equal(Hex.Parse(gix + giy), initiator.PublicValue);
        Assert.Equal(Hex.Parse(grx + gry), responder.PublicValue);

        Assert.True(initiator.TryDeriveSharedSecret(responder.PublicValue, out var initiatorSecret));
        Assert.True(responder.TryDeriveSharedSecret(initiator.PublicValue, out var responderSecret));
        Assert.Equal(Hex.Parse(girx), initiatorSecret);
        Assert.Equal(Hex.Parse(girx), responderSecret);
    }

    [Fact]
    public void Curve25519_matches_rfc7748()
    {
        // RFC 7748 §6.1.
        using var alice = KeyExchange.CreateFromPrivateKey(
            DiffieHellmanGroup.Curve25519, Hex.Parse("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
        using var bob = KeyExchange.CreateFromPrivateKey(
            DiffieHellmanGroup.Curve25519, Hex.Parse("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));

        Assert.Equal(Hex.Parse("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), alice.PublicValue);
        Assert.Equal(Hex.Parse("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), bob.PublicValue);

        var expected = Hex.Parse("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        Assert.True(alice.TryDeriveSharedSecret(bob.PublicValue, out var aliceSecret));
        Assert.True(bob.TryDeriveSharedSecret(alice.PublicValue, out var bobSecret));
        Assert.Equal(expected, aliceSecret);
        Assert.Equal(expected, bobSecret);
    }

    [Theory]
    [InlineData(DiffieHellmanGroup.Modp2048)]
    [InlineData(DiffieHellmanGroup.Modp3072)]
    [InlineData(DiffieHellmanGroup.Ecp256)]
    [InlineData(DiffieHellmanGroup.Ecp384)]
    [InlineData(DiffieHellmanGroup.Ecp521)]
    [InlineData(DiffieHellmanGroup.Curve25519)]
    public void Two_fresh_parties_agree(DiffieHellmanGroup group)
    {
        using var a = KeyExchange.Create(group, SystemRandomSource.Instance);
        using var b = KeyExchange.Create(group, SystemRandomSource.Instance);
        var length = KeyExchange.PublicValueLength(group);

        Assert.Equal(group, a.Group);
        Assert.Equal(length, a.PublicValue.Length);
        Assert.NotEqual(a.PublicValue, b.PublicValue);
        Assert.True(a.TryDeriveSharedSecret(b.PublicValue, out var secretA));
        Assert.True(b.TryDeriveSharedSecret(a.PublicValue, out var secretB));
        Assert.Equal(secretA, secretB);

        // MODP and X25519 secrets are as long as the public value; ECP secrets are one coordinate.
        var expectedSecretLength = group is DiffieHellmanGroup.Ecp256 or DiffieHellmanGroup.Ecp384 or DiffieHellmanGroup.Ecp521
            ? length / 2
            : length;
        Assert.Equal(expectedSecretLength, secretA.Length);
    }

    [Fact]
    public void Modp_public_value_is_g_to_the_x_padded_to_the_prime_length()
    {
        var p = new BigInteger(Hex.Parse(Modp2048Prime), isUnsigned: true, isBigEndian: true);
        using var exchange = KeyExchange.CreateFromPrivateKey(DiffieHellmanGroup.Modp2048, [0x03]);

        // 2^3 = 8: a tiny exponent shows the big-endian padding to 256 bytes.
        var expected = new byte[256];
        expected[^1] = 8;
        Assert.Equal(expected, exchange.PublicValue);

        using var other = KeyExchange.CreateFromPrivateKey(DiffieHellmanGroup.Modp2048, Hex.Parse("0123456789abcdef0123456789abcdef"));
        var otherPublic = BigInteger.ModPow(2, new BigInteger(Hex.Parse("0123456789abcdef0123456789abcdef"), true, true), p);
        Assert.Equal(otherPublic, new BigInteger(other.PublicValue, true, true));

        // Checked against System.Numerics with the prime as printed in RFC 3526.
        Assert.True(exchange.TryDeriveSharedSecret(other.PublicValue, out var secret));
        Assert.Equal(BigInteger.ModPow(otherPublic, 3, p), new BigInteger(secret, true, true));
        Assert.Equal(256, secret.Length);
    }

    [Fact]
    public void Modp3072_uses_an_rfc3526_shaped_prime()
    {
        // RFC 3526 primes are 2^n - 2^(n-64) - 1 + 2^64 * (...): the top and bottom 64 bits are all ones.
        using var exchange = KeyExchange.CreateFromPrivateKey(DiffieHellmanGroup.Modp3072, [0x02]);
        var expected = new byte[384];
        expected[^1] = 4;
        Assert.Equal(expected, exchange.PublicValue);

        var pMinusOne = Enumerable.Repeat((byte)0xff, 384).ToArray();
        pMinusOne[^1] = 0xfe;
        Assert.False(exchange.TryDeriveSharedSecret(pMinusOne, out _));
    }

    public static TheoryData<string> BadModpValues()
    {
        var p = new BigInteger(Hex.Parse(Modp2048Prime), isUnsigned: true, isBigEndian: true);
        static string Encode(BigInteger value)
        {
            var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
            var padded = new byte[256];
            bytes.CopyTo(padded, 256 - bytes.Length);
            return Convert.ToHexString(padded);
        }

        return new TheoryData<string>
        {
            Encode(BigInteger.Zero),
            Encode(BigInteger.One),
            Encode(p - 1),
            Encode(p),
            Encode(p + 12345),
            new string('F', 512),
        };
    }

    [Theory]
    [MemberData(nameof(BadModpValues))]
    public void Modp_rejects_degenerate_and_out_of_range_values(string peerHex)
    {
        using var exchange = KeyExchange.Create(DiffieHellmanGroup.Modp2048, SystemRandomSource.Instance);
        Assert.False(exchange.TryDeriveSharedSecret(Hex.Parse(peerHex), out var secret));
        Assert.Empty(secret);
    }

    [Theory]
    [InlineData(DiffieHellmanGroup.Modp2048)]
    [InlineData(DiffieHellmanGroup.Ecp256)]
    [InlineData(DiffieHellmanGroup.Ecp521)]
    [InlineData(DiffieHellmanGroup.Curve25519)]
    public void Wrong_length_is_rejected(DiffieHellmanGroup group)
    {
        using var exchange = KeyExchange.Create(group, SystemRandomSource.Instance);
        using var peer = KeyExchange.Create(group, SystemRandomSource.Instance);
        var value = peer.PublicValue;

        Assert.False(exchange.TryDeriveSharedSecret(value[..^1], out _));
        Assert.False(exchange.TryDeriveSharedSecret([.. value, 0], out _));
        Assert.False(exchange.TryDeriveSharedSecret([], out _));

        // The same public value is accepted once its length is right, so the failures above were about length.
        Assert.True(exchange.TryDeriveSharedSecret(value, out _));
    }

    [Theory]
    [InlineData(DiffieHellmanGroup.Ecp256)]
    [InlineData(DiffieHellmanGroup.Ecp384)]
    [InlineData(DiffieHellmanGroup.Ecp521)]
    public void Ecp_rejects_points_off_the_curve(DiffieHellmanGroup group)
    {
        using var exchange = KeyExchange.Create(group, SystemRandomSource.Instance);
        using var peer = KeyExchange.Create(group, SystemRandomSource.Instance);

        var offCurve = peer.PublicValue;
        offCurve[^1] ^= 0x01;
        Assert.False(exchange.TryDeriveSharedSecret(offCurve, out var secret));
        Assert.Empty(secret);

        // All zeros would be the identity, which has no affine encoding and is not on the curve.
        Assert.False(exchange.TryDeriveSharedSecret(new byte[KeyExchange.PublicValueLength(group)], out _));

        // Coordinates >= p are not field elements.
        Assert.False(exchange.TryDeriveSharedSecret(Enumerable.Repeat((byte)0xff, KeyExchange.PublicValueLength(group)).ToArray(), out _));
    }

    [Fact]
    public void Curve25519_rejects_low_order_points()
    {
        using var exchange = KeyExchange.Create(DiffieHellmanGroup.Curve25519, SystemRandomSource.Instance);

        // u = 0 and u = 1 are small-order points: the result would be all zeros (RFC 7748 §6.1, RFC 8031 §2).
        Assert.False(exchange.TryDeriveSharedSecret(new byte[32], out var secret));
        Assert.Empty(secret);
        var one = new byte[32];
        one[0] = 1;
        Assert.False(exchange.TryDeriveSharedSecret(one, out _));
    }

    [Fact]
    public void Group_metadata()
    {
        Assert.Equal(256, KeyExchange.PublicValueLength(DiffieHellmanGroup.Modp2048));
        Assert.Equal(384, KeyExchange.PublicValueLength(DiffieHellmanGroup.Modp3072));
        Assert.Equal(64, KeyExchange.PublicValueLength(DiffieHellmanGroup.Ecp256));
        Assert.Equal(96, KeyExchange.PublicValueLength(DiffieHellmanGroup.Ecp384));
        Assert.Equal(132, KeyExchange.PublicValueLength(DiffieHellmanGroup.Ecp521));
        Assert.Equal(32, KeyExchange.PublicValueLength(DiffieHellmanGroup.Curve25519));

        Assert.True(KeyExchange.IsSupported(DiffieHellmanGroup.Curve25519));
        Assert.False(KeyExchange.IsSupported(DiffieHellmanGroup.None));
        Assert.False(KeyExchange.IsSupported((DiffieHellmanGroup)16));
        Assert.Throws<NotSupportedException>(() => KeyExchange.Create((DiffieHellmanGroup)16, SystemRandomSource.Instance));
        Assert.Throws<NotSupportedException>(() => KeyExchange.PublicValueLength(DiffieHellmanGroup.None));
    }

    [Fact]
    public void PublicValue_is_a_copy()
    {
        using var exchange = KeyExchange.Create(DiffieHellmanGroup.Curve25519, SystemRandomSource.Instance);
        var value = exchange.PublicValue;
        value[0] ^= 0xff;
        Assert.NotEqual(value, exchange.PublicValue);
    }

    [Fact]
    public void Disposed_exchange_refuses_to_derive()
    {
        var exchange = KeyExchange.Create(DiffieHellmanGroup.Ecp256, SystemRandomSource.Instance);
        var peer = exchange.PublicValue;
        exchange.Dispose();
        Assert.Throws<ObjectDisposedException>(() => exchange.TryDeriveSharedSecret(peer, out _));
    }

    [Theory]
    [InlineData(DiffieHellmanGroup.Modp2048)]
    [InlineData(DiffieHellmanGroup.Modp3072)]
    [InlineData(DiffieHellmanGroup.Ecp256)]
    [InlineData(DiffieHellmanGroup.Ecp384)]
    [InlineData(DiffieHellmanGroup.Ecp521)]
    [InlineData(DiffieHellmanGroup.Curve25519)]
    public void The_private_key_comes_from_the_given_source(DiffieHellmanGroup group)
    {
        using var first = KeyExchange.Create(group, new SeededRandomSource(7));
        using var replay = KeyExchange.Create(group, new SeededRandomSource(7));
        using var other = KeyExchange.Create(group, new SeededRandomSource(8));

        Assert.Equal(first.PublicValue, replay.PublicValue);
        Assert.NotEqual(first.PublicValue, other.PublicValue);
        Assert.True(first.TryDeriveSharedSecret(other.PublicValue, out var secretA));
        Assert.True(other.TryDeriveSharedSecret(first.PublicValue, out var secretB));
        Assert.Equal(secretA, secretB);
    }

    [Theory]
    [InlineData(DiffieHellmanGroup.Modp2048, 32)]
    [InlineData(DiffieHellmanGroup.Curve25519, 32)]
    [InlineData(DiffieHellmanGroup.Ecp256, 32)]
    public void The_drawn_bytes_are_the_private_key(DiffieHellmanGroup group, int keyBytes)
    {
        var expectedKey = new byte[keyBytes];
        new SeededRandomSource(11).Fill(expectedKey);
        using var drawn = KeyExchange.Create(group, new SeededRandomSource(11));
        using var known = KeyExchange.CreateFromPrivateKey(group, expectedKey);
        Assert.Equal(known.PublicValue, drawn.PublicValue);
    }

    [Theory]
    [InlineData(DiffieHellmanGroup.Ecp256, 32)]
    [InlineData(DiffieHellmanGroup.Ecp384, 48)]
    [InlineData(DiffieHellmanGroup.Ecp521, 66)]
    public void Ecp_scalars_outside_one_to_n_minus_one_are_drawn_again(DiffieHellmanGroup group, int scalarBytes)
    {
        // All ones is at least n (for P-521 even after cutting to 521 bits), all zeros is 0; then the scalar 1.
        var one = new byte[scalarBytes];
        one[^1] = 1;
        var source = new ScriptedRandomSource([Enumerable.Repeat((byte)0xff, scalarBytes).ToArray(), new byte[scalarBytes], one]);

        using var exchange = KeyExchange.Create(group, source);
        using var generator = KeyExchange.CreateFromPrivateKey(group, [0x01]);

        Assert.Equal(3, source.Draws);
        Assert.Equal(generator.PublicValue, exchange.PublicValue);
    }
}
