using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpSwan.Crypto.Certificates;

/// <summary>
/// Makes CA and end-entity certificates for labs and tests (`./sharpswan pki`): X.509 v3 with the extensions strongSwan
/// and OpenSSL expect, random 16-octet serials, PEM output with unencrypted PKCS#8 keys.
/// Invalid arguments throw <see cref="ArgumentException"/> with a message naming the argument and value.
/// </summary>
public static class CertificateFactory
{
    private const int SerialLength = 16;

    /// <summary>A self-signed root CA: BasicConstraints CA=true, KeyUsage keyCertSign|cRLSign, SubjectKeyIdentifier.</summary>
    public static IssuedCertificate CreateAuthority(string subject, CertificateKeyAlgorithm algorithm, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var name = ParseSubject(subject);
        CheckValidity(notBefore, notAfter);
        using var key = CreateKey(algorithm);
        var request = NewRequest(name, key, HashFor(key));
        AddAuthorityExtensions(request);
        using var certificate = request.Create(name, SignerFor(key), notBefore, notAfter, NewSerial());
        return new IssuedCertificate(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>An intermediate CA signed by <paramref name="authority"/> (same extensions as a root, plus AuthorityKeyIdentifier).</summary>
    public static IssuedCertificate IssueAuthority(IssuedCertificate authority, string subject, CertificateKeyAlgorithm algorithm, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        IssueCore(authority, subject, [], algorithm, notBefore, notAfter, isAuthority: true);

    /// <summary>
    /// An end-entity certificate signed by <paramref name="authority"/>: KeyUsage digitalSignature, AuthorityKeyIdentifier,
    /// SubjectKeyIdentifier and SubjectAltNames from "dns:host", "email:user@domain", "ip:192.0.2.7".
    /// </summary>
    public static IssuedCertificate Issue(IssuedCertificate authority, string subject, IEnumerable<string> subjectAltNames, CertificateKeyAlgorithm algorithm, DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        IssueCore(authority, subject, subjectAltNames, algorithm, notBefore, notAfter, isAuthority: false);

    /// <summary>Parses "ecdsa-p256", "ecdsa-p384", "rsa-2048", "rsa-3072" (case-insensitive).</summary>
    public static bool TryParseKeyAlgorithm(string text, out CertificateKeyAlgorithm algorithm)
    {
        (var ok, algorithm) = text.Trim().ToLowerInvariant() switch
        {
            "ecdsa-p256" => (true, CertificateKeyAlgorithm.EcdsaP256),
            "ecdsa-p384" => (true, CertificateKeyAlgorithm.EcdsaP384),
            "rsa-2048" => (true, CertificateKeyAlgorithm.Rsa2048),
            "rsa-3072" => (true, CertificateKeyAlgorithm.Rsa3072),
            _ => (false, default),
        };
        return ok;
    }

    private static IssuedCertificate IssueCore(IssuedCertificate authority, string subject, IEnumerable<string> subjectAltNames, CertificateKeyAlgorithm algorithm, DateTimeOffset notBefore, DateTimeOffset notAfter, bool isAuthority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(subjectAltNames);
        var name = ParseSubject(subject);
        CheckValidity(notBefore, notAfter);
        var altNames = BuildAltNames(subjectAltNames);

        using var issuer = LoadAuthority(authority);
        var issuerName = CertificateIdentity.DescribeName(issuer.SubjectName);
        if (notBefore < issuer.NotBefore.ToUniversalTime() || notAfter > issuer.NotAfter.ToUniversalTime())
        {
            throw new ArgumentException(
                $"the validity {Format(notBefore)} .. {Format(notAfter)} must lie within that of the issuer {issuerName} ({Format(issuer.NotBefore)} .. {Format(issuer.NotAfter)})",
                nameof(notAfter));
        }

        using var issuerKey = (AsymmetricAlgorithm?)issuer.GetECDsaPrivateKey() ?? issuer.GetRSAPrivateKey()
            ?? throw new ArgumentException($"the issuer {issuerName} has no usable RSA or ECDSA private key", nameof(authority));
        using var key = CreateKey(algorithm);
        var request = NewRequest(name, key, HashFor(issuerKey));
        if (isAuthority)
        {
            AddAuthorityExtensions(request);
        }
        else
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            if (altNames is not null)
            {
                request.CertificateExtensions.Add(altNames);
            }
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var certificate = request.Create(issuer.SubjectName, SignerFor(issuerKey), notBefore, notAfter, NewSerial());
        return new IssuedCertificate(certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    /// <summary>
    /// A CRL (PEM <c>X509 CRL</c>) signed by <paramref name="authority"/> that lists <paramref name="revoked"/> (certificate
    /// PEMs), revoked at <paramref name="thisUpdate"/>; for <c>config vpn certificate crl</c> and the tests.
    /// </summary>
    public static string IssueRevocationList(IssuedCertificate authority, IEnumerable<string> revoked, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, long crlNumber = 1)
    {
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(revoked);
        using var issuer = LoadAuthority(authority);
        var builder = new CertificateRevocationListBuilder();
        foreach (var pem in revoked)
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            builder.AddEntry(certificate, thisUpdate, X509RevocationReason.KeyCompromise);
        }

        using var rsaKey = issuer.GetRSAPrivateKey();
        var der = builder.Build(issuer, crlNumber, nextUpdate, HashAlgorithmName.SHA256, rsaKey is null ? null : RSASignaturePadding.Pkcs1, thisUpdate);
        return PemEncoding.WriteString("X509 CRL", der) + "\n";
    }

    private static void AddAuthorityExtensions(CertificateRequest request)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
    }

    private static X509Certificate2 LoadAuthority(IssuedCertificate authority)
    {
        try
        {
            return X509Certificate2.CreateFromPem(authority.CertificatePem, authority.PrivateKeyPem);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"the issuing CA's certificate and key could not be loaded: {ex.Message}", nameof(authority), ex);
        }
    }

    private static X500DistinguishedName ParseSubject(string subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            throw new ArgumentException("the subject is empty; give a distinguished name such as \"CN=client1, O=Lab\"", nameof(subject));
        }

        X500DistinguishedName name;
        try
        {
            // Encoded in the order written, as strongSwan's pki and OpenSSL do: "CN=x, O=y" puts CN first.
            // (The one-argument constructor would reverse it, Windows style.)
            name = new X500DistinguishedName(subject, X500DistinguishedNameFlags.None);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException($"the subject \"{subject}\" is not a distinguished name such as \"CN=client1, O=Lab\" ({ex.Message})", nameof(subject), ex);
        }

        if (!name.EnumerateRelativeDistinguishedNames().Any())
        {
            throw new ArgumentException($"the subject \"{subject}\" holds no attribute; give e.g. \"CN=client1, O=Lab\"", nameof(subject));
        }

        return name;
    }

    private static X509Extension? BuildAltNames(IEnumerable<string> subjectAltNames)
    {
        var builder = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var entry in subjectAltNames)
        {
            var separator = entry.IndexOf(':', StringComparison.Ordinal);
            var kind = separator < 0 ? string.Empty : entry[..separator].Trim().ToLowerInvariant();
            var value = separator < 0 ? string.Empty : entry[(separator + 1)..].Trim();
            switch (kind)
            {
                case "dns" when IsHostName(value):
                    builder.AddDnsName(value);
                    break;
                case "email" when value.Count(c => c == '@') == 1 && !value.StartsWith('@') && !value.EndsWith('@') && !value.Any(char.IsWhiteSpace):
                    builder.AddEmailAddress(value);
                    break;
                case "ip" when TryParseAddress(value, out var address):
                    builder.AddIpAddress(address);
                    break;
                case "dns" or "email" or "ip":
                    throw new ArgumentException($"subject alternative name \"{entry}\": \"{value}\" is not a valid {kind} value", nameof(subjectAltNames));
                default:
                    throw new ArgumentException($"subject alternative name \"{entry}\": use dns:NAME, email:USER@DOMAIN or ip:ADDRESS", nameof(subjectAltNames));
            }

            any = true;
        }

        return any ? builder.Build(critical: false) : null;
    }

    // Strict: IPAddress.TryParse would also take legacy forms such as "1.2.3" (meaning 1.2.0.3).
    private static bool TryParseAddress(string value, out IPAddress address)
    {
        if (!IPAddress.TryParse(value, out address!))
        {
            return false;
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6
            || (address.AddressFamily == AddressFamily.InterNetwork && value.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit)));
    }

