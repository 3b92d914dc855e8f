using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Crypto.Tests.Certificates;

/// <summary>Chain validation against the configured CAs only, at the time the caller gives.</summary>
public sealed class TrustStoreTests
{
    [Fact]
    public void A_leaf_issued_by_a_configured_CA_is_trusted()
    {
        using var store = TestPki.Store(TestPki.EcdsaCa);
        using var leaf = TestPki.Certificate(TestPki.RsaLeaf);

        var verdict = store.Validate(leaf, [], TestPki.Now);

        Assert.True(verdict.Trusted, verdict.Reason);
        Assert.Contains("CN=rsa-client, O=Lab", verdict.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_expired_leaf_is_refused_naming_it_and_the_date()
    {
        var issued = CertificateFactory.Issue(TestPki.EcdsaCa, "CN=old, O=Lab", [], CertificateKeyAlgorithm.EcdsaP256,
            TestPki.Now.AddDays(-100), TestPki.Now.AddDays(-1));
        using var store = TestPki.Store(TestPki.EcdsaCa);
        using var leaf = TestPki.Certificate(issued);

        var verdict = store.Validate(leaf, [], TestPki.Now);

        Assert.False(verdict.Trusted);
        Assert.Equal($"certificate CN=old, O=Lab expired on {TestPki.Now.AddDays(-1):yyyy-MM-dd HH:mm:ss} UTC", verdict.Reason);
        Assert.True(store.Validate(leaf, [], TestPki.Now.AddDays(-2)).Trusted);
    }

    [Fact]
    public void A_leaf_that_is_not_yet_valid_is_refused()
    {
        var issued = CertificateFactory.Issue(TestPki.EcdsaCa, "CN=future, O=Lab", [], CertificateKeyAlgorithm.EcdsaP256,
            TestPki.Now.AddDays(10), TestPki.Now.AddDays(100));
        using var store = TestPki.Store(TestPki.EcdsaCa);
        using var leaf = TestPki.Certificate(issued);

        var verdict = store.Validate(leaf, [], TestPki.Now);

        Assert.False(verdict.Trusted);
        Assert.Equal($"certificate CN=future, O=Lab is not valid before {TestPki.Now.AddDays(10):yyyy-MM-dd HH:mm:ss} UTC", verdict.Reason);
    }

    [Fact]
    public void A_leaf_of_an_unconfigured_CA_is_refused_naming_the_issuer()
    {
        using var store = TestPki.Store(TestPki.RsaCa);
        using var leaf = TestPki.Certificate(TestPki.P256Leaf);

        var verdict = store.Validate(leaf, [], TestPki.Now);

        Assert.False(verdict.Trusted);
        Assert.Equal("issuer CN=Lab Root CA, O=Lab is not a trusted CA", verdict.Reason);
    }

    [Fact]
    public void An_untrusted_root_sent_along_as_an_intermediate_does_not_make_a_chain_trusted()
    {
        using var store = TestPki.Store(TestPki.RsaCa);
        using var leaf = TestPki.Certificate(TestPki.P256Leaf);
        using var root = TestPki.Certificate(TestPki.EcdsaCa);

        var verdict = store.Validate(leaf, [root], TestPki.Now);

        Assert.False(verdict.Trusted);
        Assert.Equal("issuer CN=Lab Root CA, O=Lab is not a trusted CA", verdict.Reason);
    }

    [Fact]
    public void A_self_signed_leaf_is_untrusted_unless_it_is_a_configured_authority()
    {
        var selfSigned = CertificateFactory.CreateAuthority("CN=rogue", CertificateKeyAlgorithm.EcdsaP256, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(1));
        using var store = TestPki.Store(TestPki.EcdsaCa);
        using var rogue = TestPki.Certificate(selfSigned);
        using var ca = TestPki.Certificate(TestPki.EcdsaCa);

        var verdict = store.Validate(rogue, [], TestPki.Now);

        Assert.False(verdict.Trusted);
        Assert.Equal("certificate CN=rogue is self-signed and not a trusted CA", verdict.Reason);
        Assert.True(store.Validate(ca, [], TestPki.Now).Trusted);
    }

    [Fact]
    public void A_chain_through_an_intermediate_CA_is_trusted_only_with_the_intermediate()
    {
        var intermediate = CertificateFactory.IssueAuthority(TestPki.EcdsaCa, "CN=Lab Issuing CA, O=Lab", CertificateKeyAlgorithm.EcdsaP384,
            TestPki.Now.AddYears(-1), TestPki.Now.AddYears(5));
        var issued = CertificateFactory.Issue(intermediate, "CN=deep, O=Lab", ["dns:deep.example"], CertificateKeyAlgorithm.Rsa2048,
            TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30));
        using var store = TestPki.Store(TestPki.EcdsaCa);
        using var leaf = TestPki.Certificate(issued);
        using var middle = TestPki.Certificate(intermediate);

        var withIntermediate = store.Validate(leaf, [middle], TestPki.Now);
        var without = store.Validate(leaf, [], TestPki.Now);

        Assert.True(withIntermediate.Trusted, withIntermediate.Reason);
        Assert.Contains("3 certificates", withIntermediate.Reason, StringComparison.Ordinal);
        Assert.False(without.Trusted);
        Assert.Equal("issuer CN=Lab Issuing CA, O=Lab is not a trusted CA", without.Reason);
    }

    [Fact]
    public void A_chain_longer_than_the_limit_is_refused()
    {
        var first = CertificateFactory.IssueAuthority(TestPki.EcdsaCa, "CN=Sub 1", CertificateKeyAlgorithm.EcdsaP256, TestPki.Now.AddYears(-1), TestPki.Now.AddYears(5));
        var second = CertificateFactory.IssueAuthority(first, "CN=Sub 2", CertificateKeyAlgorithm.EcdsaP256, TestPki.Now.AddYears(-1), TestPki.Now.AddYears(5));
        var issued = CertificateFactory.Issue(second, "CN=far", [], CertificateKeyAlgorithm.EcdsaP256, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(30));
        Assert.True(TrustStore.TryFromPem([TestPki.EcdsaCa.CertificatePem], out var loaded, out var error), error);
        using var permissive = loaded!;
        using var strict = new TrustStore(permissive.Authorities) { MaxChainLength = 3 };
        using var leaf = TestPki.Certificate(issued);
        using var sub1 = TestPki.Certificate(first);
        using var sub2 = TestPki.Certificate(second);

        Assert.True(permissive.Validate(leaf, [sub1, sub2], TestPki.Now).Trusted);
        var verdict = strict.Validate(leaf, [sub1, sub2], TestPki.Now);
        Assert.False(verdict.Trusted);
        Assert.Equal("chain of certificate CN=far is too long (4 certificates, at most 3)", verdict.Reason);
    }

    [Fact]
    public void A_leaf_with_a_damaged_signature_is_refused_as_a_bad_signature()
    {
        using var store = TestPki.Store(TestPki.EcdsaCa);
        using var genuine = TestPki.Certificate(TestPki.RsaLeaf);
        var der = genuine.RawData;

        // The signature BIT STRING ends the certificate; damage its last octet.
        der[^1] ^= 0x5a;
        using var damaged = X509CertificateLoader.LoadCertificate(der);
        var verdict = store.Validate(damaged, [], TestPki.Now);

        Assert.False(verdict.Trusted);
        Assert.Equal("certificate CN=rsa-client, O=Lab has a bad signature (issuer CN=Lab Root CA, O=Lab)", verdict.Reason);
    }

    [Fact]
    public void Authority_key_hashes_are_sha1_of_each_subject_public_key_info()
    {
        using var store = TestPki.Store(TestPki.EcdsaCa, TestPki.RsaCa);
        using var rsaCa = TestPki.Certificate(TestPki.RsaCa);

        Assert.Equal(2, store.AuthorityKeyHashes.Count);
        Assert.Equal(SHA1.HashData(rsaCa.PublicKey.ExportSubjectPublicKeyInfo()), store.AuthorityKeyHashes[1]);
        Assert.All(store.AuthorityKeyHashes, h => Assert.Equal(20, h.Length));
        Assert.NotEqual(store.AuthorityKeyHashes[0], store.AuthorityKeyHashes[1]);
    }

    [Fact]
    public void Loading_CA_PEMs_reports_which_entry_is_broken()
    {
        Assert.True(TrustStore.TryFromPem([TestPki.EcdsaCa.CertificatePem + TestPki.RsaCa.CertificatePem], out var both, out _));
        using (both)
        {
            Assert.Equal(2, both!.Authorities.Count);
        }

        Assert.False(TrustStore.TryFromPem([TestPki.EcdsaCa.CertificatePem, "not a pem"], out var none, out var error));
        Assert.Null(none);
        Assert.StartsWith("CA certificate 2: no \"-----BEGIN CERTIFICATE-----\" block found", error, StringComparison.Ordinal);
        Assert.False(TrustStore.TryFromPem(["-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"], out _, out var invalid));
        Assert.Contains("not a valid X.509 certificate", invalid, StringComparison.Ordinal);
        Assert.False(TrustStore.TryFromPem([], out _, out var empty));
        Assert.Equal("no CA certificate given", empty);
    }

    /// <summary>
    /// Found by fuzz target cert: a self-signed certificate whose notAfter is "3*0601000000Z" loads, the chain builder
    /// reports it not time-valid, and reading NotAfter to explain why threw past Validate.
    /// </summary>
    [Fact]
    public void A_certificate_with_an_unreadable_validity_time_is_refused_not_thrown()
    {
        const string Der = "MIIBYzCCAQqgAwIBAgIQQnaM0NcPHK0R3MQ7YU6+kTAKBggqhkjOPQQDAjASMRAwDgYDVQQDEwdGdXp6IENBMB4XDTI2MDYwMTAwMDAwMFoXDTMqMDYwMTAwMDAwMFowEjEQMA4GA1UEAxMHwXV6eiBDQTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABIVb4gHKYiYvHqCYhJbeBcy83ZPprS6bebYo2C9rq6jLxtxPSHpYruNwZDOaDZIoTkz/u6dzbLeCWS6fRvRk4GWjQjBAMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgEGMB0GA1UdDgQWBBREsh2Ix0yuDKEb8tNq1sBOoD7ySjAKBggqhkjOPOMDAgNHADBEAiBZLsUUneCSLNigXNBmIaWBZ+HGJJnEDl6Zr1jmHf00zQIgLSXAKP7sE8OZvvl5kabz+8+orC4EsUfwLUtMwjW7B1c=";
        // The fuzz target's CA had this name (and a random key): the chain builder takes it as the issuer by name.
        var authority = CertificateFactory.CreateAuthority("CN=Fuzz CA", CertificateKeyAlgorithm.EcdsaP256, TestPki.Now.AddYears(-1), TestPki.Now.AddYears(5));
        Assert.True(TrustStore.TryFromPem([authority.CertificatePem], out var loaded, out var error), error);
        using var store = loaded!;
        using var leaf = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(Convert.FromBase64String(Der));

        var verdict = store.Validate(leaf, [], TestPki.Now);

        Assert.False(verdict.Trusted);
        Assert.Contains("could not be checked", verdict.Reason, StringComparison.Ordinal);
    }
}
