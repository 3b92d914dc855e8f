using System.Security.Cryptography;
using SharpSwan.Crypto;

namespace SharpSwan.Ike.V1.Keys;

/// <summary>Maps an IKEv1 hash algorithm to its prf (HMAC) and its plain hash, which RFC 2409 both use.</summary>
public static class Phase1Hash
{
    public static bool IsSupported(Phase1HashAlgorithm hash) =>
        hash is Phase1HashAlgorithm.Sha1 or Phase1HashAlgorithm.Sha256 or Phase1HashAlgorithm.Sha384 or Phase1HashAlgorithm.Sha512;

    public static Prf PrfOf(Phase1HashAlgorithm hash) => Prf.Create(hash switch
    {
        Phase1HashAlgorithm.Sha1 => PseudoRandomFunction.HmacSha1,
        Phase1HashAlgorithm.Sha256 => PseudoRandomFunction.HmacSha256,
        Phase1HashAlgorithm.Sha384 => PseudoRandomFunction.HmacSha384,
        Phase1HashAlgorithm.Sha512 => PseudoRandomFunction.HmacSha512,
        _ => throw new NotSupportedException($"IKEv1 hash {hash} is not supported."),
    });

    /// <summary>hash(a | b), as used for the phase-1 IV, the phase-2 IVs and NAT-D.</summary>
    public static byte[] Digest(Phase1HashAlgorithm hash, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        using var digest = IncrementalHash.CreateHash(hash switch
        {
            Phase1HashAlgorithm.Sha1 => HashAlgorithmName.SHA1,
            Phase1HashAlgorithm.Sha256 => HashAlgorithmName.SHA256,
            Phase1HashAlgorithm.Sha384 => HashAlgorithmName.SHA384,
            Phase1HashAlgorithm.Sha512 => HashAlgorithmName.SHA512,
            _ => throw new NotSupportedException($"IKEv1 hash {hash} is not supported."),
        });
        digest.AppendData(first);
        digest.AppendData(second);
        return digest.GetHashAndReset();
    }
}
