using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Encodings;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Security;

namespace SharpSwan.Crypto.Certificates;

/// <summary>
/// Signatures over a ready digest, as IKEv1 makes them (RFC 2409 §5.1): the signed value is HASH_I or HASH_R itself.
/// RSA pads it with PKCS#1 v1.5 type 1 without a DigestInfo (the hash is a prf output, not a named hash), which .NET
/// does not offer, so BouncyCastle's PKCS#1 encoding does it; ECDSA signs it as the digest, r | s fixed-size (RFC 4754).
/// </summary>
public static class DigestSignature
{
    /// <summary>PKCS#1 v1.5 type 1 padding of <paramref name="digest"/> without a DigestInfo, then the private-key operation.</summary>
    public static byte[] SignRsa(RSA key, ReadOnlySpan<byte> digest)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parameters = key.ExportParameters(includePrivateParameters: true);
        try
        {
            var encoding = new Pkcs1Encoding(new RsaBlindedEngine());
            encoding.Init(true, DotNetUtilities.GetRsaKeyPair(parameters).Private);
            return encoding.ProcessBlock(digest.ToArray(), 0, digest.Length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(parameters.D);
            CryptographicOperations.ZeroMemory(parameters.P);
            CryptographicOperations.ZeroMemory(parameters.Q);
            CryptographicOperations.ZeroMemory(parameters.DP);
            CryptographicOperations.ZeroMemory(parameters.DQ);
            CryptographicOperations.ZeroMemory(parameters.InverseQ);
        }
    }

    /// <summary>Checks a digest signature with the certificate's public key (RSA or ECDSA); false with the reason otherwise.</summary>
    public static bool Verify(X509Certificate2 signer, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature, out string error)
    {
        ArgumentNullException.ThrowIfNull(signer);
        error = string.Empty;
        using (var ecdsa = signer.GetECDsaPublicKey())
        {
            if (ecdsa is not null)
            {
                if (ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                {
                    return true;
                }

                error = "the ECDSA signature does not verify";
                return false;
            }
        }

        using var rsa = signer.GetRSAPublicKey();
        if (rsa is null)
        {
            error = "the certificate's key is neither RSA nor ECDSA";
            return false;
        }

        try
        {
            var encoding = new Pkcs1Encoding(new RsaEngine());
            encoding.Init(false, DotNetUtilities.GetRsaPublicKey(rsa.ExportParameters(includePrivateParameters: false)));
            var recovered = encoding.ProcessBlock(signature.ToArray(), 0, signature.Length);
            if (CryptographicOperations.FixedTimeEquals(recovered, digest))
            {
                return true;
            }
        }
        catch (Org.BouncyCastle.Crypto.CryptoException)
        {
            // Wrong padding, or a value longer than the key: the same verdict as a wrong value (a peer's bytes never throw).
        }

        error = "the RSA signature does not verify";
        return false;
    }
}
