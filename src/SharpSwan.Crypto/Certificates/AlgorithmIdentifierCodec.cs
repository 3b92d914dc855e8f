using System.Formats.Asn1;
using System.Numerics;

namespace SharpSwan.Crypto.Certificates;

/// <summary>
/// DER AlgorithmIdentifiers of the signature algorithms RFC 7427 AUTH data carries (encodings as in RFC 7427 Appendix A):
/// PKCS#1 v1.5 with SHA-2 (NULL parameters), RSASSA-PSS (RFC 4055 parameters) and ECDSA with SHA-2 (no parameters).
/// </summary>
internal static class AlgorithmIdentifierCodec
{
    private const string RsaPkcs1Sha256 = "1.2.840.113549.1.1.11";
    private const string RsaPkcs1Sha384 = "1.2.840.113549.1.1.12";
    private const string RsaPkcs1Sha512 = "1.2.840.113549.1.1.13";
    private const string RsaPss = "1.2.840.113549.1.1.10";
    private const string Mgf1 = "1.2.840.113549.1.1.8";
    private const string EcdsaSha256 = "1.2.840.10045.4.3.2";
    private const string EcdsaSha384 = "1.2.840.10045.4.3.3";
    private const string EcdsaSha512 = "1.2.840.10045.4.3.4";
    private const string Sha1 = "1.3.14.3.2.26";
    private const string Sha256 = "2.16.840.1.101.3.4.2.1";
    private const string Sha384 = "2.16.840.1.101.3.4.2.2";
    private const string Sha512 = "2.16.840.1.101.3.4.2.3";

    // RFC 4055 defaults of RSASSA-PSS-params when a field is absent.
    private const int DefaultPssSaltLength = 20;

    private static readonly Asn1Tag PssHashTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag PssMaskTag = new(TagClass.ContextSpecific, 1, isConstructed: true);
    private static readonly Asn1Tag PssSaltTag = new(TagClass.ContextSpecific, 2, isConstructed: true);
    private static readonly Asn1Tag PssTrailerTag = new(TagClass.ContextSpecific, 3, isConstructed: true);

    public static byte[] Encode(SignatureAlgorithm algorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            switch (algorithm.Scheme)
            {
                case SignatureScheme.RsaPkcs1:
                    writer.WriteObjectIdentifier(algorithm.Hash switch
                    {
                        SignatureHash.Sha256 => RsaPkcs1Sha256,
                        SignatureHash.Sha384 => RsaPkcs1Sha384,
                        _ => RsaPkcs1Sha512,
                    });
                    writer.WriteNull();
                    break;
                case SignatureScheme.Ecdsa:
                    // RFC 5758 §3.2: the ecdsa-with-SHA2 identifiers carry no parameters at all.
                    writer.WriteObjectIdentifier(algorithm.Hash switch
                    {
                        SignatureHash.Sha256 => EcdsaSha256,
                        SignatureHash.Sha384 => EcdsaSha384,
                        _ => EcdsaSha512,
                    });
                    break;
                default:
                    writer.WriteObjectIdentifier(RsaPss);
                    WritePssParameters(writer, algorithm);
                    break;
            }
        }

