using SharpSwan.Crypto.Certificates;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Support;

/// <summary>
/// An <see cref="EngineLink"/> whose ends authenticate with certificates (<c>authmethod signature</c>, RFC 7427): one lab
/// CA that both trust, an ECDSA P-256 certificate for A and an RSA 2048 one for B, identities from the subjects; or IKEv1
/// (RFC 2409 §5.1) with one key type at both ends.
/// </summary>
public static class CertificateLink
{
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Until = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly IssuedCertificate Ca = CertificateFactory.CreateAuthority("CN=Link CA", CertificateKeyAlgorithm.EcdsaP256, From, Until);
    private static readonly IssuedCertificate CertificateA = CertificateFactory.Issue(Ca, "CN=a.link", ["dns:a.link"], CertificateKeyAlgorithm.EcdsaP256, From, Until);
    private static readonly IssuedCertificate CertificateB = CertificateFactory.Issue(Ca, "CN=b.link", ["dns:b.link"], CertificateKeyAlgorithm.Rsa2048, From, Until);

    // IKEv1 negotiates one signature method for both ends: B with ECDSA as A, or A with RSA as B.
    private static readonly Lazy<IssuedCertificate> EcdsaB = new(() => CertificateFactory.Issue(Ca, "CN=b.link", ["dns:b.link"], CertificateKeyAlgorithm.EcdsaP256, From, Until));
    private static readonly Lazy<IssuedCertificate> RsaA = new(() => CertificateFactory.Issue(Ca, "CN=a.link", ["dns:a.link"], CertificateKeyAlgorithm.Rsa2048, From, Until));

    private const string UseCertificate = """
        set authmethod signature
                set certificate "me"
        """;

    public static EngineLink Create() =>
        new(phase1Extra: UseCertificate, headA: Tables(CertificateA), headB: Tables(CertificateB));

    /// <summary>IKEv1 (main or aggressive <paramref name="mode"/>), both ends with ECDSA P-256 keys, or both with RSA 2048.</summary>
    /// <param name="tailA">Configuration text after A's tunnel (more phase 2s of it).</param>
    /// <param name="tailB">Configuration text after B's tunnel.</param>
    public static EngineLink CreateIkev1(string mode, bool rsa, string tailA = "", string tailB = "") =>
        new(
            phase1Extra: UseCertificate + $"\nset ike-version 1\nset mode {mode}\nset proposal aes128-sha256\nset dhgrp 14\nset dpd disable",
            headA: Tables(rsa ? RsaA.Value : CertificateA),
            headB: Tables(rsa ? CertificateB : EcdsaB.Value),
            tailA: tailA,
            tailB: tailB);

    private static string Tables(IssuedCertificate own) => new CertificateTables().Ca("link-ca", Ca).Local("me", own).Render();
}
