using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SharpSwan.Crypto;

/// <summary>
/// Finite-field Diffie-Hellman over the MODP groups: 1 and 2 (RFC 2409 §6), 5, 14 and 15 (RFC 3526), with
/// BouncyCastle's copies of the published primes.
/// </summary>
internal sealed class ModpKeyExchange : KeyExchange
{
    private readonly DHParameters _parameters;
    private readonly BigInteger _pMinusOne;
    private readonly int _length;
    private readonly byte[] _publicValue;

    // The exponent lives in a buffer of ours, wiped on Dispose. BouncyCastle integers are immutable, so the ones built from
    // it for each ModPow cannot be wiped; they are dropped at once and never kept.
    private readonly byte[] _privateValue;

    public ModpKeyExchange(DiffieHellmanGroup group, ReadOnlySpan<byte> privateValue)
        : base(group)
    {
        _parameters = Parameters(group);
        _pMinusOne = _parameters.P.Subtract(BigInteger.One);
        _length = PublicValueLength(group);
        _privateValue = privateValue.ToArray();

        var publicValue = _parameters.G.ModPow(new BigInteger(1, _privateValue), _parameters.P);
        _publicValue = PadLeft(publicValue.ToByteArrayUnsigned(), _length);
    }

    public override byte[] PublicValue => (byte[])_publicValue.Clone();

    /// <summary>A fresh big-endian private exponent drawn from <paramref name="random"/>.</summary>
    public static byte[] GeneratePrivateValue(DiffieHellmanGroup group, IRandomSource random)
    {
        // A short exponent of twice the group's security strength is enough (RFC 3526 §8), and keeps ModPow cheap.
        // Groups 1, 2 and 5 are weaker than a 256-bit exponent anyway; the exponent stays shorter than their primes.
        var exponent = new byte[group == DiffieHellmanGroup.Modp3072 ? 48 : 32];
        do
        {
            random.Fill(exponent);
        }
        while (exponent.AsSpan(0, exponent.Length - 1).IndexOfAnyExcept((byte)0) < 0 && exponent[^1] < 2);

        return exponent;
    }

    public static bool IsModp(DiffieHellmanGroup group) => group is DiffieHellmanGroup.Modp768 or DiffieHellmanGroup.Modp1024
        or DiffieHellmanGroup.Modp1536 or DiffieHellmanGroup.Modp2048 or DiffieHellmanGroup.Modp3072;

    private static DHParameters Parameters(DiffieHellmanGroup group) => group switch
    {
        DiffieHellmanGroup.Modp768 => DHStandardGroups.rfc2409_768,
        DiffieHellmanGroup.Modp1024 => DHStandardGroups.rfc2409_1024,
        DiffieHellmanGroup.Modp1536 => DHStandardGroups.rfc3526_1536,
        DiffieHellmanGroup.Modp2048 => DHStandardGroups.rfc3526_2048,
        DiffieHellmanGroup.Modp3072 => DHStandardGroups.rfc3526_3072,
        _ => throw new NotSupportedException($"{group} is not a MODP group."),
    };

    private protected override bool TryDeriveCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        sharedSecret = [];
        var peer = new BigInteger(1, peerPublicValue.ToArray());

        // 0, 1 and p-1 would force the secret into a trivial subgroup; values >= p are not group elements.
        if (peer.CompareTo(BigInteger.One) <= 0 || peer.CompareTo(_pMinusOne) >= 0)
        {
            return false;
        }

        var secret = peer.ModPow(new BigInteger(1, _privateValue), _parameters.P);
        if (secret.CompareTo(BigInteger.One) <= 0 || secret.Equals(_pMinusOne))
        {
            return false;
        }

        sharedSecret = PadLeft(secret.ToByteArrayUnsigned(), _length);
        return true;
    }

    /// <summary>The private exponent itself, for tests that check it is wiped.</summary>
    internal byte[] PrivateBuffer => _privateValue;

    private protected override void DisposeCore() => CryptographicOperations.ZeroMemory(_privateValue);
}
