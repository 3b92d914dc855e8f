using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Parameters;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SharpSwan.Crypto;

/// <summary>Finite-field Diffie-Hellman over the RFC 3526 MODP groups 14 and 15.</summary>
internal sealed class ModpKeyExchange : KeyExchange
{
    private readonly DHParameters _parameters;
    private readonly BigInteger _pMinusOne;
    private readonly int _length;
    private readonly byte[] _publicValue;
    private BigInteger _privateValue;

    public ModpKeyExchange(DiffieHellmanGroup group, ReadOnlySpan<byte> privateValue)
        : base(group)
    {
        _parameters = group == DiffieHellmanGroup.Modp2048 ? DHStandardGroups.rfc3526_2048 : DHStandardGroups.rfc3526_3072;
        _pMinusOne = _parameters.P.Subtract(BigInteger.One);
        _length = PublicValueLength(group);
        _privateValue = privateValue.IsEmpty ? GeneratePrivateValue(group) : new BigInteger(1, privateValue.ToArray());

        var publicValue = _parameters.G.ModPow(_privateValue, _parameters.P);
        _publicValue = PadLeft(publicValue.ToByteArrayUnsigned(), _length);
    }

    public override byte[] PublicValue => (byte[])_publicValue.Clone();

    private static BigInteger GeneratePrivateValue(DiffieHellmanGroup group)
    {
        // A short exponent of twice the group's security strength is enough (RFC 3526 §8), and keeps ModPow cheap.
        var exponentBytes = group == DiffieHellmanGroup.Modp2048 ? 32 : 48;
        Span<byte> random = stackalloc byte[exponentBytes];
        BigInteger value;
        do
        {
            RandomNumberGenerator.Fill(random);
            value = new BigInteger(1, random.ToArray());
        }
        while (value.BitLength < 2);

        CryptographicOperations.ZeroMemory(random);
        return value;
    }

    private protected override bool TryDeriveCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        sharedSecret = [];
        var peer = new BigInteger(1, peerPublicValue.ToArray());

        // 0, 1 and p-1 would force the secret into a trivial subgroup; values >= p are not group elements.
        if (peer.CompareTo(BigInteger.One) <= 0 || peer.CompareTo(_pMinusOne) >= 0)
        {
            return false;
        }

        var secret = peer.ModPow(_privateValue, _parameters.P);
        if (secret.CompareTo(BigInteger.One) <= 0 || secret.Equals(_pMinusOne))
        {
            return false;
        }

        sharedSecret = PadLeft(secret.ToByteArrayUnsigned(), _length);
        return true;
    }

    private protected override void DisposeCore()
    {
        // BouncyCastle integers are immutable, so the best we can do is drop the reference.
        _privateValue = BigInteger.Zero;
    }
}
