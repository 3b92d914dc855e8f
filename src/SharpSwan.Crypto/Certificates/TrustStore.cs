using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpSwan.Crypto.Certificates;

/// <summary>
/// The configured CA certificates (`config vpn certificate ca`) and chain validation of peer certificates against
/// exactly them: no system roots, validity judged at the time the caller passes, revocation only through the configured
/// CRLs (`config vpn certificate crl`; nothing is fetched), and a leaf whose keyUsage allows digitalSignature.
/// </summary>
public sealed class TrustStore : IDisposable
{
    /// <summary>Chains longer than this (leaf and root included) are refused, like a path length limit.</summary>
    public const int DefaultMaxChainLength = 7;

    private readonly List<X509Certificate2> _authorities;

    public TrustStore(IEnumerable<X509Certificate2> authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);

        // Own copies: the store disposes them, the caller keeps its own objects.
        _authorities = authorities.Select(a => X509CertificateLoader.LoadCertificate(a.RawData)).ToList();
        AuthorityKeyHashes = _authorities.Select(a => SHA1.HashData(a.PublicKey.ExportSubjectPublicKeyInfo())).ToList();
    }

    /// <summary>The trusted CA certificates.</summary>
    public IReadOnlyList<X509Certificate2> Authorities => _authorities;

    /// <summary>SHA-1 of each CA's SubjectPublicKeyInfo, in order: the Certification Authority field of CERTREQ (RFC 7296 §3.7).</summary>
    public IReadOnlyList<byte[]> AuthorityKeyHashes { get; }

    /// <summary>Longest chain accepted, leaf and trusted root included.</summary>
    public int MaxChainLength { get; init; } = DefaultMaxChainLength;

    /// <summary>
    /// The configured CRLs. A certificate is revoked when a CRL its issuer signed lists its serial number; a CRL past its
    /// nextUpdate still counts (a revoked certificate stays revoked), and an issuer without a CRL is not checked (FortiOS's
    /// defaults: <c>crl-verification expiry ignore</c>, <c>leaf-crl-absence ignore</c>).
    /// </summary>
    public IReadOnlyList<RevocationList> RevocationLists { get; init; } = [];

    /// <summary>Loads every CERTIFICATE block of every PEM text; fails with a reason naming the offending entry.</summary>
    public static bool TryFromPem(IEnumerable<string> pems, out TrustStore? store, out string error)
    {
        ArgumentNullException.ThrowIfNull(pems);
        store = null;
        var certificates = new List<X509Certificate2>();
        try
        {
            var index = 0;
            foreach (var pem in pems)
            {
                index++;
                if (!PemCertificates.TryRead(pem, certificates, out var reason))
                {
                    error = $"CA certificate {index}: {reason}";
                    return false;
                }
            }

            if (certificates.Count == 0)
            {
                error = "no CA certificate given";
                return false;
            }

            store = new TrustStore(certificates);
            error = string.Empty;
            return true;
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>Validates <paramref name="leaf"/> up to one of the authorities at <paramref name="now"/>; never throws for bad certificates.</summary>
    public CertificateVerdict Validate(X509Certificate2 leaf, IEnumerable<X509Certificate2> intermediates, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        ArgumentNullException.ThrowIfNull(intermediates);
        var leafName = CertificateIdentity.DescribeName(leaf.SubjectName);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities.ToArray());
        chain.ChainPolicy.ExtraStore.AddRange(intermediates.ToArray());
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.VerificationTime = now.UtcDateTime;

        bool built;
        try
        {
            built = chain.Build(leaf);
        }
        catch (CryptographicException ex)
        {
            return new CertificateVerdict(false, $"certificate {leafName} could not be checked: {ex.Message}");
        }

        var elements = chain.ChainElements.Select(e => (e.Certificate, Status: e.ChainElementStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status))).ToList();
        try
        {
            var problem = built ? null : Explain(elements, chain.ChainStatus, now);
            if (problem is not null)
            {
                return new CertificateVerdict(false, problem) { Problem = Classify(elements) };
            }
        }
        catch (CryptographicException ex)
        {
            // A field the chain builder skipped may not decode (found by fuzz target cert: a validity time that does not parse).
            return new CertificateVerdict(false, $"certificate {leafName} could not be checked: {ex.Message}");
        }

        if (!built)
        {
            var details = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
            return new CertificateVerdict(false, $"certificate {leafName} is not trusted: {(details.Length > 0 ? details : "chain validation failed")}");
        }

        if (elements.Count > MaxChainLength)
        {
            return new CertificateVerdict(false, $"chain of certificate {leafName} is too long ({elements.Count} certificates, at most {MaxChainLength})");
        }

        // A configured CA presented as itself is judged as a CA (whoever holds its key can issue any leaf anyway).
        if (elements.Count > 1 && KeyUsageProblem(leaf, leafName) is { } usage)
        {
            return usage;
        }

        if (RevocationProblem(elements) is { } revoked)
        {
            return revoked;
        }

        var root = CertificateIdentity.DescribeName(elements[^1].Certificate.SubjectName);
        return new CertificateVerdict(true, elements.Count == 1
            ? $"certificate {leafName} is a trusted CA"
            : $"certificate {leafName} is valid, issued under trusted CA {root} ({elements.Count} certificates)")
        {
            ChainThumbprints = [.. elements.Select(e => e.Certificate.GetCertHashString(HashAlgorithmName.SHA256))],
        };
    }

    public void Dispose()
    {
        foreach (var authority in _authorities)
        {
            authority.Dispose();
        }

        _authorities.Clear();
    }

    /// <summary>RFC 4945 §5.1.3.2: a keyUsage extension, when present, must allow signing (digitalSignature) for IKE AUTH.</summary>
    private static CertificateVerdict? KeyUsageProblem(X509Certificate2 leaf, string leafName)
    {
        var usage = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is null || (usage.KeyUsages & X509KeyUsageFlags.DigitalSignature) != 0)
        {
            return null;
        }

        return new CertificateVerdict(false, $"certificate {leafName} may not sign: its keyUsage ({usage.KeyUsages}) lacks digitalSignature")
        {
            Problem = CertificateProblem.KeyUsage,
        };
    }

    /// <summary>The first certificate of the chain (root excluded) that a CRL signed by its issuer lists.</summary>
    private CertificateVerdict? RevocationProblem(List<(X509Certificate2 Certificate, X509ChainStatusFlags Status)> elements)
    {
        for (var i = 0; i + 1 < elements.Count && RevocationLists.Count > 0; i++)
        {
            var (certificate, issuer) = (elements[i].Certificate, elements[i + 1].Certificate);
            foreach (var crl in RevocationLists)
            {
                if (crl.IsIssuedBy(issuer) && crl.RevokedAt(certificate) is { } when)
                {
                    var name = CertificateIdentity.DescribeName(certificate.SubjectName);
                    return new CertificateVerdict(false, $"certificate {name} (serial {certificate.SerialNumber}) is revoked since {Format(when)} by the CRL of {CertificateIdentity.DescribeName(issuer.SubjectName)}")
                    {
                        Problem = CertificateProblem.Revoked,
                    };
                }
            }
        }

        return null;
    }

    private static CertificateProblem Classify(List<(X509Certificate2 Certificate, X509ChainStatusFlags Status)> elements)
    {
        var all = elements.Aggregate(X509ChainStatusFlags.NoError, (flags, e) => flags | e.Status);
        if ((all & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain)) != 0)
        {
            return CertificateProblem.Untrusted;
        }

        return (all & X509ChainStatusFlags.NotTimeValid) != 0 ? CertificateProblem.OutsideValidity : CertificateProblem.Invalid;
    }

    /// <summary>The first reason a chain fails, naming the certificate concerned; trust problems first, then time, then signatures.</summary>
    private static string? Explain(List<(X509Certificate2 Certificate, X509ChainStatusFlags Status)> elements, X509ChainStatus[] chainStatus, DateTimeOffset now)
    {
        var overall = chainStatus.Aggregate(X509ChainStatusFlags.NoError, (all, s) => all | s.Status);
        const X509ChainStatusFlags untrusted = X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain;
        if ((overall & untrusted) != 0 && elements.Count > 0)
        {
            var top = elements[^1].Certificate;
            var topName = CertificateIdentity.DescribeName(top.SubjectName);
            if (elements.Count == 1 && top.SubjectName.RawData.AsSpan().SequenceEqual(top.IssuerName.RawData))
            {
                return $"certificate {topName} is self-signed and not a trusted CA";
            }

            // Either the chain ends at an untrusted root, or the issuer of its top certificate was not found at all.
            var issuer = (elements[^1].Status & X509ChainStatusFlags.UntrustedRoot) != 0 && elements.Count > 1
                ? topName
                : CertificateIdentity.DescribeName(top.IssuerName);
            return $"issuer {issuer} is not a trusted CA";
        }

        foreach (var (certificate, status) in elements)
        {
            var name = CertificateIdentity.DescribeName(certificate.SubjectName);
            if ((status & X509ChainStatusFlags.NotTimeValid) != 0)
            {
                var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime());
                var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime());
                return now < notBefore
                    ? $"certificate {name} is not valid before {Format(notBefore)}"
                    : $"certificate {name} expired on {Format(notAfter)}";
            }

            if ((status & X509ChainStatusFlags.NotSignatureValid) != 0)
            {
                return $"certificate {name} has a bad signature (issuer {CertificateIdentity.DescribeName(certificate.IssuerName)})";
            }

            if ((status & X509ChainStatusFlags.InvalidBasicConstraints) != 0)
            {
                return $"certificate {name} is used as a CA but is not one (basic constraints)";
            }

            if ((status & X509ChainStatusFlags.NotValidForUsage) != 0)
            {
                return $"certificate {name} is not valid for this usage (key usage)";
            }
        }

        return null;
    }

    private static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
