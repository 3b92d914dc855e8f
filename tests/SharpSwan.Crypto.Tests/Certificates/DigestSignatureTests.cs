using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Crypto.Tests.Certificates;

/// <summary>IKEv1 signatures over HASH_I/HASH_R itself (RFC 2409 §5.1): RSA PKCS#1 v1.5 without a DigestInfo, ECDSA r | s.</summary>
public sealed class DigestSignatureTests
{
    [Theory]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256, 32, 64)]
    [InlineData(CertificateKeyAlgorithm.EcdsaP384, 48, 96)]
    [InlineData(CertificateKeyAlgorithm.Rsa2048, 32, 256)]
    public void A_digest_signature_verifies_with_the_certificate_and_no_longer_when_the_digest_changes(CertificateKeyAlgorithm algorithm, int digestLength, int signatureLength)
    {
        using var credential = TestPki.Credential(TestPki.LeafFor(algorithm));
        var digest = Enumerable.Range(1, digestLength).Select(i => (byte)i).ToArray();

        var signature = credential.SignDigest(digest);

        Assert.Equal(signatureLength, signature.Length);
        Assert.Equal(signature, credential.SignDigest(digest));
        Assert.True(DigestSignature.Verify(credential.Certificate, digest, signature, out var error), error);
        digest[0] ^= 1;
        Assert.False(DigestSignature.Verify(credential.Certificate, digest, signature, out error));
        Assert.NotEmpty(error);
    }

    /// <summary>The RSA form pads the 20-octet hash itself: a verifier expecting a SHA-1 DigestInfo refuses it.</summary>
    [Fact]
    public void The_rsa_form_carries_no_digest_info()
    {
        using var credential = TestPki.Credential(TestPki.LeafFor(CertificateKeyAlgorithm.Rsa2048));
        var digest = SHA1.HashData("HASH_I"u8);

        var signature = credential.SignDigest(digest);

        using var rsa = credential.Certificate.GetRSAPublicKey()!;
        Assert.False(rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1));
        Assert.True(DigestSignature.Verify(credential.Certificate, digest, signature, out _));
    }
}
