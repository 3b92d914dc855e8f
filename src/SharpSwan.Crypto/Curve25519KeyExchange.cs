using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;

namespace SharpSwan.Crypto;

/// <summary>X25519 (RFC 7748) for IKEv2 group 31 (RFC 8031), backed by BouncyCastle since .NET has no X25519.</summary>
internal sealed class Curve25519KeyExchange : KeyExchange
{
    private const int KeyLength = 32;

    private readonly X25519PrivateKeyParameters _privateKey;
    private readonly byte[] _publicValue;

    public Curve25519KeyExchange(ReadOnlySpan<byte> privateKey)
        : base(DiffieHellmanGroup.Curve25519)
    {
        if (privateKey.Length != KeyLength)
        {
            throw new ArgumentException($"An X25519 private key is {KeyLength} bytes.", nameof(privateKey));
        }

        _privateKey = new X25519PrivateKeyParameters(privateKey.ToArray());
        _publicValue = _privateKey.GeneratePublicKey().GetEncoded();
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
        var agreement = new X25519Agreement();
        agreement.Init(_privateKey);
        try
        {
            agreement.CalculateAgreement(new X25519PublicKeyParameters(peerPublicValue.ToArray()), secret, 0);
        }
        catch (InvalidOperationException)
        {
            // BouncyCastle reports an all-zero result (a low-order peer point) this way.
            return false;
        }

        // RFC 8031 §2: an all-zero shared secret MUST be rejected; checked here too rather than trusting the library.
        if (secret.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            return false;
        }

        sharedSecret = secret;
        return true;
    }

    private protected override void DisposeCore()
    {
        // BouncyCastle keeps the scalar inside the parameters object; nothing of ours to wipe.
    }
}
