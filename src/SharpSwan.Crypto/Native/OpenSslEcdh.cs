using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace SharpSwan.Crypto.Native;

/// <summary>
/// ECDH on a NIST prime curve straight through libcrypto (issue 14 item 7: the responder's CPU per IKE setup). .NET's
/// ECDiffieHellman validates every imported key with a full check, a scalar multiplication by the group order, once for
/// our key built from its private scalar and once for the peer's point, on top of the two multiplications ECDH needs;
/// here our public value is one fixed-base multiplication and the secret is ECDH_compute_key on the peer's point, which
/// EC_POINT_oct2point has checked to lie on the curve (enough on these prime-order curves: no small subgroup to land in,
/// and the point at infinity has no uncompressed encoding). The private scalar lives only in the EC_KEY, which clears it
/// when freed.
/// </summary>
internal sealed unsafe partial class OpenSslEcdh : IDisposable
{
    private const int UncompressedForm = 4;

    private static readonly Lazy<bool> Available = new(Probe);

    private readonly int _coordinateLength;
    private nint _key;

    private OpenSslEcdh(nint key, int coordinateLength, byte[] publicValue)
    {
        _key = key;
        _coordinateLength = coordinateLength;
        PublicValue = publicValue;
    }

    /// <summary>x | y of our public point, each padded to the coordinate length (RFC 5903 §7).</summary>
    public byte[] PublicValue { get; }

    /// <summary>
    /// Our key from the big-endian scalar, or null when libcrypto is not usable here or refuses the scalar (the caller
    /// then takes .NET's implementation, which decides what such a scalar means).
    /// </summary>
    public static OpenSslEcdh? TryCreate(int curveNid, int coordinateLength, ReadOnlySpan<byte> scalar)
    {
        if (!Available.Value)
        {
            return null;
        }

        var key = EcKeyNewByCurveName(curveNid);
        if (key == 0)
        {
            ErrClearError();
            return null;
        }

        nint point = 0;
        var encoded = new byte[1 + (2 * coordinateLength)];
        try
        {
            fixed (byte* scalarBytes = scalar)
            {
                var number = BnBin2Bn(scalarBytes, scalar.Length, 0);
                if (number == 0)
                {
                    return Fail(key);
                }

                var set = EcKeySetPrivateKey(key, number);
                BnClearFree(number);
                if (set != 1)
                {
                    return Fail(key);
                }
            }

            // Q = d·G with the key's copy of d, which EC_KEY_set_private_key marked for constant-time use.
            var group = EcKeyGet0Group(key);
            point = EcPointNew(group);
            if (point == 0 || EcPointMul(group, point, EcKeyGet0PrivateKey(key), 0, 0, 0) != 1)
            {
                return Fail(key);
            }

            fixed (byte* output = encoded)
            {
                if (EcPointPoint2Oct(group, point, UncompressedForm, output, (nuint)encoded.Length, 0) != (nuint)encoded.Length)
                {
                    return Fail(key);
                }
            }

            return new OpenSslEcdh(key, coordinateLength, encoded[1..]);
        }
        finally
        {
            if (point != 0)
            {
                EcPointFree(point);
            }
        }
    }

    /// <summary>The x coordinate of d·P, padded; false when the peer's value is not a point on the curve.</summary>
    public bool TryDerive(ReadOnlySpan<byte> peerPublicValue, out byte[] sharedSecret)
    {
        ObjectDisposedException.ThrowIf(_key == 0, this);
        sharedSecret = [];
        if (peerPublicValue.Length != 2 * _coordinateLength)
        {
            return false;
        }

        var group = EcKeyGet0Group(_key);
        var peer = EcPointNew(group);
        if (peer == 0)
        {
            ErrClearError();
            return false;
        }

        var encoded = new byte[1 + peerPublicValue.Length];
        encoded[0] = UncompressedForm;
        peerPublicValue.CopyTo(encoded.AsSpan(1));
        var secret = new byte[_coordinateLength];
        try
        {
            fixed (byte* input = encoded)
            fixed (byte* output = secret)
            {
                if (EcPointOct2Point(group, peer, input, (nuint)encoded.Length, 0) != 1
                    || EcdhComputeKey(output, (nuint)secret.Length, peer, _key, 0) != secret.Length)
                {
                    ErrClearError();
                    CryptographicOperations.ZeroMemory(secret);
                    return false;
                }
            }

            sharedSecret = secret;
            return true;
        }
        finally
        {
            EcPointFree(peer);
        }
    }

