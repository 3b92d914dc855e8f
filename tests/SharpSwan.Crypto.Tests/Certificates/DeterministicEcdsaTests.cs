using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Crypto.Tests.Certificates;

/// <summary>ECDSA AUTH signatures use RFC 6979 nonces: reproducible bytes (simulation replay), standard verification.</summary>
public sealed class DeterministicEcdsaTests
{
    private static readonly byte[] SignedOctets = Encoding.ASCII.GetBytes("IKE_SA_INIT message | Nr | prf(SK_pi, IDi')");

    /// <summary>RFC 6979 §A.2.5: P-256, SHA-256, message "sample".</summary>
    [Fact]
    public void Matches_the_rfc6979_p256_sha256_vector()
    {
        using var key = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            D = Convert.FromHexString("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721"),
        });

        var signature = DeterministicEcdsa.Sign(key, Encoding.ASCII.GetBytes("sample"), SignatureHash.Sha256);

        var sequence = new AsnReader(signature, AsnEncodingRules.DER).ReadSequence();
        Assert.Equal(Unsigned("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716"), sequence.ReadInteger());
        Assert.Equal(Unsigned("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8"), sequence.ReadInteger());
        Assert.False(sequence.HasData);
    }

    [Theory]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256, SignatureHash.Sha256)]
    [InlineData(CertificateKeyAlgorithm.EcdsaP384, SignatureHash.Sha384)]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256, SignatureHash.Sha512)]
    public void The_same_octets_sign_to_the_same_auth_data_which_verifies(CertificateKeyAlgorithm algorithm, SignatureHash hash)
    {
        using var credential = TestPki.Credential(TestPki.LeafFor(algorithm));
        using var certificate = TestPki.Certificate(TestPki.LeafFor(algorithm));

        var first = credential.SignAuthData(SignedOctets, [hash]);
        var again = credential.SignAuthData(SignedOctets, [hash]);
        var other = credential.SignAuthData([.. SignedOctets, 0], [hash]);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.True(DigitalSignatureAuth.Verify(certificate, first, SignedOctets, out var error), error);
    }

    private static BigInteger Unsigned(string hex) => new(Convert.FromHexString(hex), isUnsigned: true, isBigEndian: true);
}
