using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Fuzz;

/// <summary>
/// Certificate input that arrives from peers or operators and passes through our code. The first input octet picks:
/// 0 a peer's CERT payload (DER, loaded as the engine loads it), validated against a CA with its CRL, its identities
/// matched and an AUTH signature checked with it; 1 a CRL (DER, in a PEM block, as <c>config vpn certificate crl</c>
/// holds it); 2 an ID payload's data described and matched against a configured peer id (DN, FQDN, e-mail, IPv4);
/// 3 the SIGNATURE_HASH_ALGORITHMS notify and the AlgorithmIdentifier of a digital-signature AUTH (RFC 7427).
/// </summary>
internal sealed class CertificateTarget : IFuzzTarget, IDisposable
{
    /// <summary>AUTH data of a digital signature (RFC 7427): length, AlgorithmIdentifier ecdsa-with-SHA256, then the signature.</summary>
    private static readonly byte[] EcdsaSha256Auth = Convert.FromHexString("0c300a06082a8648ce3d040302" + "3006020101020101");

    private static readonly DateTimeOffset Now = new(2027, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly IssuedCertificate _authority;
    private readonly IssuedCertificate _leaf;
    private readonly X509Certificate2 _authorityCertificate;
    private readonly TrustStore _trust;

    public CertificateTarget()
    {
        _authority = CertificateFactory.CreateAuthority("CN=Fuzz CA", CertificateKeyAlgorithm.EcdsaP256, Now.AddYears(-1), Now.AddYears(5));
        _leaf = CertificateFactory.Issue(_authority, "CN=peer.example, O=Lab", ["dns:peer.example", "email:peer@example", "ip:192.0.2.7"], CertificateKeyAlgorithm.EcdsaP256, Now.AddYears(-1), Now.AddYears(1));
        var crl = CertificateFactory.IssueRevocationList(_authority, [_leaf.CertificatePem], Now.AddDays(-1), Now.AddDays(30));
        _authorityCertificate = X509Certificate2.CreateFromPem(_authority.CertificatePem);
        if (!TrustStore.TryFromPem([_authority.CertificatePem], out var trust, out var error) || !RevocationList.TryFromPem(crl, out var lists, out error))
        {
            throw new InvalidOperationException($"the fuzz CA does not load: {error}");
        }

        _trust = new TrustStore(trust!.Authorities) { RevocationLists = lists };
        trust.Dispose();
    }

    public string Name => "cert";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 1)
        {
            return;
        }

        var body = input[1..];
        switch (input[0] & 3)
        {
            case 0:
                PeerCertificate(body);
                break;
            case 1:
                if (RevocationList.TryFromPem(PemEncoding.WriteString("X509 CRL", body), out var lists, out _))
                {
                    foreach (var list in lists)
                    {
                        _ = (list.Issuer, list.ThisUpdate, list.NextUpdate, list.IsIssuedBy(_authorityCertificate), list.RevokedAt(_authorityCertificate));
                    }
                }

                break;
            case 2:
                foreach (var kind in Enum.GetValues<CertificateIdentityKind>())
                {
                    _ = CertificateIdentity.Describe(kind, body);
                    _ = CertificateIdentity.MatchesConfigured("CN=peer.example,O=Lab", kind, body);
                    _ = CertificateIdentity.MatchesConfigured("peer.example", kind, body);
                }

                break;
            default:
                _ = DigitalSignatureAuth.ParseHashesNotify(body);
                _ = DigitalSignatureAuth.TryDescribeAlgorithm(body, out _);
                break;
        }
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        using var leaf = X509Certificate2.CreateFromPem(_leaf.CertificatePem);
        yield return ("leaf-der", [0, .. leaf.RawData]);
        yield return ("authority-der", [0, .. _authorityCertificate.RawData]);
        var crl = CertificateFactory.IssueRevocationList(_authority, [_leaf.CertificatePem], Now.AddDays(-1), Now.AddDays(30));
        yield return ("crl-der", [1, .. Convert.FromBase64String(string.Concat(crl.Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))))]);
        yield return ("id-dn", [2, .. leaf.SubjectName.RawData]);
        yield return ("id-fqdn", [2, .. "peer.example"u8]);
        yield return ("hashes-notify", [3, .. DigitalSignatureAuth.SupportedHashesNotifyData]);
        yield return ("auth-ecdsa-sha256", [3, .. EcdsaSha256Auth]);
    }

    public void Dispose()
    {
        _authorityCertificate.Dispose();
        _trust.Dispose();
    }

    private void PeerCertificate(ReadOnlySpan<byte> der)
    {
        X509Certificate2 certificate;
        try
        {
            // The engine's own handling: a CERT that does not load is refused with this exception's message.
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return;
        }

        using (certificate)
        {
            _ = _trust.Validate(certificate, [], Now);
            foreach (var kind in Enum.GetValues<CertificateIdentityKind>())
            {
                _ = CertificateIdentity.Contains(certificate, kind, "peer.example"u8);
            }

            _ = CertificateIdentity.Contains(certificate, CertificateIdentityKind.Ipv4Address, [192, 0, 2, 7]);
            _ = CertificateIdentity.Contains(certificate, CertificateIdentityKind.DistinguishedName, certificate.SubjectName.RawData);
            _ = DigitalSignatureAuth.Verify(certificate, EcdsaSha256Auth, "signed"u8, out _);
        }
    }
}
