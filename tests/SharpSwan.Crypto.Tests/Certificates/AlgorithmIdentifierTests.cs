using SharpSwan.Crypto.Certificates;
using SharpSwan.Testing;

namespace SharpSwan.Crypto.Tests.Certificates;

/// <summary>The DER AlgorithmIdentifiers of RFC 7427 Appendix A.</summary>
public sealed class AlgorithmIdentifierTests
{
    // RFC 7427 A.1.3-A.1.5 (PKCS#1 v1.5, NULL parameters) and A.3.2-A.3.4 (ECDSA, no parameters).
    [Theory]
    [InlineData("RsaPkcs1", SignatureHash.Sha256, "300d 0609 2a86 4886 f70d 0101 0b05 00")]
    [InlineData("RsaPkcs1", SignatureHash.Sha384, "300d 0609 2a86 4886 f70d 0101 0c05 00")]
    [InlineData("RsaPkcs1", SignatureHash.Sha512, "300d 0609 2a86 4886 f70d 0101 0d05 00")]
    [InlineData("Ecdsa", SignatureHash.Sha256, "300a 0608 2a86 48ce 3d04 0302")]
    [InlineData("Ecdsa", SignatureHash.Sha384, "300a 0608 2a86 48ce 3d04 0303")]
    [InlineData("Ecdsa", SignatureHash.Sha512, "300a 0608 2a86 48ce 3d04 0304")]
    public void Encodes_and_decodes_the_appendix_A_identifiers(string scheme, SignatureHash hash, string hex)
    {
        var algorithm = new SignatureAlgorithm(Enum.Parse<SignatureScheme>(scheme), hash);
        var expected = Hex.Parse(hex);

        Assert.Equal(expected, AlgorithmIdentifierCodec.Encode(algorithm));
        Assert.True(AlgorithmIdentifierCodec.TryDecode(expected, out var decoded, out var error), error);
        Assert.Equal(algorithm, decoded);
    }

    // RFC 7427 A.4.3 RSASSA-PSS with SHA-256, as corrected by the errata (no trailer field, lengths fixed): also what
    // strongSwan builds for PSS with SHA-256 and a 32-octet salt.
    private const string PssSha256Errata =
        "3041 0609 2a86 4886 f70d 0101 0a30 34a0 0f30 0d06 0960 8648 0165 0304 0201 0500 a11c 301a 0609 2a86 4886 f70d 0101 0830 0d06 0960 8648 0165 0304 0201 0500 a203 0201 20";

    [Fact]
    public void Encodes_RSASSA_PSS_with_SHA_256_as_in_appendix_A_4_3()
    {
        var algorithm = new SignatureAlgorithm(SignatureScheme.RsaPss, SignatureHash.Sha256, 32);

        Assert.Equal(Hex.Parse(PssSha256Errata), AlgorithmIdentifierCodec.Encode(algorithm));
        Assert.True(AlgorithmIdentifierCodec.TryDecode(Hex.Parse(PssSha256Errata), out var decoded, out var error), error);
        Assert.Equal(algorithm, decoded);
    }

    [Fact]
    public void Decodes_the_original_appendix_A_4_3_encoding_with_its_explicit_trailer_field()
    {
        var original = Hex.Parse(
            "3046 0609 2a86 4886 f70d 0101 0a30 39a0 0f30 0d06 0960 8648 0165 0304 0201 0500 a11c 301a 0609 2a86 4886 f70d 0101 0830 0d06 0960 8648 0165 0304 0201 0500 a203 0201 20a3 0302 0101");

        Assert.True(AlgorithmIdentifierCodec.TryDecode(original, out var decoded, out var error), error);
        Assert.Equal(new SignatureAlgorithm(SignatureScheme.RsaPss, SignatureHash.Sha256, 32), decoded);
    }

    [Theory]
    [InlineData("300d 0609 2a86 4886 f70d 0101 0a30 00", "SHA-1")] // A.4.1: empty parameters mean SHA-1 defaults
    [InlineData("300d 0609 2a86 4886 f70d 0101 0505 00", "unsupported signature algorithm 1.2.840.113549.1.1.5")] // A.1.2 sha1WithRSAEncryption
    [InlineData("3009 0607 2a86 48ce 3d04 01", "unsupported signature algorithm 1.2.840.10045.4.1")] // A.3.1 ecdsa-with-SHA1
    [InlineData("300a 0608 2a86 48ce 3d04 0302 00", "after the AlgorithmIdentifier")]
    [InlineData("3041 0609 2a86 4886 f70d 0101 0a30 34a0 0f30 0d06 0960 8648 0165 0304 0201 0500 a11c 301a 0609 2a86 4886 f70d 0101 0830 0d06 0960 8648 0165 0304 0201 0500 a203 0201 00", "salt length 0")]
    [InlineData("3041 0609 2a86 4886 f70d 0101 0a30 34a0 0f30 0d06 0960 8648 0165 0304 0201 0500 a11c 301a 0609 2a86 4886 f70d 0101 0830 0d06 0960 8648 0165 0304 0203 0500 a203 0201 20", "MGF1 hash")]
    [InlineData("3012 0609 2a86 4886 f70d 0101 0a30 05a3 0302 0102", "trailer field 2")]
    [InlineData("300d 0609 2a86 4886 f70d 0101 0b05", "malformed")]
    public void Rejects_unsupported_or_malformed_identifiers_with_a_reason(string hex, string reason)
    {
        Assert.False(AlgorithmIdentifierCodec.TryDecode(Hex.Parse(hex), out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
