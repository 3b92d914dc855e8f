using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace SharpSwan.Crypto;

/// <summary>X25519 (RFC 7748) for IKEv2 group 31 (RFC 8031), backed by BouncyCastle since .NET has no X25519.</summary>
internal sealed class Curve25519KeyExchange : KeyExchange
{
    private const int KeyLength = 32;

    // Our own copy of the scalar, used through BouncyCastle's static RFC 7748 functions so that it can be wiped on Dispose
    // (a BouncyCastle key object would keep a private copy we cannot reach).
    private readonly byte[] _scalar;
    private readonly byte[] _publicValue;

    public Curve25519KeyExchange(ReadOnlySpan<byte> privateKey)
        : base(DiffieHellmanGroup.Curve25519)
    {
        if (privateKey.Length != KeyLength)
        {
            throw new ArgumentException($"An X25519 private key is {KeyLength} bytes.", nameof(privateKey));
        }

        _scalar = privateKey.ToArray();
        _publicValue = new byte[KeyLength];
        X25519.ScalarMultBase(_scalar, 0, _publicValue, 0);
    }

    /// <summary>32 random bytes; X25519 clamps them into a scalar itself (RFC 7748 §5), so every value is a key.</summary>
    public static byte[] GeneratePrivateKey(IRandomSource random)
    {
        var key = new byte[KeyLength];
        random.Fill(key);
        return key;
    }

    public override byte[] PublicValue => (byte[])_publicValue.Clone();

    private protected override bool TryDeriveCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        sharedSecret = [];
        var secret = new byte[KeyLength];
        X25519.ScalarMult(_scalar, 0, peerPublicValue.ToArray(), 0, secret, 0);

        // RFC 8031 §2: an all-zero shared secret (a low-order peer point) MUST be rejected.
        if (secret.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            return false;
        }

        sharedSecret = secret;
        return true;
    }

    /// <summary>The private scalar itself, for tests that check it is wiped.</summary>
    internal byte[] PrivateBuffer => _scalar;

    private protected override void DisposeCore() => CryptographicOperations.ZeroMemory(_scalar);
}
