using System.Text;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Testing;

/// <summary>
/// Shared as source by the IKE, gateway and simulation tests: a lab PKI's certificates and the FortiOS
/// <c>config vpn certificate ca</c> / <c>config vpn certificate local</c> text that loads them into a gateway.
/// </summary>
internal sealed class CertificateTables
{
    private readonly List<(string Name, IssuedCertificate Ca)> _authorities = [];
    private readonly List<(string Name, IssuedCertificate Certificate, IssuedCertificate[] Chain)> _locals = [];

    /// <summary>A lab CA (ECDSA P-256), valid from a month before <paramref name="now"/> for five years.</summary>
    public static IssuedCertificate Authority(string subject, DateTimeOffset now) =>
        CertificateFactory.CreateAuthority(subject, CertificateKeyAlgorithm.EcdsaP256, now.AddDays(-30), now.AddYears(5));

    /// <summary>A leaf of <paramref name="ca"/> with one subject alternative name, valid from a day before <paramref name="now"/> for a year.</summary>
    public static IssuedCertificate Leaf(IssuedCertificate ca, string subject, string san, CertificateKeyAlgorithm algorithm, DateTimeOffset now) =>
        CertificateFactory.Issue(ca, subject, [san], algorithm, now.AddDays(-1), now.AddYears(1));

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
        _locals.Add((name, certificate, chain));
        return this;
    }

    /// <summary>Both tables, ending in a line break so that more configuration can follow.</summary>
    public string Render()
    {
        var text = new StringBuilder("config vpn certificate ca\n");
        foreach (var (name, ca) in _authorities)
            text.Append($"    edit \"{name}\"\n        set ca {Quoted(ca.CertificatePem)}\n    next\n");
        text.Append("end\nconfig vpn certificate local\n");
        foreach (var (name, certificate, chain) in _locals)
        {
            var pem = string.Join("\n", chain.Prepend(certificate).Select(c => c.CertificatePem.Trim()));
            text.Append($"    edit \"{name}\"\n        set certificate {Quoted(pem)}\n        set private-key {Quoted(certificate.PrivateKeyPem)}\n    next\n");
        }
        return text.Append("end\n").ToString();
    }
}
