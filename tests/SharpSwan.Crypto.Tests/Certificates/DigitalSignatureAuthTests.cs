using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Testing;

namespace SharpSwan.Crypto.Tests.Certificates;

/// <summary>RFC 7427 AUTH data: signing with a <see cref="LocalCredential"/>, verifying with <see cref="DigitalSignatureAuth"/>.</summary>
public sealed class DigitalSignatureAuthTests
{
    private static readonly byte[] SignedOctets = Encoding.ASCII.GetBytes("IKE_SA_INIT message | Nr | prf(SK_pi, IDi')");

    public static TheoryData<CertificateKeyAlgorithm, SignatureHash> KeysAndHashes()
    {
        var data = new TheoryData<CertificateKeyAlgorithm, SignatureHash>();
        foreach (var key in new[] { CertificateKeyAlgorithm.Rsa2048, CertificateKeyAlgorithm.EcdsaP256, CertificateKeyAlgorithm.EcdsaP384 })
        {
            foreach (var hash in new[] { SignatureHash.Sha256, SignatureHash.Sha384, SignatureHash.Sha512 })
            {
                data.Add(key, hash);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KeysAndHashes))]
    public void Signs_with_the_only_hash_the_peer_supports_and_verifies(CertificateKeyAlgorithm key, SignatureHash hash)
    {
        using var credential = TestPki.Credential(TestPki.LeafFor(key));
        using var certificate = TestPki.Certificate(TestPki.LeafFor(key));

        var authData = credential.SignAuthData(SignedOctets, [hash]);

        var scheme = key == CertificateKeyAlgorithm.Rsa2048 ? SignatureScheme.RsaPkcs1 : SignatureScheme.Ecdsa;
        var identifier = AlgorithmIdentifierCodec.Encode(new SignatureAlgorithm(scheme, hash));
        Assert.Equal(identifier.Length, authData[0]);
        Assert.Equal(identifier, authData[1..(1 + identifier.Length)]);
        Assert.True(DigitalSignatureAuth.Verify(certificate, authData, SignedOctets, out var error), error);
        if (scheme == SignatureScheme.Ecdsa)
        {
            // The signature is a DER SEQUENCE of two INTEGERs (RFC 3279), not r||s.
            var sequence = new AsnReader(authData.AsMemory(1 + identifier.Length), AsnEncodingRules.DER).ReadSequence();
            sequence.ReadInteger();
            sequence.ReadInteger();
            Assert.False(sequence.HasData);
        }
    }

    [Fact]
    public void Rsa_picks_the_strongest_shared_hash_and_sha256_when_the_peer_sent_none()
    {
        using var credential = TestPki.Credential(TestPki.RsaLeaf);

        Assert.Equal(0x0d, credential.SignAuthData(SignedOctets, [SignatureHash.Sha256, SignatureHash.Sha512, SignatureHash.Sha384])[13]);
        Assert.Equal(0x0c, credential.SignAuthData(SignedOctets, [SignatureHash.Sha256, SignatureHash.Sha384])[13]);
        Assert.Equal(0x0b, credential.SignAuthData(SignedOctets, [])[13]);
    }

    [Fact]
    public void Ecdsa_prefers_the_hash_of_its_curve_when_the_peer_supports_it()
    {
        using var p256 = TestPki.Credential(TestPki.P256Leaf);
        using var p384 = TestPki.Credential(TestPki.P384Leaf);
        SignatureHash[] all = [SignatureHash.Sha256, SignatureHash.Sha384, SignatureHash.Sha512];

        Assert.True(DigitalSignatureAuth.TryDescribeAlgorithm(p256.SignAuthData(SignedOctets, all), out var p256Algorithm));
        Assert.True(DigitalSignatureAuth.TryDescribeAlgorithm(p384.SignAuthData(SignedOctets, all), out var p384Algorithm));
        Assert.True(DigitalSignatureAuth.TryDescribeAlgorithm(p256.SignAuthData(SignedOctets, [SignatureHash.Sha512]), out var onlySha512));
        Assert.Equal("ecdsa-with-SHA256", p256Algorithm);
        Assert.Equal("ecdsa-with-SHA384", p384Algorithm);
        Assert.Equal("ecdsa-with-SHA512", onlySha512);
    }

