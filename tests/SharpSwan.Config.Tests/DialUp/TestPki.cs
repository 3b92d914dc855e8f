using System.Security.Cryptography;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Testing;

namespace SharpSwan.Config.Tests.DialUp;

/// <summary>Certificates generated once per test run (RSA key generation is slow), and config snippets that use them.</summary>
internal static class TestPki
{
    public const string KeyPassword = "key-pass-123";

    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    // OtherEc is the CA the tests trust; it also issues the hub certificates, so a hub and OtherEc make a real chain.
    private static readonly Lazy<TestCertificate> EcOther = new(() => WithEncryptedKey(CertificateTables.Authority("O=Lab, CN=other.example", Now), CertificateKeyAlgorithm.EcdsaP256));
    private static readonly Lazy<TestCertificate> EcHub = new(() => Hub("hub.example", CertificateKeyAlgorithm.EcdsaP256));
    private static readonly Lazy<TestCertificate> RsaHub = new(() => Hub("rsa-hub.example", CertificateKeyAlgorithm.Rsa2048));

    public static TestCertificate Ec => EcHub.Value;

    public static TestCertificate OtherEc => EcOther.Value;

    public static TestCertificate Rsa => RsaHub.Value;

    /// <summary>A <c>config vpn certificate local</c> block with one entry, PEM inline as FortiOS prints it.</summary>
    public static string LocalTable(string name, TestCertificate certificate) => new CertificateTables().Local(name, certificate.Issued).Render();

    /// <summary>A valid dial-up phase1-interface "roadwarrior" using certificate "hub", plus that certificate and address "hub-lan".</summary>
    public static string DialUpConfiguration(string extraPhase1Lines = "") => LocalTable("hub", Ec) + $$"""
        config firewall address
            edit "hub-lan"
                set subnet 10.1.0.0 255.255.255.0
            next
        end
        config vpn ipsec phase1-interface
            edit "roadwarrior"
                set type dynamic
                set interface "wan0"
                set ike-version 2
                set peertype any
                set authmethod signature
                set certificate "hub"
                set mode-cfg enable
                set ipv4-start-ip 10.10.10.1
                set ipv4-end-ip 10.10.10.20
                set ipv4-netmask 255.255.255.0
                set dns-mode manual
                set ipv4-dns-server1 10.1.0.53
                set ipv4-split-include "hub-lan"
                set proposal aes256gcm-prfsha384
                set dhgrp 20
        {{extraPhase1Lines}}
            next
        end

        """;

    /// <summary>The 1-based line of the first line containing <paramref name="fragment"/>.</summary>
    public static int LineOf(string text, string fragment)
    {
        var lines = text.Split('\n');
        var index = Array.FindIndex(lines, l => l.Contains(fragment, StringComparison.Ordinal));
        Assert.True(index >= 0, $"'{fragment}' not found");
        return index + 1;
    }

    // Subjects in encoding order, O before CN, as these certificates always had them: the loader's messages name a
    // certificate by .NET's rendering of its subject, which lists the last RDN first ("CN=hub.example, O=Lab").
    private static TestCertificate Hub(string name, CertificateKeyAlgorithm algorithm) =>
        WithEncryptedKey(CertificateTables.Leaf(EcOther.Value.Issued, $"O=Lab, CN={name}", $"dns:{name}", algorithm, Now), algorithm);

    // Only the parser tests need an encrypted key (set private-key with set password); the lab PKI issues plain PKCS#8.
    private static TestCertificate WithEncryptedKey(IssuedCertificate issued, CertificateKeyAlgorithm algorithm)
    {
        using AsymmetricAlgorithm key = algorithm == CertificateKeyAlgorithm.Rsa2048 ? System.Security.Cryptography.RSA.Create() : ECDsa.Create();
        key.ImportFromPem(issued.PrivateKeyPem);
        var encrypted = key.ExportEncryptedPkcs8PrivateKeyPem(
            KeyPassword,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10000));
        return new TestCertificate(issued, encrypted);
    }
}