        return writer.Encode();
    }

    /// <summary>Decodes one DER AlgorithmIdentifier (nothing may follow it); never throws.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> encoded, out SignatureAlgorithm algorithm, out string error)
    {
        algorithm = default;
        try
        {
            var outer = new AsnReader(encoded, AsnEncodingRules.DER);
            var sequence = outer.ReadSequence();
            if (outer.HasData)
            {
                error = "unexpected octets after the AlgorithmIdentifier";
                return false;
            }

            var oid = sequence.ReadObjectIdentifier();
            switch (oid)
            {
                case RsaPkcs1Sha256 or RsaPkcs1Sha384 or RsaPkcs1Sha512:
                    // Parameters must be NULL; an absent parameter is tolerated, as many verifiers do.
                    if (sequence.HasData)
                    {
                        sequence.ReadNull();
                    }

                    algorithm = new SignatureAlgorithm(SignatureScheme.RsaPkcs1, oid switch
                    {
                        RsaPkcs1Sha256 => SignatureHash.Sha256,
                        RsaPkcs1Sha384 => SignatureHash.Sha384,
                        _ => SignatureHash.Sha512,
                    });
                    break;
                case EcdsaSha256 or EcdsaSha384 or EcdsaSha512:
                    algorithm = new SignatureAlgorithm(SignatureScheme.Ecdsa, oid switch
                    {
                        EcdsaSha256 => SignatureHash.Sha256,
                        EcdsaSha384 => SignatureHash.Sha384,
                        _ => SignatureHash.Sha512,
                    });
                    break;
                case RsaPss:
                    if (!TryReadPssParameters(sequence, out algorithm, out error))
                    {
                        return false;
                    }

                    break;
                default:
                    error = $"unsupported signature algorithm {oid}";
                    return false;
            }

            if (sequence.HasData)
            {
                error = $"unexpected parameters for {algorithm}";
                return false;
            }

            error = string.Empty;
            return true;
        }
        catch (AsnContentException ex)
        {
            error = $"malformed AlgorithmIdentifier ({ex.Message})";
            return false;
        }
    }

    private static void WritePssParameters(AsnWriter writer, SignatureAlgorithm algorithm)
    {
        var hashOid = HashOid(algorithm.Hash);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(PssHashTag))
            {
                WriteHashAlgorithm(writer, hashOid);
            }

            using (writer.PushSequence(PssMaskTag))
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(Mgf1);
                    WriteHashAlgorithm(writer, hashOid);
                }
            }

            using (writer.PushSequence(PssSaltTag))
            {
                writer.WriteInteger(algorithm.SaltLength);
            }
        }
    }

    private static void WriteHashAlgorithm(AsnWriter writer, string hashOid)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(hashOid);
            writer.WriteNull();
        }
    }

    private static bool TryReadPssParameters(AsnReader algorithmIdentifier, out SignatureAlgorithm algorithm, out string error)
    {
        algorithm = default;
        if (!algorithmIdentifier.HasData)
        {
            error = "RSASSA-PSS without parameters means SHA-1, which is not supported";
            return false;
        }

        var parameters = algorithmIdentifier.ReadSequence();
        var hash = Sha1;
        var maskHash = Sha1;
        var saltLength = DefaultPssSaltLength;
        if (parameters.HasData && parameters.PeekTag() == PssHashTag)
        {
            var field = parameters.ReadSequence(PssHashTag);
            hash = ReadHashAlgorithm(field);
            field.ThrowIfNotEmpty();
        }

        if (parameters.HasData && parameters.PeekTag() == PssMaskTag)
        {
            var field = parameters.ReadSequence(PssMaskTag);
            var mask = field.ReadSequence();
            field.ThrowIfNotEmpty();
            var maskOid = mask.ReadObjectIdentifier();
            if (maskOid != Mgf1)
            {
                error = $"RSASSA-PSS mask generation function {maskOid} is not supported (only MGF1)";
                return false;
            }

            maskHash = ReadHashAlgorithm(mask);
            mask.ThrowIfNotEmpty();
        }

        if (parameters.HasData && parameters.PeekTag() == PssSaltTag)
        {
            var field = parameters.ReadSequence(PssSaltTag);
            var salt = field.ReadInteger();
            field.ThrowIfNotEmpty();
            if (salt < BigInteger.Zero || salt > 1024)
            {
                error = $"RSASSA-PSS salt length {salt} is out of range";
                return false;
            }

            saltLength = (int)salt;
        }

        if (parameters.HasData && parameters.PeekTag() == PssTrailerTag)
        {
            var field = parameters.ReadSequence(PssTrailerTag);
            var trailer = field.ReadInteger();
            field.ThrowIfNotEmpty();
            if (trailer != BigInteger.One)
            {
                error = $"RSASSA-PSS trailer field {trailer} is not supported (only 1)";
                return false;
            }
        }

        if (parameters.HasData)
        {
            error = "unexpected field in RSASSA-PSS parameters";
            return false;
        }

        SignatureHash? signatureHash = hash switch
        {
            Sha256 => SignatureHash.Sha256,
            Sha384 => SignatureHash.Sha384,
            Sha512 => SignatureHash.Sha512,
            _ => null,
        };
        if (signatureHash is null)
        {
            error = hash == Sha1 ? "RSASSA-PSS with SHA-1 is not supported" : $"RSASSA-PSS hash {hash} is not supported";
            return false;
        }

        algorithm = new SignatureAlgorithm(SignatureScheme.RsaPss, signatureHash.Value, saltLength);
        if (maskHash != hash)
        {
            // .NET's PSS always uses MGF1 with the message hash.
            error = $"RSASSA-PSS with MGF1 hash {maskHash} different from the hash {hash} is not supported";
            return false;
        }

        if (saltLength != algorithm.HashLength)
        {
            // .NET verifies PSS with a salt as long as the hash, which is what strongSwan sends by default.
            error = $"RSASSA-PSS salt length {saltLength} is not supported (only {algorithm.HashLength}, the hash length)";
            return false;
        }

        error = string.Empty;
        return true;
    }

    private static string ReadHashAlgorithm(AsnReader reader)
    {
        var identifier = reader.ReadSequence();
        var oid = identifier.ReadObjectIdentifier();
        if (identifier.HasData)
        {
            identifier.ReadNull();
        }

        identifier.ThrowIfNotEmpty();
        return oid;
    }

    private static string HashOid(SignatureHash hash) => hash switch
    {
        SignatureHash.Sha256 => Sha256,
        SignatureHash.Sha384 => Sha384,
        _ => Sha512,
    };
}
