using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Crypto.Tests.Certificates;

/// <summary>What the factory puts into certificates, and how it refuses bad input.</summary>
public sealed class CertificateFactoryTests
{
    [Fact]
    public void An_authority_is_a_self_signed_CA_with_key_cert_sign_and_a_key_identifier()
    {
        using var ca = TestPki.Certificate(TestPki.EcdsaCa);

        Assert.Equal(ca.SubjectName.RawData, ca.IssuerName.RawData);
        var constraints = Assert.IsType<X509BasicConstraintsExtension>(ca.Extensions["2.5.29.19"]);
        Assert.True(constraints.CertificateAuthority);
        Assert.True(constraints.Critical);
        var usage = Assert.IsType<X509KeyUsageExtension>(ca.Extensions["2.5.29.15"]);
        Assert.Equal(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, usage.KeyUsages);
        Assert.NotNull(ca.Extensions["2.5.29.14"]);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", TestPki.EcdsaCa.CertificatePem, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", TestPki.EcdsaCa.PrivateKeyPem, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", TestPki.EcdsaCa.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_leaf_has_digital_signature_usage_the_issuers_key_id_alt_names_and_a_16_octet_serial()
    {
        using var leaf = TestPki.Certificate(TestPki.P256Leaf);
        using var ca = TestPki.Certificate(TestPki.EcdsaCa);

        var usage = Assert.IsType<X509KeyUsageExtension>(leaf.Extensions["2.5.29.15"]);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, usage.KeyUsages);
        Assert.False(Assert.IsType<X509BasicConstraintsExtension>(leaf.Extensions["2.5.29.19"]).CertificateAuthority);
        var authorityKeyId = Assert.IsType<X509AuthorityKeyIdentifierExtension>(leaf.Extensions["2.5.29.35"]);
        var caKeyId = Assert.IsType<X509SubjectKeyIdentifierExtension>(ca.Extensions["2.5.29.14"]);
        Assert.Equal(Convert.FromHexString(caKeyId.SubjectKeyIdentifier!), authorityKeyId.KeyIdentifier!.Value.ToArray());
        var altNames = Assert.IsType<X509SubjectAlternativeNameExtension>(leaf.Extensions["2.5.29.17"]);
        Assert.Equal(["client1.example"], altNames.EnumerateDnsNames());
        Assert.Equal([IPAddress.Parse("192.0.2.7")], altNames.EnumerateIPAddresses());
        Assert.Equal(16, leaf.SerialNumberBytes.Length);
        Assert.Equal(CertificateIdentity.DescribeName(ca.SubjectName), CertificateIdentity.DescribeName(leaf.IssuerName));
    }

    [Fact]
    public void Serials_differ_between_certificates()
    {
        using var a = TestPki.Certificate(TestPki.P256Leaf);
        using var b = TestPki.Certificate(TestPki.P384Leaf);

        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
    }

    [Fact]
    public void The_subject_is_encoded_in_the_order_written_like_strongSwan_pki_and_openssl()
    {
        using var leaf = TestPki.Certificate(TestPki.P256Leaf);

        // Name ::= SEQUENCE OF RDN; the first RDN must be CN (2.5.4.3).
        var rdns = new AsnReader(leaf.SubjectName.RawData, AsnEncodingRules.DER).ReadSequence();
        var first = rdns.ReadSetOf().ReadSequence();
        Assert.Equal("2.5.4.3", first.ReadObjectIdentifier());
    }

    [Theory]
    [InlineData("", "dns:x", "subject is empty")]
    [InlineData("client1", "dns:x", "is not a distinguished name")]
    [InlineData("CN=x", "mail:a@b", "use dns:NAME, email:USER@DOMAIN or ip:ADDRESS")]
    [InlineData("CN=x", "dns:bad host", "\"bad host\" is not a valid dns value")]
    [InlineData("CN=x", "email:nobody", "\"nobody\" is not a valid email value")]
    [InlineData("CN=x", "ip:300.1.2.3", "\"300.1.2.3\" is not a valid ip value")]
    [InlineData("CN=x", "ip:1.2.3", "\"1.2.3\" is not a valid ip value")]
    public void Bad_subjects_and_alt_names_are_refused_with_the_value(string subject, string altName, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => CertificateFactory.Issue(TestPki.EcdsaCa, subject, [altName], CertificateKeyAlgorithm.EcdsaP256,
            TestPki.Now, TestPki.Now.AddDays(1)));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validity_must_be_ordered_and_inside_the_issuers()
    {
        var reversed = Assert.Throws<ArgumentException>(() => CertificateFactory.CreateAuthority("CN=x", CertificateKeyAlgorithm.EcdsaP256, TestPki.Now, TestPki.Now.AddDays(-1)));
        var beyond = Assert.Throws<ArgumentException>(() => CertificateFactory.Issue(TestPki.EcdsaCa, "CN=x", [], CertificateKeyAlgorithm.EcdsaP256, TestPki.Now, TestPki.Now.AddYears(20)));

        Assert.Contains("must be later than notBefore", reversed.Message, StringComparison.Ordinal);
        Assert.Contains("must lie within that of the issuer CN=Lab Root CA, O=Lab", beyond.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ecdsa-p256", true, CertificateKeyAlgorithm.EcdsaP256)]
    [InlineData("ECDSA-P384", true, CertificateKeyAlgorithm.EcdsaP384)]
    [InlineData("rsa-2048", true, CertificateKeyAlgorithm.Rsa2048)]
    [InlineData("rsa-3072", true, CertificateKeyAlgorithm.Rsa3072)]
    [InlineData("rsa-1024", false, default(CertificateKeyAlgorithm))]
    public void Key_algorithm_names_parse(string text, bool ok, CertificateKeyAlgorithm expected)
    {
        Assert.Equal(ok, CertificateFactory.TryParseKeyAlgorithm(text, out var algorithm));
        Assert.Equal(expected, algorithm);
    }
}
