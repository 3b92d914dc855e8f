using System.Security.Cryptography;

namespace SharpSwan.Crypto.Tests;

/// <summary>
/// The ECP key exchange (libcrypto's EC arithmetic called directly where available) against .NET's ECDiffieHellman on
/// random keys: the same public values and the same shared secrets, and a point off the curve refused the same way.
/// </summary>
public sealed class EcpKeyExchangeCrossCheckTests
{
    [Theory]
    [InlineData(DiffieHellmanGroup.Ecp256)]
    [InlineData(DiffieHellmanGroup.Ecp384)]
    [InlineData(DiffieHellmanGroup.Ecp521)]
    public void MatchesDotNetOnRandomKeys(DiffieHellmanGroup group)
    {
        var random = new SeededRandomSource(0x1D57);
        var coordinate = KeyExchange.PublicValueLength(group) / 2;
        for (var round = 0; round < 8; round++)
        {
            var ours = KeyExchange.DrawPrivateKey(group, random);
            var theirs = KeyExchange.DrawPrivateKey(group, random);
            using var exchange = KeyExchange.CreateFromPrivateKey(group, ours);
            using var reference = ECDiffieHellman.Create(new ECParameters { Curve = CurveOf(group), D = ours });
            using var peer = ECDiffieHellman.Create(new ECParameters { Curve = CurveOf(group), D = theirs });

            var q = reference.ExportParameters(includePrivateParameters: false).Q;
            Assert.Equal([.. Pad(q.X!, coordinate), .. Pad(q.Y!, coordinate)], exchange.PublicValue);

            var peerQ = peer.ExportParameters(includePrivateParameters: false).Q;
            Assert.True(exchange.TryDeriveSharedSecret([.. Pad(peerQ.X!, coordinate), .. Pad(peerQ.Y!, coordinate)], out var secret));
            using var peerPublic = peer.PublicKey;
            Assert.Equal(Pad(reference.DeriveRawSecretAgreement(peerPublic), coordinate), secret);
        }
    }

    [Theory]
    [InlineData(DiffieHellmanGroup.Ecp256)]
    [InlineData(DiffieHellmanGroup.Ecp384)]
    [InlineData(DiffieHellmanGroup.Ecp521)]
    public void RefusesPointsOffTheCurveAndOutOfRange(DiffieHellmanGroup group)
    {
        var random = new SeededRandomSource(7);
        using var exchange = KeyExchange.Create(group, random);
        var valid = exchange.PublicValue;

        var offCurve = (byte[])valid.Clone();
        offCurve[^1] ^= 1;
        Assert.False(exchange.TryDeriveSharedSecret(offCurve, out var secret));
        Assert.Empty(secret);

        var outOfRange = new byte[valid.Length];
        Array.Fill(outOfRange, (byte)0xFF);
        Assert.False(exchange.TryDeriveSharedSecret(outOfRange, out _));
        Assert.False(exchange.TryDeriveSharedSecret(new byte[valid.Length], out _));

        // The exchange still works after the refusals (nothing was left behind on libcrypto's error queue to trip it).
        using var peer = KeyExchange.Create(group, random);
        Assert.True(exchange.TryDeriveSharedSecret(peer.PublicValue, out var good));
        Assert.True(peer.TryDeriveSharedSecret(valid, out var other));
        Assert.Equal(good, other);
    }

    private static ECCurve CurveOf(DiffieHellmanGroup group) => group switch
    {
        DiffieHellmanGroup.Ecp256 => ECCurve.NamedCurves.nistP256,
        DiffieHellmanGroup.Ecp384 => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };

    private static byte[] Pad(byte[] value, int length)
    {
        var padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }
}
