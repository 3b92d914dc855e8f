using System.Security.Cryptography;

namespace SharpSwan.Crypto.Certificates;

/// <summary>A decoded RFC 7427 AlgorithmIdentifier: which family, which hash (and, for PSS, the salt length).</summary>
internal readonly record struct SignatureAlgorithm(SignatureScheme Scheme, SignatureHash Hash, int SaltLength = 0)
{
    public HashAlgorithmName HashName => Hash switch
    {
        SignatureHash.Sha256 => HashAlgorithmName.SHA256,
        SignatureHash.Sha384 => HashAlgorithmName.SHA384,
        _ => HashAlgorithmName.SHA512,
    };

    public int HashLength => Hash switch
    {
        SignatureHash.Sha256 => 32,
        SignatureHash.Sha384 => 48,
        _ => 64,
    };

    public override string ToString() => Scheme switch
    {
        SignatureScheme.RsaPkcs1 => $"{HashName.Name}WithRSAEncryption",
        SignatureScheme.RsaPss => $"RSASSA-PSS with {HashName.Name}",
        _ => $"ecdsa-with-{HashName.Name}",
    };
}