    public void Dispose()
    {
        var key = _key;
        _key = 0;
        if (key != 0)
        {
            EcKeyFree(key);
        }
    }

    private static OpenSslEcdh? Fail(nint key)
    {
        ErrClearError();
        EcKeyFree(key);
        return null;
    }

    private static bool Probe()
    {
        if (!OpenSsl.IsAvailable || !NativeLibrary.TryLoad(LibCrypto.Library, out var library))
        {
            return false;
        }

        string[] required =
        [
            "EC_KEY_new_by_curve_name", "EC_KEY_free", "EC_KEY_set_private_key", "EC_KEY_get0_private_key", "EC_KEY_get0_group",
            "EC_POINT_new", "EC_POINT_free", "EC_POINT_mul", "EC_POINT_point2oct", "EC_POINT_oct2point", "ECDH_compute_key",
            "BN_bin2bn", "BN_clear_free",
        ];
        return required.All(name => NativeLibrary.TryGetExport(library, name, out _));
    }

    private static void ErrClearError() => LibCrypto.ErrClearError();

    [LibraryImport(LibCrypto.Library, EntryPoint = "EC_KEY_new_by_curve_name")]
    private static partial nint EcKeyNewByCurveName(int nid);

    [LibraryImport(LibCrypto.Library, EntryPoint = "EC_KEY_free")]
    private static partial void EcKeyFree(nint key);

    [LibraryImport(LibCrypto.Library, EntryPoint = "EC_KEY_set_private_key")]
    private static partial int EcKeySetPrivateKey(nint key, nint number);

    [LibraryImport(LibCrypto.Library, EntryPoint = "EC_KEY_get0_private_key")]
    private static partial nint EcKeyGet0PrivateKey(nint key);

    [LibraryImport(LibCrypto.Library, EntryPoint = "EC_KEY_get0_group")]
    private static partial nint EcKeyGet0Group(nint key);

    [LibraryImport(LibCrypto.Library, EntryPoint = "EC_POINT_new")]
    private static partial nint EcPointNew(nint group);

    [LibraryImport(LibCrypto.Library, EntryPoint = "EC_POINT_free")]
    private static partial void EcPointFree(nint point);

    [LibraryImport(LibCrypto.Library, EntryPoint = "EC_POINT_mul")]
    private static partial int EcPointMul(nint group, nint result, nint generatorScalar, nint point, nint pointScalar, nint context);

    [LibraryImport(LibCrypto.Library, EntryPoint = "EC_POINT_point2oct")]
    private static partial nuint EcPointPoint2Oct(nint group, nint point, int form, byte* output, nuint length, nint context);

    [LibraryImport(LibCrypto.Library, EntryPoint = "EC_POINT_oct2point")]
    private static partial int EcPointOct2Point(nint group, nint point, byte* input, nuint length, nint context);

    [LibraryImport(LibCrypto.Library, EntryPoint = "ECDH_compute_key")]
    private static partial int EcdhComputeKey(byte* output, nuint length, nint peerPoint, nint key, nint kdf);

    [LibraryImport(LibCrypto.Library, EntryPoint = "BN_bin2bn")]
    private static partial nint BnBin2Bn(byte* input, int length, nint result);

    [LibraryImport(LibCrypto.Library, EntryPoint = "BN_clear_free")]
    private static partial void BnClearFree(nint number);
}
