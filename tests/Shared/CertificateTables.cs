using System.Text;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Testing;

/// <summary>
/// Shared as source by the IKE, gateway, simulation, config and interop tests: a lab PKI's certificates and CRLs, and the
/// FortiOS <c>config vpn certificate ca</c> / <c>local</c> / <c>crl</c> text that loads them into a gateway.
/// </summary>
internal sealed class CertificateTables
{
    private readonly List<(string Name, IssuedCertificate Ca)> _authorities = [];
    private readonly List<(string Name, string Settings)> _locals = [];
    private readonly List<(string Name, string CrlPem)> _revocationLists = [];

    /// <summary>A lab CA (ECDSA P-256), valid from a month before <paramref name="now"/> for five years.</summary>
    public static IssuedCertificate Authority(string subject, DateTimeOffset now) =>
        CertificateFactory.CreateAuthority(subject, CertificateKeyAlgorithm.EcdsaP256, WholeSeconds(now).AddDays(-30), WholeSeconds(now).AddYears(5));

    /// <summary>An intermediate CA of <paramref name="ca"/>, valid as long as a lab CA made at the same <paramref name="now"/>.</summary>
    public static IssuedCertificate Intermediate(IssuedCertificate ca, string subject, CertificateKeyAlgorithm algorithm, DateTimeOffset now) =>
        CertificateFactory.IssueAuthority(ca, subject, algorithm, WholeSeconds(now).AddDays(-30), WholeSeconds(now).AddYears(5));

    /// <summary>A leaf of <paramref name="ca"/> with one subject alternative name, valid from a day before <paramref name="now"/> for a year.</summary>
    public static IssuedCertificate Leaf(IssuedCertificate ca, string subject, string san, CertificateKeyAlgorithm algorithm, DateTimeOffset now) =>
        Leaf(ca, subject, [san], algorithm, now);

    /// <summary>As above with several subject alternative names.</summary>
    public static IssuedCertificate Leaf(IssuedCertificate ca, string subject, IEnumerable<string> sans, CertificateKeyAlgorithm algorithm, DateTimeOffset now) =>
        CertificateFactory.Issue(ca, subject, sans, algorithm, WholeSeconds(now).AddDays(-1), WholeSeconds(now).AddYears(1));

    /// <summary>
    /// <c>dns:<paramref name="name"/></c> and <paramref name="padding"/> more names under it: a leaf carrying them is large
    /// enough that IKE_AUTH needs fragments.
    /// </summary>
    public static string[] PaddedNames(string name, int padding) =>
        [$"dns:{name}", .. Enumerable.Range(0, padding).Select(i => $"dns:padding-{i:00}.{name}")];

    /// <summary>A CRL of <paramref name="ca"/> listing <paramref name="revoked"/>, issued a day before <paramref name="now"/>, next update in a week.</summary>
    public static string RevocationList(IssuedCertificate ca, DateTimeOffset now, params IssuedCertificate[] revoked) =>
        CertificateFactory.IssueRevocationList(ca, revoked.Select(c => c.CertificatePem), now.AddDays(-1), now.AddDays(7));

    /// <summary>A PEM as a quoted config value: the config reader keeps the line breaks inside the quotes.</summary>
    public static string Quoted(string pem) => "\"" + pem.Trim() + "\"";

    /// <summary>Trusts <paramref name="ca"/> under <paramref name="name"/>; entries keep the order they are added in.</summary>
    public CertificateTables Ca(string name, IssuedCertificate ca)
    {
        _authorities.Add((name, ca));
        return this;
    }

    /// <summary>Our <paramref name="certificate"/> and its key under <paramref name="name"/>, with <paramref name="chain"/> (intermediates) after it in the PEM so that they are sent too.</summary>
    public CertificateTables Local(string name, IssuedCertificate certificate, params IssuedCertificate[] chain)
    {
        var pem = string.Join("\n", chain.Prepend(certificate).Select(c => c.CertificatePem.Trim()));
        _locals.Add((name, $"        set certificate {Quoted(pem)}\n        set private-key {Quoted(certificate.PrivateKeyPem)}\n"));
        return this;
    }

    /// <summary>A local certificate the gateway reads from files (SharpSwan's certificate-file / private-key-file).</summary>
    public CertificateTables LocalFiles(string name, string certificateFile, string keyFile)
    {
        _locals.Add((name, $"        set certificate-file \"{certificateFile}\"\n        set private-key-file \"{keyFile}\"\n"));
        return this;
    }

    /// <summary>A CRL (PEM) under <paramref name="name"/>.</summary>
    public CertificateTables Crl(string name, string crlPem)
    {
        _revocationLists.Add((name, crlPem));
        return this;
    }

    /// <summary>
    /// The tables that have entries (ca, local, crl), ending in a line break so that more configuration can follow. Empty
    /// tables are left out: a configuration with only a CRL, or only a local certificate, has only that table.
    /// </summary>
    public string Render()
    {
        var text = new StringBuilder();
        Table(text, "ca", _authorities.Select(a => (a.Name, $"        set ca {Quoted(a.Ca.CertificatePem)}\n")));
        Table(text, "local", _locals);
        Table(text, "crl", _revocationLists.Select(r => (r.Name, $"        set crl {Quoted(r.CrlPem)}\n")));
        return text.ToString();
    }

    private static void Table(StringBuilder text, string kind, IEnumerable<(string Name, string Settings)> entries)
    {
        var start = text.Length;
        foreach (var (name, settings) in entries)
            text.Append($"    edit \"{name}\"\n{settings}    next\n");
        if (text.Length > start)
            text.Insert(start, $"config vpn certificate {kind}\n").Append("end\n");
    }

    // A certificate keeps whole seconds: a chain issued from one `now` must still lie within its issuer's validity.
    private static DateTimeOffset WholeSeconds(DateTimeOffset now) => DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
}
