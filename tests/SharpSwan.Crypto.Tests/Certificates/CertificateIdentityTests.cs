using System.Security.Cryptography.X509Certificates;
using System.Text;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Crypto.Tests.Certificates;

/// <summary>IKE identities against certificates (subject DN, SubjectAltName) and against configured peer ids.</summary>
public sealed class CertificateIdentityTests
{
    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    [Fact]
    public void The_subject_DN_is_contained_also_when_encoded_differently()
    {
        using var certificate = TestPki.Certificate(TestPki.P256Leaf);
        var printable = new X500DistinguishedName("CN=client1, O=Lab", X500DistinguishedNameFlags.None).RawData;
        var utf8 = new X500DistinguishedNameBuilder();
        utf8.AddOrganizationName("Lab");
        utf8.AddCommonName("client1");
        var reordered = new X500DistinguishedName("O=Lab, CN=client1", X500DistinguishedNameFlags.None).RawData;

        Assert.True(CertificateIdentity.Contains(certificate, CertificateIdentityKind.DistinguishedName, CertificateIdentity.SubjectDer(certificate)));
        Assert.True(CertificateIdentity.Contains(certificate, CertificateIdentityKind.DistinguishedName, printable));
        Assert.NotEqual(printable, utf8.Build().RawData);
        Assert.True(CertificateIdentity.Contains(certificate, CertificateIdentityKind.DistinguishedName, utf8.Build().RawData));
        Assert.False(CertificateIdentity.Contains(certificate, CertificateIdentityKind.DistinguishedName, reordered));
        Assert.False(CertificateIdentity.Contains(certificate, CertificateIdentityKind.DistinguishedName, new X500DistinguishedName("CN=client2, O=Lab", X500DistinguishedNameFlags.None).RawData));
        Assert.False(CertificateIdentity.Contains(certificate, CertificateIdentityKind.DistinguishedName, [0x30, 0x03, 0x01]));
    }

    [Fact]
    public void Subject_alternative_names_are_contained_case_insensitively()
    {
        using var certificate = TestPki.Certificate(TestPki.P256Leaf);

        Assert.True(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Fqdn, Ascii("client1.example")));
        Assert.True(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Fqdn, Ascii("CLIENT1.Example")));
        Assert.True(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Email, Ascii("user@lab")));
        Assert.True(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Email, Ascii("User@LAB")));
        Assert.True(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Ipv4Address, [192, 0, 2, 7]));
    }

    [Fact]
    public void Identities_the_certificate_does_not_name_are_not_contained()
    {
        using var certificate = TestPki.Certificate(TestPki.P256Leaf);

        Assert.False(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Fqdn, Ascii("client2.example")));
        Assert.False(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Fqdn, Ascii("client1"))); // the CN is no FQDN
        Assert.False(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Fqdn, Ascii("user@lab"))); // an e-mail SAN is no FQDN
        Assert.False(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Email, Ascii("other@lab")));
        Assert.False(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Ipv4Address, [192, 0, 2, 8]));
        Assert.False(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Ipv4Address, [192, 0, 2]));
    }

    [Fact]
    public void A_certificate_without_alternative_names_only_vouches_for_its_subject()
    {
        var bare = CertificateFactory.Issue(TestPki.EcdsaCa, "CN=bare.example", [], CertificateKeyAlgorithm.EcdsaP256, TestPki.Now.AddDays(-1), TestPki.Now.AddDays(1));
        using var certificate = TestPki.Certificate(bare);

        Assert.False(CertificateIdentity.Contains(certificate, CertificateIdentityKind.Fqdn, Ascii("bare.example")));
        Assert.True(CertificateIdentity.Contains(certificate, CertificateIdentityKind.DistinguishedName, new X500DistinguishedName("CN=bare.example", X500DistinguishedNameFlags.None).RawData));
    }

    [Fact]
    public void Describe_prints_names_in_encoding_order_and_addresses_as_text()
    {
        using var certificate = TestPki.Certificate(TestPki.P256Leaf);

        Assert.Equal("CN=client1, O=Lab", CertificateIdentity.Describe(CertificateIdentityKind.DistinguishedName, CertificateIdentity.SubjectDer(certificate)));
        Assert.Equal("192.0.2.7", CertificateIdentity.Describe(CertificateIdentityKind.Ipv4Address, [192, 0, 2, 7]));
        Assert.Equal("client1.example", CertificateIdentity.Describe(CertificateIdentityKind.Fqdn, Ascii("client1.example")));
        Assert.Equal("a?b", CertificateIdentity.Describe(CertificateIdentityKind.Email, [(byte)'a', 0x07, (byte)'b']));
        Assert.Equal("(3 octets: 010203)", CertificateIdentity.Describe(CertificateIdentityKind.DistinguishedName, [1, 2, 3]));
    }

    [Theory]
    [InlineData("client1.example", CertificateIdentityKind.Fqdn, "Client1.EXAMPLE", true)]
    [InlineData("@client1.example", CertificateIdentityKind.Fqdn, "client1.example", true)]
    [InlineData("client1.example", CertificateIdentityKind.Fqdn, "client2.example", false)]
    [InlineData("user@lab", CertificateIdentityKind.Email, "USER@lab", true)]
    [InlineData("user@lab", CertificateIdentityKind.Email, "user@lab2", false)]
    [InlineData("user@lab", CertificateIdentityKind.Fqdn, "user@lab", true)]
    public void Configured_names_match_received_ids(string configured, CertificateIdentityKind kind, string received, bool expected) =>
        Assert.Equal(expected, CertificateIdentity.MatchesConfigured(configured, kind, Ascii(received)));

    [Fact]
    public void Configured_addresses_match_received_ipv4_ids()
    {
        Assert.True(CertificateIdentity.MatchesConfigured("192.0.2.7", CertificateIdentityKind.Ipv4Address, [192, 0, 2, 7]));
        Assert.False(CertificateIdentity.MatchesConfigured("192.0.2.8", CertificateIdentityKind.Ipv4Address, [192, 0, 2, 7]));
        Assert.False(CertificateIdentity.MatchesConfigured("client1.example", CertificateIdentityKind.Ipv4Address, [192, 0, 2, 7]));
    }

    [Theory]
    [InlineData("CN=client1,O=Lab", true)]
    [InlineData("CN=client1, O=Lab", true)]
    [InlineData("cn=CLIENT1,  o=lab", true)]
    [InlineData("O=Lab, CN=client1", true)] // written in the other order, as some tools print it
    [InlineData("CN=client1", false)]
    [InlineData("CN=client1, O=Lab, C=CH", false)]
    [InlineData("CN=client2, O=Lab", false)]
    [InlineData("client1.example", false)]
    [InlineData("CN=", false)]
    public void Configured_distinguished_names_compare_as_names(string configured, bool expected)
    {
        using var certificate = TestPki.Certificate(TestPki.P256Leaf);

        Assert.Equal(expected, CertificateIdentity.MatchesConfigured(configured, CertificateIdentityKind.DistinguishedName, CertificateIdentity.SubjectDer(certificate)));
    }
}
