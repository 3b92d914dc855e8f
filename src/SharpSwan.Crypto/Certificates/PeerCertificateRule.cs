using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace SharpSwan.Crypto.Certificates;

/// <summary>
/// What a FortiOS <c>config user peer</c> entry asks of a peer's (already trusted) certificate: every attribute of
/// <c>subject</c> present in the certificate's subject, and <c>cn</c> equal to its common name, compared as
/// <c>cn-type</c> says. The issuing CA (<c>ca</c>) is checked by the caller against the validated chain.
/// </summary>
public sealed class PeerCertificateRule
{
    private static readonly Dictionary<string, string> AttributeOids = new(StringComparer.OrdinalIgnoreCase)
    {
        ["CN"] = "2.5.4.3",
        ["C"] = "2.5.4.6",
        ["L"] = "2.5.4.7",
        ["ST"] = "2.5.4.8",
        ["S"] = "2.5.4.8",
        ["O"] = "2.5.4.10",
        ["OU"] = "2.5.4.11",
        ["SERIALNUMBER"] = "2.5.4.5",
        ["E"] = "1.2.840.113549.1.9.1",
        ["EMAIL"] = "1.2.840.113549.1.9.1",
        ["EMAILADDRESS"] = "1.2.840.113549.1.9.1",
        ["DC"] = "0.9.2342.19200300.100.1.25",
    };

    private const string CommonNameOid = "2.5.4.3";

    private readonly IReadOnlyList<(string Name, string Oid, string Value)> _subject;
    private readonly string? _cn;
    private readonly string _cnType;

    private PeerCertificateRule(IReadOnlyList<(string Name, string Oid, string Value)> subject, string? cn, string cnType)
    {
        _subject = subject;
        _cn = cn;
        _cnType = cnType;
    }

    /// <param name="subject">e.g. <c>CN=hq.example.net</c>, <c>C=US, O=Example, CN=hq</c> or <c>/C=US/O=Example/CN=hq</c>.</param>
    /// <param name="cn">The common name wanted, or null.</param>
    /// <param name="cnType">FortiOS <c>cn-type</c>: string (exact), email and FQDN (any case), ipv4 and ipv6 (as addresses).</param>
    public static bool TryCreate(string? subject, string? cn, string cnType, [NotNullWhen(true)] out PeerCertificateRule? rule, out string error)
    {
        rule = null;
        if (!TryParseSubject(subject ?? "", out var attributes, out error))
        {
            return false;
        }

        if (cn is not null && cnType is "ipv4" or "ipv6" && !IPAddress.TryParse(cn, out _))
        {
            error = $"cn {cn} is not an address, as cn-type {cnType} says it is";
            return false;
        }

        rule = new PeerCertificateRule(attributes, cn, cnType);
        return true;
    }

    /// <summary>Reads <c>attr=value</c> pairs separated by commas (or slashes, OpenSSL's one-line form); values are taken literally.</summary>
    public static bool TryParseSubject(string subject, out IReadOnlyList<(string Name, string Oid, string Value)> attributes, out string error)
    {
        var parsed = new List<(string, string, string)>();
        attributes = parsed;
        error = "";
        var text = subject.Trim();
        var separator = text.StartsWith('/') ? '/' : ',';
        foreach (var part in text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == part.Length - 1)
            {
                error = $"subject part '{part}' is not attribute=value (e.g. CN=hq.example.net, O=Example)";
                return false;
            }

            var name = part[..equals].Trim();
            if (!AttributeOids.TryGetValue(name, out var oid))
            {
                error = $"subject attribute '{name}' is not one of {string.Join(", ", AttributeOids.Keys)}";
                return false;
            }

            parsed.Add((name.ToUpperInvariant(), oid, part[(equals + 1)..].Trim()));
        }

        return true;
    }

    /// <summary>True when the certificate carries everything the rule asks; otherwise the reason names what is missing.</summary>
    public bool Matches(X509Certificate2 certificate, out string reason)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var present = certificate.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(r => !r.HasMultipleElements)
            .Select(r => (Oid: r.GetSingleElementType().Value ?? "", Value: r.GetSingleElementValue() ?? ""))
            .ToList();
        foreach (var (name, oid, value) in _subject)
        {
            if (!present.Contains((oid, value)))
            {
                reason = $"its subject {certificate.Subject} has no {name}={value}";
                return false;
            }
        }

        if (_cn is not null && !present.Any(p => p.Oid == CommonNameOid && CommonNameEquals(p.Value)))
        {
            reason = $"its subject {certificate.Subject} has no common name {_cn} ({_cnType})";
            return false;
        }

        reason = "";
        return true;
    }

    private bool CommonNameEquals(string value) => _cnType switch
    {
        "ipv4" or "ipv6" => IPAddress.TryParse(value, out var address) && address.Equals(IPAddress.Parse(_cn!)),
        "email" or "FQDN" => string.Equals(value, _cn, StringComparison.OrdinalIgnoreCase),
        _ => string.Equals(value, _cn, StringComparison.Ordinal),
    };
}
