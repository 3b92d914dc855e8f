using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Crypto.Tests.Certificates;

/// <summary>Issue 11 item 11: configured CRLs and the leaf's keyUsage, with certificates and CRLs generated here.</summary>
public sealed class RevocationAndKeyUsageTests
{
    [Fact]
    public void A_leaf_listed_in_its_CAs_CRL_is_refused_as_revoked()
    {
        var revoked = TestPki.Leaf(CertificateKeyAlgorithm.EcdsaP256, "CN=stolen, O=Lab");
        var crl = CertificateFactory.IssueRevocationList(TestPki.EcdsaCa, [revoked.CertificatePem], TestPki.Now.AddDays(-1), TestPki.Now.AddDays(7));
        using var store = StoreWith(crl);
        using var leaf = TestPki.Certificate(revoked);

        var verdict = store.Validate(leaf, [], TestPki.Now);

        Assert.False(verdict.Trusted);
        Assert.Equal(CertificateProblem.Revoked, verdict.Problem);
        Assert.Contains("CN=stolen, O=Lab", verdict.Reason, StringComparison.Ordinal);

        // Another leaf of the same CA is not on the list.
        using var other = TestPki.Certificate(TestPki.P256Leaf);
        Assert.True(store.Validate(other, [], TestPki.Now).Trusted);
    }

    [Fact]
    public void A_CRL_past_its_next_update_still_revokes()
    {
        var revoked = TestPki.Leaf(CertificateKeyAlgorithm.EcdsaP256, "CN=late, O=Lab");
        var crl = CertificateFactory.IssueRevocationList(TestPki.EcdsaCa, [revoked.CertificatePem], TestPki.Now.AddDays(-30), TestPki.Now.AddDays(-20));
        using var store = StoreWith(crl);
        using var leaf = TestPki.Certificate(revoked);
        Assert.Equal(CertificateProblem.Revoked, store.Validate(leaf, [], TestPki.Now).Problem);
    }

    [Fact]
    public void A_CRL_not_signed_by_the_issuer_is_ignored()
    {
        // Same issuer name, different key: a forged CRL must not revoke anything.
        var impostor = CertificateFactory.CreateAuthority("CN=Lab Root CA, O=Lab", CertificateKeyAlgorithm.EcdsaP256, TestPki.Now.AddYears(-1), TestPki.Now.AddYears(1));
        var crl = CertificateFactory.IssueRevocationList(impostor, [TestPki.P256Leaf.CertificatePem], TestPki.Now.AddDays(-1), TestPki.Now.AddDays(7));
        using var store = StoreWith(crl);
        using var leaf = TestPki.Certificate(TestPki.P256Leaf);
        Assert.True(store.Validate(leaf, [], TestPki.Now).Trusted);
    }

