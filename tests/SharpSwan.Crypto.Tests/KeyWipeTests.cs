namespace SharpSwan.Crypto.Tests;

/// <summary>Issue 11, item 7: a Diffie-Hellman private value is zeroed when its key exchange is disposed.</summary>
public sealed class KeyWipeTests
{
    [Theory]
    [InlineData(DiffieHellmanGroup.Modp2048)]
    [InlineData(DiffieHellmanGroup.Curve25519)]
    public void Disposing_a_key_exchange_zeroes_its_private_value(DiffieHellmanGroup group)
    {
        var exchange = KeyExchange.Create(group, new SeededRandomSource(7));
        using var peer = KeyExchange.Create(group, new SeededRandomSource(8));
        var buffer = exchange switch
        {
            ModpKeyExchange modp => modp.PrivateBuffer,
            Curve25519KeyExchange x25519 => x25519.PrivateBuffer,
            _ => throw new InvalidOperationException(group.ToString()),
        };
        Assert.True(exchange.TryDeriveSharedSecret(peer.PublicValue, out var secret));
        Assert.NotEmpty(secret);
        Assert.Contains(buffer, b => b != 0);

        exchange.Dispose();

        Assert.All(buffer, b => Assert.Equal(0, b));
        Assert.Throws<ObjectDisposedException>(() => exchange.TryDeriveSharedSecret(peer.PublicValue, out _));
    }
}
