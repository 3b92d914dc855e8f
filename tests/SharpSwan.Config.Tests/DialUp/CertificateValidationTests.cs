namespace SharpSwan.Config.Tests.DialUp;

/// <summary>Every certificate and dial-up check, each at the line it concerns.</summary>
public sealed class CertificateValidationTests
{
    private static string LocalEntry(string certificate, string key, string extra = "") => $"""
        config vpn certificate local
            edit "hub"
                set certificate "{certificate}"
                set private-key "{key}"
        {extra}
            next
        end
        """;

    [Fact]
    public void CertificateThatIsNotPem_IsValueErrorAtItsLine_ShowingOnlyTheFirstLine()
    {
        var text = LocalEntry("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----", TestPki.Ec.PrivateKeyPem);
        var error = ConfigText.SingleError(text);
        Assert.Equal(3, error.Line);
        Assert.Equal("value parse error before '-----BEGIN CERTIFICATE-----...'", error.Message);
        Assert.StartsWith("certificate: PEM block 1 is not an X.509 certificate", error.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("bm90", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateWithoutAnyPemBlock_IsRefused()
    {
        var error = ConfigText.SingleError(LocalEntry("hello", TestPki.Ec.PrivateKeyPem));
        Assert.Equal(3, error.Line);
        Assert.Equal("certificate is not a PEM certificate (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)", error.Reason);
    }

    [Fact]
    public void KeyPastedIntoTheCertificate_IsRefused_SoShowCannotPrintIt()
    {
        var error = ConfigText.SingleError(LocalEntry(TestPki.Ec.CertificatePem + "\n" + TestPki.Ec.PrivateKeyPem, TestPki.Ec.PrivateKeyPem));
        Assert.Equal(3, error.Line);
        Assert.Equal("certificate must hold only CERTIFICATE PEM blocks, not PRIVATE KEY", error.Reason);
    }

    [Fact]
    public void PrivateKeyThatDoesNotParse_IsErrorAtItsLine_WithTheValueRedacted()
    {
        var text = LocalEntry(TestPki.Ec.CertificatePem, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWJ1dC1icm9rZW4=\n-----END PRIVATE KEY-----");
        var error = ConfigText.SingleError(text);
        Assert.Equal(TestPki.LineOf(text, "set private-key"), error.Line);
        Assert.Equal("value parse error before '****'", error.Message);
        Assert.Equal("local certificate \"hub\": private-key is not a valid RSA or ECDSA private key", error.Reason);
        Assert.DoesNotContain("c2VjcmV0", error.ToString() + error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void PrivateKeyOfAnotherCertificate_DoesNotMatch()
    {
        var text = LocalEntry(TestPki.Ec.CertificatePem, TestPki.OtherEc.PrivateKeyPem);
        var error = ConfigText.SingleError(text);
        Assert.Equal(TestPki.LineOf(text, "set private-key"), error.Line);
        Assert.Equal("local certificate \"hub\": private-key does not match the certificate (CN=hub.example, O=Lab)", error.Reason);
    }

    [Fact]
    public void EcKeyForAnRsaCertificate_DoesNotMatch()
    {
        var error = ConfigText.SingleError(LocalEntry(TestPki.Rsa.CertificatePem, TestPki.Ec.PrivateKeyPem));
        Assert.Equal("local certificate \"hub\": private-key does not match the certificate (CN=rsa-hub.example, O=Lab)", error.Reason);
    }

    [Fact]
    public void EncryptedKey_NeedsTheRightPassword()
    {
        var missing = ConfigText.SingleError(LocalEntry(TestPki.Ec.CertificatePem, TestPki.Ec.EncryptedPrivateKeyPem));
        Assert.Equal("local certificate \"hub\": private-key is encrypted (ENCRYPTED PRIVATE KEY) and needs the password that decrypts it (set password)", missing.Reason);

        var wrong = ConfigText.SingleError(LocalEntry(TestPki.Ec.CertificatePem, TestPki.Ec.EncryptedPrivateKeyPem, "        set password \"not-the-password\""));
        Assert.Equal("local certificate \"hub\": the password does not decrypt private-key, or it is not an RSA or ECDSA key", wrong.Reason);

        ConfigText.ParseValid(LocalEntry(TestPki.Ec.CertificatePem, TestPki.Ec.EncryptedPrivateKeyPem, $"        set password \"{TestPki.KeyPassword}\""));
    }

    [Fact]
    public void LocalCertificateWithoutKey_AndCaWithoutCertificate_AreMissingAttributes()
    {
        var text = $"""
            config vpn certificate local
                edit "hub"
                    set certificate "{TestPki.Ec.CertificatePem}"
                next
            end
            config vpn certificate ca
                edit "lab-ca"
                    set range global
                next
            end
            """;
        var errors = ConfigurationLoader.Parse(text, "hq.conf").Errors;
        Assert.Equal(["Attribute 'private-key' MUST be set.", "Attribute 'ca' MUST be set."], errors.Select(e => e.Message));
        Assert.Equal([2, TestPki.LineOf(text, "edit \"lab-ca\"")], errors.Select(e => e.Line));
    }

    [Fact]
    public void InlineAndFileFormTogether_IsAnErrorAtTheLaterOne()
    {
        var text = LocalEntry(TestPki.Ec.CertificatePem, TestPki.Ec.PrivateKeyPem, "        set certificate-file \"/nonexistent/x.crt\"");
        var errors = ConfigurationLoader.Parse(text, "hq.conf").Errors;
        var both = Assert.Single(errors, e => e.Reason == "set either certificate or certificate-file, not both");
        Assert.Equal(TestPki.LineOf(text, "certificate-file"), both.Line);
    }

    [Fact]
    public void SignatureWithoutCertificate_IsMissingAttributeAtTheEdit()
    {
        var text = TestPki.DialUpConfiguration().Replace("        set certificate \"hub\"\n", "", StringComparison.Ordinal);
        var error = ConfigText.SingleError(text);
        Assert.Equal(TestPki.LineOf(text, "edit \"roadwarrior\""), error.Line);
        Assert.Equal("Attribute 'certificate' MUST be set.", error.Message);
        Assert.Equal("phase1-interface \"roadwarrior\" uses authmethod signature and needs the local certificate it signs with", error.Reason);
    }

    [Fact]
    public void CertificateNamingAMissingEntry_IsEntryNotFoundAtItsLine()
    {
        var text = TestPki.DialUpConfiguration().Replace("set certificate \"hub\"", "set certificate \"spoke\"", StringComparison.Ordinal);
        var error = ConfigText.SingleError(text);
        Assert.Equal(TestPki.LineOf(text, "set certificate \"spoke\""), error.Line);
        Assert.Equal("entry not found in datasource", error.Message);
        Assert.Equal("phase1-interface \"roadwarrior\" refers to local certificate \"spoke\", which does not exist (config vpn certificate local)", error.Reason);
    }

    [Fact]
    public void SplitIncludeNamingAMissingAddress_IsEntryNotFoundAtItsLine()
    {
        var text = TestPki.DialUpConfiguration().Replace("set ipv4-split-include \"hub-lan\"", "set ipv4-split-include \"corp\"", StringComparison.Ordinal);
        var error = ConfigText.SingleError(text);
        Assert.Equal(TestPki.LineOf(text, "ipv4-split-include"), error.Line);
        Assert.Equal("entry not found in datasource", error.Message);
        Assert.Equal("phase1-interface \"roadwarrior\" refers to firewall address \"corp\", which does not exist (config firewall address)", error.Reason);
    }

    [Fact]
    public void ModeCfgPool_NeedsStartAndEnd()
    {
        var text = TestPki.DialUpConfiguration()
            .Replace("        set ipv4-start-ip 10.10.10.1\n", "", StringComparison.Ordinal)
            .Replace("        set ipv4-end-ip 10.10.10.20\n", "", StringComparison.Ordinal);
        var errors = ConfigurationLoader.Parse(text, "hq.conf").Errors;
        Assert.Equal(["Attribute 'ipv4-start-ip' MUST be set.", "Attribute 'ipv4-end-ip' MUST be set."], errors.Select(e => e.Message));
        Assert.All(errors, e => Assert.Equal(TestPki.LineOf(text, "edit \"roadwarrior\""), e.Line));
    }

    [Fact]
    public void ModeCfgPool_WithoutAssignIp_OrOnAStaticPhase1_NeedsNoRange()
    {
        var text = TestPki.DialUpConfiguration("        set assign-ip disable")
            .Replace("        set ipv4-start-ip 10.10.10.1\n", "", StringComparison.Ordinal)
            .Replace("        set ipv4-end-ip 10.10.10.20\n", "", StringComparison.Ordinal);
        ConfigText.ParseValid(text);
    }

    [Fact]
    public void ModeCfgPool_EndBelowStart_IsErrorAtTheEnd()
    {
        var text = TestPki.DialUpConfiguration().Replace("set ipv4-end-ip 10.10.10.20", "set ipv4-end-ip 10.10.9.250", StringComparison.Ordinal);
        var error = ConfigText.SingleError(text);
        Assert.Equal(TestPki.LineOf(text, "ipv4-end-ip"), error.Line);
        Assert.Equal("value parse error before '10.10.9.250'", error.Message);
        Assert.Equal("phase1-interface \"roadwarrior\": ipv4-end-ip 10.10.9.250 is below ipv4-start-ip 10.10.10.1", error.Reason);
    }

    [Theory]
    [InlineData("10.10.0.0", "10.10.255.255", true)]
    [InlineData("10.10.0.0", "10.11.0.0", false)]
    [InlineData("10.10.10.1", "10.10.12.200", true)]
    public void ModeCfgPool_MayCrossTheNetmask_ButHoldsAtMost65536Addresses(string start, string end, bool accepted)
    {
        var text = TestPki.DialUpConfiguration()
            .Replace("set ipv4-start-ip 10.10.10.1", $"set ipv4-start-ip {start}", StringComparison.Ordinal)
            .Replace("set ipv4-end-ip 10.10.10.20", $"set ipv4-end-ip {end}", StringComparison.Ordinal);
        var result = ConfigurationLoader.Parse(text, "hq.conf");
        Assert.Equal(accepted, result.IsValid);
        if (!accepted)
        {
            var error = Assert.Single(result.Errors);
            Assert.Equal(TestPki.LineOf(text, "ipv4-end-ip"), error.Line);
            Assert.Equal($"phase1-interface \"roadwarrior\": the pool {start}-{end} holds 65537 addresses; SharpSwan allows at most 65536 (a /16)", error.Reason);
        }
    }

    [Fact]
    public void SeveralProblems_AreAllReportedAtOnce_EachAtItsLine()
    {
        var text = TestPki.DialUpConfiguration()
            .Replace("set certificate \"hub\"", "set certificate \"missing\"", StringComparison.Ordinal)
            .Replace("set ipv4-split-include \"hub-lan\"", "set ipv4-split-include \"nowhere\"", StringComparison.Ordinal)
            .Replace("set ipv4-end-ip 10.10.10.20", "set ipv4-end-ip 10.10.10.0", StringComparison.Ordinal)
            .Replace("set subnet 10.1.0.0 255.255.255.0", "set subnet 10.1.0.0 255.0.255.0", StringComparison.Ordinal);
        var errors = ConfigurationLoader.Parse(text, "hq.conf").Errors;
        Assert.Equal(
            [TestPki.LineOf(text, "set subnet"), TestPki.LineOf(text, "\"missing\""), TestPki.LineOf(text, "ipv4-end-ip"), TestPki.LineOf(text, "\"nowhere\"")],
            errors.Select(e => e.Line));
    }

    [Fact]
    public void FirewallAddressTypesOtherThanIpmask_AreRefused()
    {
        var error = ConfigText.SingleError("config firewall address\n    edit \"x\"\n        set type fqdn\n    next\nend\n");
        Assert.Equal(3, error.Line);
        Assert.Equal("type fqdn is unsupported by SharpSwan (an fqdn address needs DNS resolution kept current, which SharpSwan does not do: use type ipmask or iprange)", error.Reason);

        var refused = ConfigText.SingleError("config firewall address\n    edit \"x\"\n        set fqdn \"a.example\"\n    next\nend\n");
        Assert.Equal("command parse error before 'fqdn'", refused.Message);
    }
}
