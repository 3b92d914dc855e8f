using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace SharpSwan.Crypto.Certificates;

/// <summary>
/// ECDSA whose per-signature nonce k is derived from the private key and the message hash (RFC 6979) instead of being
/// drawn from a random generator: the same key signs the same octets to the same bytes, so a simulation with certificate
/// authentication replays byte for byte, and no weak or repeated random k can ever leak the key. Verifiers see ordinary
/// ECDSA signatures.
/// </summary>
internal static class DeterministicEcdsa
{
    /// <summary>Signs <paramref name="data"/> hashed with <paramref name="hash"/>; the signature is DER (RFC 3279).</summary>
    public static byte[] Sign(ECDsa key, ReadOnlySpan<byte> data, SignatureHash hash)
    {
        var parameters = key.ExportParameters(includePrivateParameters: true);
        try
        {
            var curve = ECNamedCurveTable.GetByOid(new DerObjectIdentifier(parameters.Curve.Oid.Value
                ?? throw new NotSupportedException("an ECDSA key on an unnamed curve")));
            var signer = new ECDsaSigner(new HMacDsaKCalculator(Digest(hash)));
            signer.Init(true, new ECPrivateKeyParameters(new BigInteger(1, parameters.D), new ECDomainParameters(curve)));
            var rs = signer.GenerateSignature(Hash(hash, data));
            return new DerSequence(new DerInteger(rs[0]), new DerInteger(rs[1])).GetEncoded();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    /// <summary>
    /// Signs <paramref name="digest"/> as it is (no hashing: IKEv1 signs its HASH_I/HASH_R), r and s each padded to the
    /// curve's field size and concatenated (IEEE P1363), as IKEv1 carries ECDSA signatures (RFC 4754).
    /// </summary>
    public static byte[] SignDigestFixed(ECDsa key, ReadOnlySpan<byte> digest)
    {
        var parameters = key.ExportParameters(includePrivateParameters: true);
        try
        {
            var curve = ECNamedCurveTable.GetByOid(new DerObjectIdentifier(parameters.Curve.Oid.Value
                ?? throw new NotSupportedException("an ECDSA key on an unnamed curve")));
            var hash = key.KeySize switch { <= 256 => SignatureHash.Sha256, <= 384 => SignatureHash.Sha384, _ => SignatureHash.Sha512 };
            var signer = new ECDsaSigner(new HMacDsaKCalculator(Digest(hash)));
            signer.Init(true, new ECPrivateKeyParameters(new BigInteger(1, parameters.D), new ECDomainParameters(curve)));
            var rs = signer.GenerateSignature(digest.ToArray());
            int size = (curve.Curve.FieldSize + 7) / 8;
            var signature = new byte[2 * size];
            rs[0].ToByteArrayUnsigned().CopyTo(signature.AsSpan(size - rs[0].ToByteArrayUnsigned().Length));
            rs[1].ToByteArrayUnsigned().CopyTo(signature.AsSpan(2 * size - rs[1].ToByteArrayUnsigned().Length));
            return signature;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
        }
    }

    private static IDigest Digest(SignatureHash hash) => hash switch
    {
        SignatureHash.Sha256 => new Sha256Digest(),
        SignatureHash.Sha384 => new Sha384Digest(),
        _ => new Sha512Digest(),
    };

    private static byte[] Hash(SignatureHash hash, ReadOnlySpan<byte> data) => hash switch
    {
        SignatureHash.Sha256 => SHA256.HashData(data),
        SignatureHash.Sha384 => SHA384.HashData(data),
        _ => SHA512.HashData(data),
    };
}
