using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpSwan.Config.Tests.DialUp;

/// <summary>A throwaway self-signed certificate and its key, as PEM.</summary>
internal sealed record TestCertificate(string CertificatePem, string PrivateKeyPem, string EncryptedPrivateKeyPem);

/// <summary>Certificates generated once per test run (RSA key generation is slow), and config snippets that use them.</summary>
internal static class TestPki
{
    public const string KeyPassword = "key-pass-123";

    private static readonly Lazy<TestCertificate> EcHub = new(() => CreateEc("CN=hub.example, O=Lab"));
    private static readonly Lazy<TestCertificate> EcOther = new(() => CreateEc("CN=other.example, O=Lab"));
    private static readonly Lazy<TestCertificate> RsaHub = new(() => CreateRsa("CN=rsa-hub.example, O=Lab"));

    public static TestCertificate Ec => EcHub.Value;

    public static TestCertificate OtherEc => EcOther.Value;

    public static TestCertificate Rsa => RsaHub.Value;

    /// <summary>A <c>config vpn certificate local</c> block with one entry, PEM inline as FortiOS prints it.</summary>
    public static string LocalTable(string name, TestCertificate certificate) => $"""
        config vpn certificate local
            edit "{name}"
                set certificate "{certificate.CertificatePem}"
                set private-key "{certificate.PrivateKeyPem}"
            next
        end

        """;

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

    private static TestCertificate CreateEc(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        return Export(request, key);
    }

    private static TestCertificate CreateRsa(string subject)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return Export(request, key);
    }

    private static TestCertificate Export(CertificateRequest request, AsymmetricAlgorithm key)
    {
        var now = DateTimeOffset.UtcNow;
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        var encrypted = key.ExportEncryptedPkcs8PrivateKeyPem(
            KeyPassword,
            new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 10000));
        return new TestCertificate(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), encrypted);
    }
}
