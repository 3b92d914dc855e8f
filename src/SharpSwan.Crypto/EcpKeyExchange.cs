using System.Security.Cryptography;

namespace SharpSwan.Crypto;

/// <summary>ECDH over the NIST prime curves of RFC 5903 (groups 19, 20, 21), backed by .NET's ECDiffieHellman.</summary>
internal sealed class EcpKeyExchange : KeyExchange
{
    private readonly ECDiffieHellman _ecdh;
    private readonly ECCurve _curve;
    private readonly int _coordinateLength;
    private readonly byte[] _publicValue;

    public EcpKeyExchange(DiffieHellmanGroup group, ReadOnlySpan<byte> privateKey)
        : base(group)
    {
        _curve = group switch
        {
            DiffieHellmanGroup.Ecp256 => ECCurve.NamedCurves.nistP256,
            DiffieHellmanGroup.Ecp384 => ECCurve.NamedCurves.nistP384,
            _ => ECCurve.NamedCurves.nistP521,
        };
        _coordinateLength = PublicValueLength(group) / 2;

        if (privateKey.IsEmpty)
        {
            _ecdh = ECDiffieHellman.Create(_curve);
        }
        else
        {
            // The platform derives Q from D when only the private scalar is given.
            var scalar = PadLeft(privateKey, _coordinateLength);
            _ecdh = ECDiffieHellman.Create(new ECParameters { Curve = _curve, D = scalar });
            CryptographicOperations.ZeroMemory(scalar);
        }

        var point = _ecdh.ExportParameters(includePrivateParameters: false).Q;
        _publicValue = new byte[2 * _coordinateLength];
        PadLeft(point.X!, _coordinateLength).CopyTo(_publicValue, 0);
        PadLeft(point.Y!, _coordinateLength).CopyTo(_publicValue, _coordinateLength);
    }

    public override byte[] PublicValue => (byte[])_publicValue.Clone();

    private protected override bool TryDeriveCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        sharedSecret = [];
        var peerParameters = new ECParameters
        {
            Curve = _curve,
            Q = new ECPoint
            {
                X = peerPublicValue[.._coordinateLength].ToArray(),
                Y = peerPublicValue[_coordinateLength..].ToArray(),
            },
        };

        try
        {
            // Import validates the point: coordinates in range and on the curve (the identity has no affine form).
            using var peer = ECDiffieHellman.Create(peerParameters);
            using var peerKey = peer.PublicKey;
            var secret = _ecdh.DeriveRawSecretAgreement(peerKey);
            sharedSecret = PadLeft(secret, _coordinateLength);
            CryptographicOperations.ZeroMemory(secret);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private protected override void DisposeCore() => _ecdh.Dispose();
}
