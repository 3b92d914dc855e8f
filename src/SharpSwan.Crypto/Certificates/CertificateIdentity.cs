using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SharpSwan.Crypto.Certificates;

/// <summary>
/// Relates IKEv2 identities (ID payload data) to certificates and to configured FortiOS peer ids:
/// a DN must equal the subject, an FQDN / e-mail / IPv4 ID must appear in the SubjectAltName.
/// </summary>
public static class CertificateIdentity
{
    // Short names as strongSwan and OpenSSL print them.
    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.4"] = "SN",
        ["2.5.4.5"] = "serialNumber",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.9"] = "street",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.12"] = "T",
        ["2.5.4.42"] = "GN",
        ["1.2.840.113549.1.9.1"] = "E",
        ["0.9.2342.19200300.100.1.1"] = "UID",
        ["0.9.2342.19200300.100.1.25"] = "DC",
    };

    /// <summary>True when the certificate vouches for the ID: its subject (DN) or a SubjectAltName of that kind.</summary>
    public static bool Contains(X509Certificate2 certificate, CertificateIdentityKind kind, ReadOnlySpan<byte> idData)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        switch (kind)
        {
            case CertificateIdentityKind.DistinguishedName:
                return TryParseName(idData, out var name) && NamesEqual(certificate.SubjectName, name, allowReversed: false);
            case CertificateIdentityKind.Fqdn:
                var fqdn = TrimDot(Encoding.ASCII.GetString(idData));
                return SubjectAltNames.Of(certificate).DnsNames.Any(n => string.Equals(TrimDot(n), fqdn, StringComparison.OrdinalIgnoreCase));
            case CertificateIdentityKind.Email:
                var email = Encoding.ASCII.GetString(idData);
                return SubjectAltNames.Of(certificate).Emails.Any(n => string.Equals(n, email, StringComparison.OrdinalIgnoreCase));
            case CertificateIdentityKind.Ipv4Address:
                if (idData.Length != 4)
                {
                    return false;
                }

                var address = new IPAddress(idData);
                return SubjectAltNames.Of(certificate).Addresses.Contains(address);
            default:
                return false;
        }
    }

    /// <summary>DER of the certificate's subject Name: the ID data of an ID_DER_ASN1_DN identity.</summary>
    public static byte[] SubjectDer(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.SubjectName.RawData;
    }

    /// <summary>
    /// The DER Name of a DN written as text ("C=US, O=Example, CN=hq"), encoded in the order written, as strongSwan reads
    /// a configured DN and prints a received one; false for text that is not a DN with at least one attribute.
    /// </summary>
    public static bool TryEncodeName(string text, out byte[] der)
    {
        ArgumentNullException.ThrowIfNull(text);
        der = [];
        if (!text.Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            var name = new X500DistinguishedName(text.Trim(), X500DistinguishedNameFlags.None);
            if (!name.EnumerateRelativeDistinguishedNames().Any())
            {
                return false;
            }

            der = name.RawData;
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Printable form of an ID, e.g. "CN=client1, O=Lab" (in encoding order, as strongSwan prints it) or "192.0.2.7".</summary>
    public static string Describe(CertificateIdentityKind kind, ReadOnlySpan<byte> idData) => kind switch
    {
        CertificateIdentityKind.Ipv4Address when idData.Length == 4 => new IPAddress(idData).ToString(),
        CertificateIdentityKind.DistinguishedName when TryParseName(idData, out var name) => DescribeName(name),
        CertificateIdentityKind.Fqdn or CertificateIdentityKind.Email => Printable(Encoding.ASCII.GetString(idData)),
        _ => $"({idData.Length} octets: {Convert.ToHexString(idData[..Math.Min(idData.Length, 32)])})",
    };

    /// <summary>
    /// Compares a configured FortiOS peerid ("client1.example", "user@lab", "192.0.2.7", "CN=client1,O=Lab") with a
    /// received ID. Names compare case-insensitively; a DN compares RDN by RDN, written in either order.
    /// </summary>
    public static bool MatchesConfigured(string configuredPeerId, CertificateIdentityKind kind, ReadOnlySpan<byte> idData)
    {
        ArgumentNullException.ThrowIfNull(configuredPeerId);
        var configured = configuredPeerId.Trim();
        switch (kind)
        {
            case CertificateIdentityKind.DistinguishedName:
                if (!configured.Contains('=', StringComparison.Ordinal) || !TryParseName(idData, out var received))
                {
                    return false;
                }

                try
                {
                    return NamesEqual(new X500DistinguishedName(configured, X500DistinguishedNameFlags.None), received, allowReversed: true);
                }
                catch (CryptographicException)
                {
                    return false;
                }

            case CertificateIdentityKind.Fqdn:
                // strongSwan writes an FQDN that must not be resolved as "@name"; accept that spelling too.
                return string.Equals(TrimDot(configured.TrimStart('@')), TrimDot(Encoding.ASCII.GetString(idData)), StringComparison.OrdinalIgnoreCase);
            case CertificateIdentityKind.Email:
                return string.Equals(configured, Encoding.ASCII.GetString(idData), StringComparison.OrdinalIgnoreCase);
            case CertificateIdentityKind.Ipv4Address:
                return idData.Length == 4 && IPAddress.TryParse(configured, out var address)
                    && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && address.Equals(new IPAddress(idData));
            default:
                return false;
        }
    }

    /// <summary>A Name as "CN=x, O=y" in encoding order, with well-known attribute short names.</summary>
    internal static string DescribeName(X500DistinguishedName name)
    {
        var parts = new List<string>();
        try
        {
            foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: false))
            {
                if (rdn.HasMultipleElements)
                {
                    parts.Add(MultiValuedRdn(rdn));
                    continue;
                }

                var oid = rdn.GetSingleElementType().Value ?? "?";
                var label = ShortNames.GetValueOrDefault(oid, oid);
                var value = rdn.GetSingleElementValue();
                parts.Add(value is null ? $"{label}=#{Convert.ToHexString(rdn.RawData.Span)}" : $"{label}={Escape(value)}");
            }
        }
        catch (CryptographicException)
        {
            return $"(malformed name {Convert.ToHexString(name.RawData)})";
        }

        return parts.Count == 0 ? "(empty name)" : string.Join(", ", parts);
    }

    /// <summary>Equal names: identical DER, or the same attributes with the same values once case and spacing are ignored.</summary>
    internal static bool NamesEqual(X500DistinguishedName a, X500DistinguishedName b, bool allowReversed)
    {
        if (a.RawData.AsSpan().SequenceEqual(b.RawData))
        {
            return true;
        }

        var left = ComparableRdns(a);
        var right = ComparableRdns(b);
        if (left is null || right is null || left.Count != right.Count || left.Count == 0)
        {
            return false;
        }

        if (left.SequenceEqual(right))
        {
            return true;
        }

        return allowReversed && left.SequenceEqual(Enumerable.Reverse(right));
    }

    private static List<string>? ComparableRdns(X500DistinguishedName name)
    {
        try
        {
            var result = new List<string>();
            foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: false))
            {
                if (rdn.HasMultipleElements)
                {
                    result.Add("+" + Convert.ToHexString(rdn.RawData.Span));
                    continue;
                }

                var value = rdn.GetSingleElementValue();
                var normalized = value is null
                    ? "#" + Convert.ToHexString(rdn.RawData.Span)
                    : string.Join(' ', value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();
                result.Add($"{rdn.GetSingleElementType().Value}={normalized}");
            }

            return result;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static bool TryParseName(ReadOnlySpan<byte> der, out X500DistinguishedName name)
    {
        name = null!;
        try
        {
            // X500DistinguishedName accepts trailing garbage; insist on exactly one Name.
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            reader.ReadSequence();
            if (reader.HasData)
            {
                return false;
            }

            name = new X500DistinguishedName(der);
            _ = name.EnumerateRelativeDistinguishedNames().Count();
            return true;
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException)
        {
            return false;
        }
    }

    private static string MultiValuedRdn(X500RelativeDistinguishedName rdn)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(rdn.RawData.Span);
        }

        return new X500DistinguishedName(writer.Encode()).Decode(X500DistinguishedNameFlags.UseCommas);
    }

    private static string TrimDot(string name) => name.EndsWith('.') ? name[..^1] : name;

    private static string Escape(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';')
            {
                builder.Append('\\');
            }

            builder.Append(char.IsControl(c) ? '?' : c);
        }

        return builder.ToString();
    }

    private static string Printable(string text) => new(text.Select(c => char.IsControl(c) || c > '~' ? '?' : c).ToArray());
}
