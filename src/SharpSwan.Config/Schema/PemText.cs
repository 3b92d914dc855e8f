using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpSwan.Config;

/// <summary>
/// Checks on the PEM values of <c>config vpn certificate local</c>/<c>ca</c>: certificates that parse, and a private
/// key that parses and belongs to its certificate. Every method returns an error text instead of throwing.
/// </summary>
internal static class PemText
{
    private const string RsaOid = "1.2.840.113549.1.1.1";
    private const string EcOid = "1.2.840.10045.2.1";

    /// <summary>Line endings as the tokenizer gives them and no surrounding blank lines, so file and inline PEM compare alike.</summary>
    public static string Normalize(string pem) => pem.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();

    /// <summary>What an error message may show of a PEM value: its first line only (never the body of a key).</summary>
    public static string Abbreviate(string value)
    {
        var newline = value.IndexOf('\n', StringComparison.Ordinal);
        var first = newline < 0 ? value : value[..newline] + "...";
        return first.Length > 40 ? first[..40] + "..." : first;
    }

    /// <summary>Null when <paramref name="pem"/> holds one or more X.509 certificates and nothing else; else why not.</summary>
    public static string? CertificateError(string field, string pem)
    {
        var rest = pem.AsMemory();
        var count = 0;
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            if (label != "CERTIFICATE")
            {
                // A key pasted with the certificate would be printed by show: refuse it here.
                return $"{field} must hold only CERTIFICATE PEM blocks, not {label}";
            }

            count++;
            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest.Span[fields.Base64Data], der, out _))
            {
                return $"{field}: PEM block {count} is not valid base64";
            }

            try
            {
                using var certificate = X509CertificateLoader.LoadCertificate(der);
            }
            catch (CryptographicException e)
            {
                return $"{field}: PEM block {count} is not an X.509 certificate ({e.Message.TrimEnd('.')})";
            }

            rest = rest[fields.Location.End..];
        }

        return count == 0 ? $"{field} is not a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)" : null;
    }

    /// <summary>
    /// Null when <paramref name="keyPem"/> is an RSA or ECDSA private key (decrypted with <paramref name="password"/>
    /// when encrypted) whose public half is the one in the first certificate of <paramref name="certificatePem"/>.
    /// </summary>
    public static string? PrivateKeyError(string certificatePem, string keyPem, string? password, out bool certificateUnsupported)
    {
        certificateUnsupported = false;
        if (!PemEncoding.TryFind(keyPem, out var fields))
        {
            return "private-key is not a PEM private key (-----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----)";
        }

        var label = keyPem[fields.Label];
        if (label is not ("PRIVATE KEY" or "ENCRYPTED PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY"))
        {
            return $"private-key holds a {label} PEM block, not a private key";
        }

        var encrypted = label == "ENCRYPTED PRIVATE KEY";
        if (encrypted && password is null)
        {
            return "private-key is encrypted (ENCRYPTED PRIVATE KEY) and needs the password that decrypts it (set password)";
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem);
        }
        catch (CryptographicException)
        {
            // Already reported at the certificate line.
            return null;
        }

        using (certificate)
        {
            var algorithm = certificate.GetKeyAlgorithm();
            if (algorithm is not (RsaOid or EcOid))
            {
                certificateUnsupported = true;
                return $"the certificate's key algorithm {algorithm} is not supported (RSA or ECDSA only)";
            }

            using var rsa = Import(RSA.Create(), keyPem, encrypted ? password : null);
            using var ecdsa = Import(ECDsa.Create(), keyPem, encrypted ? password : null);
            if (rsa is null && ecdsa is null)
            {
                return encrypted
                    ? "the password does not decrypt private-key, or it is not an RSA or ECDSA key"
                    : "private-key is not a valid RSA or ECDSA private key";
            }

            var matches = algorithm == RsaOid
                ? rsa is not null && SameRsaKey(certificate, rsa)
                : ecdsa is not null && SameEcKey(certificate, ecdsa);
            return matches ? null : $"private-key does not match the certificate ({certificate.Subject})";
        }
    }

    private static T? Import<T>(T key, string pem, string? password)
        where T : AsymmetricAlgorithm
    {
        try
        {
            if (password is null)
            {
                key.ImportFromPem(pem);
            }
            else
            {
                key.ImportFromEncryptedPem(pem, password);
            }

            return key;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            key.Dispose();
            return null;
        }
    }

    private static bool SameRsaKey(X509Certificate2 certificate, RSA key)
    {
        using var publicKey = certificate.GetRSAPublicKey();
        if (publicKey is null)
        {
            return false;
        }

        var expected = publicKey.ExportParameters(false);
        var actual = key.ExportParameters(false);
        return expected.Modulus.AsSpan().SequenceEqual(actual.Modulus) && expected.Exponent.AsSpan().SequenceEqual(actual.Exponent);
    }

    private static bool SameEcKey(X509Certificate2 certificate, ECDsa key)
    {
        using var publicKey = certificate.GetECDsaPublicKey();
        if (publicKey is null)
        {
            return false;
        }

        var expected = publicKey.ExportParameters(false);
        var actual = key.ExportParameters(false);
        return expected.Q.X.AsSpan().SequenceEqual(actual.Q.X) && expected.Q.Y.AsSpan().SequenceEqual(actual.Q.Y);
    }
}
