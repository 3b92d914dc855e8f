using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace SharpSwan.Crypto.Certificates;

/// <summary>
/// One certificate revocation list (<c>config vpn certificate crl</c>), parsed with BouncyCastle because .NET cannot read
/// CRLs. It is trusted only for certificates whose issuer has the CRL's issuer name and whose key verifies its signature.
/// </summary>
public sealed class RevocationList
{
    private const string PemLabel = "X509 CRL";

    private readonly X509Crl _crl;

    private RevocationList(X509Crl crl) => _crl = crl;

    /// <summary>The CRL's issuer, as text (for reasons and logs).</summary>
    public string Issuer => _crl.IssuerDN.ToString();

    public DateTimeOffset ThisUpdate => new(DateTime.SpecifyKind(_crl.ThisUpdate, DateTimeKind.Utc));

    public DateTimeOffset? NextUpdate => _crl.NextUpdate is { } next ? new(DateTime.SpecifyKind(next, DateTimeKind.Utc)) : null;

    /// <summary>Reads every <c>X509 CRL</c> block of <paramref name="pem"/>; false with a reason when there is none or one is malformed.</summary>
    public static bool TryFromPem(string pem, out IReadOnlyList<RevocationList> lists, out string error)
    {
        ArgumentNullException.ThrowIfNull(pem);
        var found = new List<RevocationList>();
        lists = found;
        var rest = pem.AsMemory();
        while (PemEncoding.TryFind(rest.Span, out var fields))
        {
            var label = rest.Span[fields.Label].ToString();
            if (label != PemLabel)
            {
                error = $"holds a {label} block; a CRL is -----BEGIN {PemLabel}-----";
                return false;
            }

            try
            {
                var der = Convert.FromBase64String(rest.Span[fields.Base64Data].ToString());
                var crl = new X509CrlParser().ReadCrl(der) ?? throw new FormatException("empty CRL");
                // The parser reads the revoked entries (and their extensions) only when they are looked up: read them all
                // now, so a malformed entry refuses the CRL here instead of throwing in the middle of a certificate check.
                _ = crl.GetRevokedCertificates();
                found.Add(new RevocationList(crl));
            }
            catch (Exception e) when (e is FormatException or ArgumentException or IOException or InvalidOperationException or Org.BouncyCastle.Security.Certificates.CrlException)
            {
                error = $"CRL {found.Count + 1} does not parse: {e.Message}";
                return false;
            }

            rest = rest[fields.Location.End..];
        }

        error = found.Count == 0 ? $"no -----BEGIN {PemLabel}----- block" : string.Empty;
        return found.Count > 0;
    }

    /// <summary>True when this CRL was issued by <paramref name="issuer"/>: the same name, and a signature its key verifies.</summary>
    public bool IsIssuedBy(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        try
        {
            var bcIssuer = new X509CertificateParser().ReadCertificate(issuer.RawData);
            if (!bcIssuer.SubjectDN.Equivalent(_crl.IssuerDN))
            {
                return false;
            }

            return _crl.IsSignatureValid(bcIssuer.GetPublicKey());
        }
        catch (Exception e) when (e is GeneralSecurityException or InvalidOperationException or ArgumentException or IOException)
        {
            return false;
        }
    }

    /// <summary>When the serial number of <paramref name="certificate"/> is listed: the revocation date; else null.</summary>
    public DateTimeOffset? RevokedAt(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        // Both sides are the DER INTEGER's two's-complement big-endian bytes.
        var serial = new BigInteger(certificate.SerialNumberBytes.ToArray());
        return _crl.GetRevokedCertificate(serial) is { } entry
            ? new DateTimeOffset(DateTime.SpecifyKind(entry.RevocationDate, DateTimeKind.Utc))
            : null;
    }
}
