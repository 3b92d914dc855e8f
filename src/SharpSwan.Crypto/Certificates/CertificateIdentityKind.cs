namespace SharpSwan.Crypto.Certificates;

/// <summary>The IKEv2 ID types a certificate can vouch for (RFC 7296 §3.5).</summary>
public enum CertificateIdentityKind
{
    Ipv4Address,
    Fqdn,
    Email,
    DistinguishedName,
}