    private static bool IsHostName(string value) =>
        value.Length is > 0 and <= 253
        && value.Split('.').All(label => label.Length is > 0 and <= 63
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '*' or '_')
            && !label.StartsWith('-') && !label.EndsWith('-'));

    private static void CheckValidity(DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (notAfter <= notBefore)
        {
            throw new ArgumentException($"notAfter {Format(notAfter)} must be later than notBefore {Format(notBefore)}", nameof(notAfter));
        }
    }

    private static AsymmetricAlgorithm CreateKey(CertificateKeyAlgorithm algorithm) => algorithm switch
    {
        CertificateKeyAlgorithm.EcdsaP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        CertificateKeyAlgorithm.EcdsaP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        CertificateKeyAlgorithm.Rsa2048 => RSA.Create(2048),
        CertificateKeyAlgorithm.Rsa3072 => RSA.Create(3072),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown key algorithm"),
    };

    private static CertificateRequest NewRequest(X500DistinguishedName name, AsymmetricAlgorithm key, HashAlgorithmName hash) => key switch
    {
        ECDsa ecdsa => new CertificateRequest(name, ecdsa, hash),
        RSA rsa => new CertificateRequest(name, rsa, hash, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException("unsupported key", nameof(key)),
    };

    private static X509SignatureGenerator SignerFor(AsymmetricAlgorithm key) => key switch
    {
        ECDsa ecdsa => X509SignatureGenerator.CreateForECDsa(ecdsa),
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException("unsupported key", nameof(key)),
    };

    // The certificate signature's hash follows the signing key's strength: SHA-384 for P-384 and RSA-3072+, SHA-256 otherwise.
    private static HashAlgorithmName HashFor(AsymmetricAlgorithm signingKey) =>
        signingKey.KeySize >= 3072 || signingKey is ECDsa { KeySize: >= 384 } ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA256;

    private static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(SerialLength);

        // Positive and without a leading zero octet, so the DER INTEGER is exactly 16 octets.
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40);
        return serial;
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Format(DateTime time) => Format(new DateTimeOffset(time.ToUniversalTime()));
}