    [Theory]
    [InlineData(CertificateKeyAlgorithm.Rsa2048)]
    [InlineData(CertificateKeyAlgorithm.EcdsaP256)]
    public void A_tampered_signed_octet_or_signature_octet_fails(CertificateKeyAlgorithm key)
    {
        using var credential = TestPki.Credential(TestPki.LeafFor(key));
        using var certificate = TestPki.Certificate(TestPki.LeafFor(key));
        var authData = credential.SignAuthData(SignedOctets, [SignatureHash.Sha256]);

        var tamperedOctets = (byte[])SignedOctets.Clone();
        tamperedOctets[7] ^= 0x01;
        var tamperedSignature = (byte[])authData.Clone();
        tamperedSignature[^3] ^= 0x40;

        Assert.True(DigitalSignatureAuth.Verify(certificate, authData, SignedOctets, out _));
        Assert.False(DigitalSignatureAuth.Verify(certificate, authData, tamperedOctets, out var error));
        Assert.Contains("does not verify", error, StringComparison.Ordinal);
        Assert.False(DigitalSignatureAuth.Verify(certificate, tamperedSignature, SignedOctets, out _));
    }

    [Fact]
    public void A_signature_by_another_key_of_the_same_type_fails()
    {
        using var other = TestPki.Credential(TestPki.Leaf(CertificateKeyAlgorithm.EcdsaP256, "CN=other, O=Lab"));
        using var certificate = TestPki.Certificate(TestPki.P256Leaf);

        Assert.False(DigitalSignatureAuth.Verify(certificate, other.SignAuthData(SignedOctets, []), SignedOctets, out var error));
        Assert.Contains("CN=client1, O=Lab", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_algorithm_that_does_not_fit_the_key_type_fails()
    {
        using var rsaCredential = TestPki.Credential(TestPki.RsaLeaf);
        using var ecdsaCredential = TestPki.Credential(TestPki.P256Leaf);
        using var rsaCertificate = TestPki.Certificate(TestPki.RsaLeaf);
        using var ecdsaCertificate = TestPki.Certificate(TestPki.P256Leaf);

        Assert.False(DigitalSignatureAuth.Verify(ecdsaCertificate, rsaCredential.SignAuthData(SignedOctets, []), SignedOctets, out var rsaOnEc));
        Assert.False(DigitalSignatureAuth.Verify(rsaCertificate, ecdsaCredential.SignAuthData(SignedOctets, []), SignedOctets, out var ecOnRsa));
        Assert.Contains("does not fit the ECDSA key", rsaOnEc, StringComparison.Ordinal);
        Assert.Contains("does not fit the RSA key", ecOnRsa, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SignatureHash.Sha256)]
    [InlineData(SignatureHash.Sha384)]
    [InlineData(SignatureHash.Sha512)]
    public void Verifies_RSASSA_PSS_signatures_as_strongSwan_sends_them(SignatureHash hash)
    {
        using var certificate = TestPki.Certificate(TestPki.RsaLeaf);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(TestPki.RsaLeaf.PrivateKeyPem);
        var (name, oid, length) = hash switch
        {
            SignatureHash.Sha256 => (HashAlgorithmName.SHA256, "2.16.840.1.101.3.4.2.1", 32),
            SignatureHash.Sha384 => (HashAlgorithmName.SHA384, "2.16.840.1.101.3.4.2.2", 48),
            _ => (HashAlgorithmName.SHA512, "2.16.840.1.101.3.4.2.3", 64),
        };
        var signature = rsa.SignData(SignedOctets, name, RSASignaturePadding.Pss);

        // Built here by hand from RFC 4055, independently of the production encoder.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier("1.2.840.113549.1.1.10");
            using (writer.PushSequence())
            {
                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                {
                    WriteHashIdentifier(writer, oid);
                }

                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                {
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier("1.2.840.113549.1.1.8");
                        WriteHashIdentifier(writer, oid);
                    }
                }

                using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
                {
                    writer.WriteInteger(length);
                }
            }
        }

        var identifier = writer.Encode();
        byte[] authData = [(byte)identifier.Length, .. identifier, .. signature];
        Assert.True(DigitalSignatureAuth.Verify(certificate, authData, SignedOctets, out var error), error);

        // The same signature announced as PKCS#1 v1.5 must not verify.
        var pkcs1 = AlgorithmIdentifierCodec.Encode(new SignatureAlgorithm(SignatureScheme.RsaPkcs1, hash));
        byte[] mislabeled = [(byte)pkcs1.Length, .. pkcs1, .. signature];
        Assert.False(DigitalSignatureAuth.Verify(certificate, mislabeled, SignedOctets, out _));
    }

