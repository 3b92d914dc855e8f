using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpSwan.Crypto.Certificates;

/// <summary>
/// RFC 7427 "Digital Signature" authentication (IKEv2 AUTH method 14): the SIGNATURE_HASH_ALGORITHMS notify and the
/// verification of AUTH data (1-octet length, DER AlgorithmIdentifier, signature) against a peer certificate.
/// </summary>
public static class DigitalSignatureAuth
{
    /// <summary>IKEv2 AUTH method number of RFC 7427 Digital Signature authentication.</summary>
    public const byte AuthMethod = 14;

    /// <summary>SIGNATURE_HASH_ALGORITHMS notify data announcing SHA-256, SHA-384 and SHA-512 (a fresh copy each call).</summary>
    public static byte[] SupportedHashesNotifyData => [0x00, 0x02, 0x00, 0x03, 0x00, 0x04];

    /// <summary>The hashes a peer announced that we also support, in its order, without duplicates; unknown ids are skipped.</summary>
    public static IReadOnlyList<SignatureHash> ParseHashesNotify(ReadOnlySpan<byte> data)
    {
        var hashes = new List<SignatureHash>();
        for (var offset = 0; offset + 2 <= data.Length; offset += 2)
        {
            var id = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            if (id is >= (ushort)SignatureHash.Sha256 and <= (ushort)SignatureHash.Sha512 && !hashes.Contains((SignatureHash)id))
            {
                hashes.Add((SignatureHash)id);
            }
        }

        return hashes;
    }

    /// <summary>Verifies RFC 7427 AUTH data made by <paramref name="signer"/>'s key over <paramref name="signedOctets"/>; never throws.</summary>
    public static bool Verify(X509Certificate2 signer, ReadOnlySpan<byte> authData, ReadOnlySpan<byte> signedOctets, out string error)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (!TryParseAuthData(authData, out var algorithm, out var signature, out error))
        {
            return false;
        }

        var who = CertificateIdentity.DescribeName(signer.SubjectName);
        try
        {
            if (algorithm.Scheme == SignatureScheme.Ecdsa)
            {
                using var ecdsa = signer.GetECDsaPublicKey();
                if (ecdsa is null)
                {
                    error = $"signature algorithm {algorithm} does not fit the {KeyKind(signer)} key of certificate {who}";
                    return false;
                }

                if (!ecdsa.VerifyData(signedOctets, signature, algorithm.HashName, DSASignatureFormat.Rfc3279DerSequence))
                {
                    error = $"{algorithm} signature does not verify with the public key of certificate {who}";
                    return false;
                }
            }
            else
            {
                using var rsa = signer.GetRSAPublicKey();
                if (rsa is null)
                {
                    error = $"signature algorithm {algorithm} does not fit the {KeyKind(signer)} key of certificate {who}";
                    return false;
                }

                var padding = algorithm.Scheme == SignatureScheme.RsaPss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                if (!rsa.VerifyData(signedOctets, signature, algorithm.HashName, padding))
                {
                    error = $"{algorithm} signature does not verify with the public key of certificate {who}";
                    return false;
                }
            }
        }
        catch (CryptographicException ex)
        {
            error = $"{algorithm} signature could not be checked against certificate {who}: {ex.Message}";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Names the signature algorithm of AUTH data for logs, e.g. "ecdsa-with-SHA384"; never throws.</summary>
    public static bool TryDescribeAlgorithm(ReadOnlySpan<byte> authData, out string description)
    {
        if (TryParseAuthData(authData, out var algorithm, out _, out var error))
        {
            description = algorithm.ToString();
            return true;
        }

        description = error;
        return false;
    }

    /// <summary>Builds AUTH data: the AlgorithmIdentifier's length in one octet, the AlgorithmIdentifier, the signature.</summary>
    internal static byte[] BuildAuthData(SignatureAlgorithm algorithm, ReadOnlySpan<byte> signature)
    {
        var identifier = AlgorithmIdentifierCodec.Encode(algorithm);
        var data = new byte[1 + identifier.Length + signature.Length];
        data[0] = checked((byte)identifier.Length);
        identifier.CopyTo(data, 1);
        signature.CopyTo(data.AsSpan(1 + identifier.Length));
        return data;
    }

    private static bool TryParseAuthData(ReadOnlySpan<byte> authData, out SignatureAlgorithm algorithm, out ReadOnlySpan<byte> signature, out string error)
    {
        algorithm = default;
        signature = default;
        if (authData.Length < 2)
        {
            error = $"AUTH data of {authData.Length} octets is too short for RFC 7427 signature authentication";
            return false;
        }

        var identifierLength = authData[0];
        if (identifierLength == 0 || 1 + identifierLength > authData.Length)
        {
            error = $"AUTH data announces a {identifierLength}-octet AlgorithmIdentifier but only {authData.Length - 1} octets follow";
            return false;
        }

        if (!AlgorithmIdentifierCodec.TryDecode(authData.Slice(1, identifierLength).ToArray(), out algorithm, out var reason))
        {
            error = $"AUTH data: {reason}";
            return false;
        }

        signature = authData[(1 + identifierLength)..];
        if (signature.IsEmpty)
        {
            error = $"AUTH data holds a {algorithm} AlgorithmIdentifier but no signature";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static string KeyKind(X509Certificate2 certificate) => certificate.GetKeyAlgorithm() switch
    {
        "1.2.840.113549.1.1.1" => "RSA",
        "1.2.840.10045.2.1" => "ECDSA",
        var other => other,
    };
}
