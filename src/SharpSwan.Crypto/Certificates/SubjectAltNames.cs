using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace SharpSwan.Crypto.Certificates;

/// <summary>The rfc822Name, dNSName and iPAddress entries of a certificate's SubjectAltName extension (RFC 5280 §4.2.1.6).</summary>
internal sealed class SubjectAltNames
{
    private const string ExtensionOid = "2.5.29.17";
    private static readonly Asn1Tag EmailTag = new(TagClass.ContextSpecific, 1);
    private static readonly Asn1Tag DnsTag = new(TagClass.ContextSpecific, 2);
    private static readonly Asn1Tag IpTag = new(TagClass.ContextSpecific, 7);

    private SubjectAltNames(List<string> emails, List<string> dnsNames, List<IPAddress> addresses)
    {
        Emails = emails;
        DnsNames = dnsNames;
        Addresses = addresses;
    }

    public IReadOnlyList<string> Emails { get; }

    public IReadOnlyList<string> DnsNames { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>Reads the extension; a missing or malformed one yields no names rather than an exception.</summary>
    public static SubjectAltNames Of(X509Certificate2 certificate)
    {
        var emails = new List<string>();
        var dnsNames = new List<string>();
        var addresses = new List<IPAddress>();
        var extension = certificate.Extensions[ExtensionOid];
        if (extension is not null)
        {
            try
            {
                var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (names.HasData)
                {
                    var tag = names.PeekTag();
                    if (tag == EmailTag)
                    {
                        emails.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, EmailTag));
                    }
                    else if (tag == DnsTag)
                    {
                        dnsNames.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, DnsTag));
                    }
                    else if (tag == IpTag)
                    {
                        var octets = names.ReadOctetString(IpTag);
                        if (octets.Length is 4 or 16)
                        {
                            addresses.Add(new IPAddress(octets));
                        }
                    }
                    else
                    {
                        names.ReadEncodedValue();
                    }
                }
            }
            catch (AsnContentException)
            {
                // Keep what was read before the damage; a broken SAN simply vouches for nothing more.
            }
        }

        return new SubjectAltNames(emails, dnsNames, addresses);
    }
}
