using System.Security.Cryptography;
using SharpSwan.Crypto.Native;

namespace SharpSwan.Crypto;

/// <summary>
/// ECDH over the NIST prime curves of RFC 5903 (groups 19, 20, 21): through libcrypto directly where it is usable
/// (<see cref="OpenSslEcdh"/>: two scalar multiplications per exchange instead of four), else .NET's ECDiffieHellman.
/// </summary>
internal sealed class EcpKeyExchange : KeyExchange
{
    private readonly OpenSslEcdh? _native;
    private readonly ECDiffieHellman? _ecdh;
    private readonly ECCurve _curve;
    private readonly int _coordinateLength;
    private readonly byte[] _publicValue;

    // The group orders n, read once from the platform rather than typed in: private scalars must lie in [1, n-1].
    private static readonly Lazy<byte[]> OrderP256 = new(() => OrderOf(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<byte[]> OrderP384 = new(() => OrderOf(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<byte[]> OrderP521 = new(() => OrderOf(ECCurve.NamedCurves.nistP521));

    public EcpKeyExchange(DiffieHellmanGroup group, ReadOnlySpan<byte> privateKey)
        : base(group)
    {
        _curve = CurveOf(group);
        _coordinateLength = PublicValueLength(group) / 2;
        _native = OpenSslEcdh.TryCreate(CurveNid(group), _coordinateLength, privateKey);
        if (_native is not null)
        {
            _publicValue = _native.PublicValue;
            return;
        }

        // The platform derives Q from D when only the private scalar is given.
        var scalar = PadLeft(privateKey, _coordinateLength);
        _ecdh = ECDiffieHellman.Create(new ECParameters { Curve = _curve, D = scalar });
        CryptographicOperations.ZeroMemory(scalar);

        var point = _ecdh.ExportParameters(includePrivateParameters: false).Q;
        _publicValue = new byte[2 * _coordinateLength];
        PadLeft(point.X!, _coordinateLength).CopyTo(_publicValue, 0);
        PadLeft(point.Y!, _coordinateLength).CopyTo(_publicValue, _coordinateLength);
    }

    /// <summary>
    /// A fresh big-endian private scalar, uniform in [1, n-1]: random bytes cut to n's bit length, drawn again while
    /// out of range (rare: every NIST order is close to a power of two), so there is no modulo bias.
    /// </summary>
    public static byte[] GeneratePrivateKey(DiffieHellmanGroup group, IRandomSource random)
    {
        var order = group switch
        {
            DiffieHellmanGroup.Ecp256 => OrderP256.Value,
            DiffieHellmanGroup.Ecp384 => OrderP384.Value,
            _ => OrderP521.Value,
        };
        var topBits = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)order[0]);
        var topMask = (byte)((1 << topBits) - 1);
        var scalar = new byte[order.Length];
        do
        {
            random.Fill(scalar);
            scalar[0] &= topMask;
        }
        while (scalar.AsSpan().IndexOfAnyExcept((byte)0) < 0 || scalar.AsSpan().SequenceCompareTo(order) >= 0);

        return scalar;
    }

    // OpenSSL's NIDs for the three curves (prime256v1, secp384r1, secp521r1).
    private static int CurveNid(DiffieHellmanGroup group) => group switch
    {
        DiffieHellmanGroup.Ecp256 => 415,
        DiffieHellmanGroup.Ecp384 => 715,
        _ => 716,
    };

    private static ECCurve CurveOf(DiffieHellmanGroup group) => group switch
    {
        DiffieHellmanGroup.Ecp256 => ECCurve.NamedCurves.nistP256,
        DiffieHellmanGroup.Ecp384 => ECCurve.NamedCurves.nistP384,
        _ => ECCurve.NamedCurves.nistP521,
    };

    private static byte[] OrderOf(ECCurve curve)
    {
        using var probe = ECDiffieHellman.Create(curve);
        var order = probe.ExportExplicitParameters(includePrivateParameters: false).Curve.Order!;
        var firstNonZero = order.AsSpan().IndexOfAnyExcept((byte)0);
        return order[firstNonZero..];
    }

    public override byte[] PublicValue => (byte[])_publicValue.Clone();

    private protected override bool TryDeriveCore(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        if (_native is not null)
        {
            return _native.TryDerive(peerPublicValue, out sharedSecret);
        }

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
            var secret = _ecdh!.DeriveRawSecretAgreement(peerKey);
            sharedSecret = PadLeft(secret, _coordinateLength);
            CryptographicOperations.ZeroMemory(secret);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private protected override void DisposeCore()
    {
        _native?.Dispose();
        _ecdh?.Dispose();
    }
}