    [Fact]
    public void Notify_data_announces_sha256_sha384_sha512()
    {
        Assert.Equal(Hex.Parse("0002 0003 0004"), DigitalSignatureAuth.SupportedHashesNotifyData);
        DigitalSignatureAuth.SupportedHashesNotifyData[0] = 0xff;
        Assert.Equal(0, DigitalSignatureAuth.SupportedHashesNotifyData[0]);
    }

    [Theory]
    [InlineData("0002 0003 0004", new[] { SignatureHash.Sha256, SignatureHash.Sha384, SignatureHash.Sha512 })]
    [InlineData("0001 0004 0005 0002", new[] { SignatureHash.Sha512, SignatureHash.Sha256 })] // SHA-1 and Identity skipped, peer order kept
    [InlineData("0003 0003 00", new[] { SignatureHash.Sha384 })] // duplicate and odd trailing octet ignored
    [InlineData("", new SignatureHash[0])]
    public void Parses_the_hashes_a_peer_announces(string hex, SignatureHash[] expected) =>
        Assert.Equal(expected, DigitalSignatureAuth.ParseHashesNotify(Hex.Parse(hex)));

    [Theory]
    [InlineData("", "too short")]
    [InlineData("0c", "too short")]
    [InlineData("0c300a06082a8648ce3d0403", "only 11 octets follow")] // truncated AlgorithmIdentifier
    [InlineData("00300a06082a8648ce3d040302", "0-octet")]
    [InlineData("ff300a06082a8648ce3d040302aabb", "255-octet")]
    [InlineData("0c300a06082a8648ce3d040302", "no signature")]
    [InlineData("0c0102030405060708090a0b0c3045", "malformed")] // garbage ASN.1
    [InlineData("0b300906072a8648ce3d0401aabb", "unsupported signature algorithm")]
    public void Malformed_auth_data_is_refused_with_a_reason(string hex, string reason)
    {
        using var certificate = TestPki.Certificate(TestPki.P256Leaf);

        Assert.False(DigitalSignatureAuth.Verify(certificate, Hex.Parse(hex), SignedOctets, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_and_mutated_auth_data_never_throws_and_never_verifies()
    {
        using var rsaCertificate = TestPki.Certificate(TestPki.RsaLeaf);
        using var ecdsaCertificate = TestPki.Certificate(TestPki.P256Leaf);
        using var credential = TestPki.Credential(TestPki.P256Leaf);
        var valid = credential.SignAuthData(SignedOctets, []);
        var random = new Random(7427);
        for (var i = 0; i < 4000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 120)];
                random.NextBytes(input);
                if (input.Length > 2 && i % 4 == 0)
                {
                    // Give the random bytes a plausible shape: a length and a SEQUENCE header.
                    input[0] = (byte)random.Next(0, input.Length);
                    input[1] = 0x30;
                }
            }
            else
            {
                input = (byte[])valid.Clone();
                var flips = random.Next(1, 4);
                for (var f = 0; f < flips; f++)
                {
                    input[random.Next(input.Length)] ^= (byte)random.Next(1, 256);
                }

                input = input[..random.Next(input.Length / 2, input.Length + 1)];
            }

            var certificate = i % 3 == 0 ? rsaCertificate : ecdsaCertificate;
            Assert.False(DigitalSignatureAuth.Verify(certificate, input, SignedOctets, out var error), $"input {i}: {Convert.ToHexString(input)}");
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    private static void WriteHashIdentifier(AsnWriter writer, string oid)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            writer.WriteNull();
        }
    }
}