    [Fact]
    public void A_revoked_intermediate_revokes_every_leaf_under_it()
    {
        var intermediate = CertificateFactory.IssueAuthority(TestPki.EcdsaCa, "CN=Branch CA, O=Lab", CertificateKeyAlgorithm.EcdsaP256, TestPki.Now.AddYears(-1), TestPki.Now.AddYears(1));
        var issued = CertificateFactory.Issue(intermediate, "CN=branch-gw, O=Lab", ["dns:branch.lab"], CertificateKeyAlgorithm.EcdsaP256, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(100));
        using var leaf = TestPki.Certificate(issued);
        using var middle = TestPki.Certificate(intermediate);
        using var clean = TestPki.Store(TestPki.EcdsaCa);
        Assert.True(clean.Validate(leaf, [middle], TestPki.Now).Trusted);

        var crl = CertificateFactory.IssueRevocationList(TestPki.EcdsaCa, [intermediate.CertificatePem], TestPki.Now.AddDays(-1), TestPki.Now.AddDays(7));
        using var store = StoreWith(crl);
        var verdict = store.Validate(leaf, [middle], TestPki.Now);
        Assert.Equal(CertificateProblem.Revoked, verdict.Problem);
        Assert.Contains("CN=Branch CA, O=Lab", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaf_whose_key_usage_lacks_digital_signature_may_not_sign()
    {
        using var leaf = LeafWithUsage(X509KeyUsageFlags.KeyEncipherment);
        using var store = TestPki.Store(TestPki.EcdsaCa);

        var verdict = store.Validate(leaf, [], TestPki.Now);

        Assert.False(verdict.Trusted);
        Assert.Equal(CertificateProblem.KeyUsage, verdict.Problem);
    }

    [Fact]
    public void A_leaf_without_key_usage_or_with_digital_signature_is_accepted()
    {
        using var store = TestPki.Store(TestPki.EcdsaCa);
        using var none = LeafWithUsage(null);
        using var signing = LeafWithUsage(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment);
        Assert.True(store.Validate(none, [], TestPki.Now).Trusted);
        Assert.True(store.Validate(signing, [], TestPki.Now).Trusted);
    }

    [Fact]
    public void Malformed_or_foreign_PEM_is_not_a_CRL()
    {
        Assert.False(RevocationList.TryFromPem(TestPki.EcdsaCa.CertificatePem, out _, out var foreign));
        Assert.Contains("CERTIFICATE", foreign, StringComparison.Ordinal);
        Assert.False(RevocationList.TryFromPem("-----BEGIN X509 CRL-----\nAAAA\n-----END X509 CRL-----\n", out _, out var broken));
        Assert.Contains("does not parse", broken, StringComparison.Ordinal);
        Assert.False(RevocationList.TryFromPem("", out _, out _));

        // Found by the cert fuzz target: a well-formed CRL whose one revoked entry has an extensions field that is not
        // a sequence of extensions. It used to load and then throw ArgumentException from the revocation lookup.
        const string MalformedEntry = """
            -----BEGIN X509 CRL-----
            MIH9MIGlAgEBMAoGCCqGSM49BAMCMBIxEDAOBgNVBA0TB0Z1enogQ0EXDTI3MDUzMTAwMDAwMFoX
            DTI3MDcwMTAwMDAwMFowMTAvAhBEYaVn3BuWGNqpNB7t9LktFw0yNzA1MzEwMDAwMDVaMAwwCgYD
            VR0V5AMKAQGgLzAtMB8GA1UdIwQYMBaAFESyHYjHTK4MoRvy02rWwE6gPvJKMAoGA1UdFAQDAgEB
            MAoGCCqGSM49BAMCA0cAMHp6IENBMB4XDTI2MDYwMTAwMDAwMFoXDRsyMDYwMTAwMDAwMFowEjEQ
            MA4GA1UEAxMHRnV6eiArQTBZMBMGByqGSM49AgEG
            -----END X509 CRL-----
            """;
        Assert.False(RevocationList.TryFromPem(MalformedEntry, out _, out var entry));
        Assert.Contains("does not parse", entry, StringComparison.Ordinal);
    }

    private static TrustStore StoreWith(string crlPem)
    {
        Assert.True(RevocationList.TryFromPem(crlPem, out var lists, out var error), error);
        using var plain = TestPki.Store(TestPki.EcdsaCa);
        return new TrustStore(plain.Authorities) { RevocationLists = lists };
    }

    /// <summary>A leaf of the lab CA with exactly this keyUsage (none when null).</summary>
    private static X509Certificate2 LeafWithUsage(X509KeyUsageFlags? usage)
    {
        using var ca = X509Certificate2.CreateFromPem(TestPki.EcdsaCa.CertificatePem, TestPki.EcdsaCa.PrivateKeyPem);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=usage-test, O=Lab", key, HashAlgorithmName.SHA256);
        if (usage is { } flags)
        {
            request.CertificateExtensions.Add(new X509KeyUsageExtension(flags, true));
        }

        return request.Create(ca, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30), [1, 2, 3, 4]);
    }
}
