using System.Security.Cryptography;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Crypto.Tests.Certificates;

/// <summary>Loading our own certificate and key from PEM, in the forms FortiOS users paste.</summary>
public sealed class LocalCredentialTests
{
    private static readonly byte[] Octets = [1, 2, 3, 4, 5];

    [Theory]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256, "ECDSA P-256")]
    [InlineData(CertificateKeyAlgorithm.EcdsaP384, "ECDSA P-384")]
    [InlineData(CertificateKeyAlgorithm.Rsa2048, "RSA 2048")]
    public void Loads_a_PKCS8_key_and_describes_it(CertificateKeyAlgorithm algorithm, string description)
    {
        using var credential = TestPki.Credential(TestPki.LeafFor(algorithm));
        using var certificate = TestPki.Certificate(TestPki.LeafFor(algorithm));

        Assert.Equal(description, credential.KeyDescription);
        Assert.True(credential.Certificate.HasPrivateKey);
        Assert.Equal(certificate.RawData, credential.CertificateDer);
        Assert.Empty(credential.ChainDer);
        Assert.DoesNotContain("PRIVATE", credential.ToString(), StringComparison.Ordinal);
        Assert.Contains(description, credential.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Certificates_after_the_leaf_become_the_chain()
    {
        var pem = TestPki.P256Leaf.CertificatePem + TestPki.EcdsaCa.CertificatePem;
        Assert.True(LocalCredential.TryFromPem(pem, TestPki.P256Leaf.PrivateKeyPem, null, out var credential, out var error), error);
        using (credential)
        {
            using var ca = TestPki.Certificate(TestPki.EcdsaCa);
            Assert.Equal(ca.RawData, Assert.Single(credential!.ChainDer));
        }
    }

    [Fact]
    public void Loads_traditional_and_encrypted_key_forms()
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(TestPki.P256Leaf.PrivateKeyPem);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestPki.RsaLeaf.PrivateKeyPem);
        var encrypted = ecdsa.ExportEncryptedPkcs8PrivateKeyPem("s3cret",
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10_000));

        Assert.True(LocalCredential.TryFromPem(TestPki.P256Leaf.CertificatePem, ecdsa.ExportECPrivateKeyPem(), null, out var ec, out var e1), e1);
        Assert.True(LocalCredential.TryFromPem(TestPki.RsaLeaf.CertificatePem, rsa.ExportRSAPrivateKeyPem(), null, out var rs, out var e2), e2);
        Assert.True(LocalCredential.TryFromPem(TestPki.P256Leaf.CertificatePem, encrypted, "s3cret", out var enc, out var e3), e3);
        using (ec)
        using (rs)
        using (enc)
        {
            using var certificate = TestPki.Certificate(TestPki.P256Leaf);
            Assert.True(DigitalSignatureAuth.Verify(certificate, enc!.SignAuthData(Octets, []), Octets, out var error), error);
        }

        Assert.False(LocalCredential.TryFromPem(TestPki.P256Leaf.CertificatePem, encrypted, null, out _, out var noPassword));
        Assert.Contains("no password", noPassword, StringComparison.Ordinal);
        Assert.False(LocalCredential.TryFromPem(TestPki.P256Leaf.CertificatePem, encrypted, "wrong", out _, out var wrongPassword));
        Assert.Contains("could not be decrypted", wrongPassword, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_a_key_of_another_certificate_or_another_type()
    {
        Assert.False(LocalCredential.TryFromPem(TestPki.P256Leaf.CertificatePem, TestPki.EcdsaCa.PrivateKeyPem, null, out var credential, out var mismatch));
        Assert.Null(credential);
        Assert.Equal("the private key does not belong to certificate CN=client1, O=Lab", mismatch);
        Assert.False(LocalCredential.TryFromPem(TestPki.P256Leaf.CertificatePem, TestPki.RsaLeaf.PrivateKeyPem, null, out _, out var wrongType));
        Assert.Contains("not a valid ECDSA private key", wrongType, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "KEY", "certificate PEM is empty")]
    [InlineData("CERT", "", "private key PEM is empty")]
    [InlineData("garbage", "KEY", "no \"-----BEGIN CERTIFICATE-----\" block")]
    [InlineData("CERT", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "no \"PRIVATE KEY\"")]
    public void Reports_what_is_wrong_with_the_PEM(string certificate, string key, string reason)
    {
        var certificatePem = certificate == "CERT" ? TestPki.P256Leaf.CertificatePem : certificate;
        var keyPem = key == "KEY" ? TestPki.P256Leaf.PrivateKeyPem : key;

        Assert.False(LocalCredential.TryFromPem(certificatePem, keyPem, null, out var credential, out var error));
        Assert.Null(credential);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
