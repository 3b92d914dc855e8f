using System.Net;
using System.Text;

namespace SharpSwan.Config.Tests.DialUp;

/// <summary>Loading and writing back config vpn certificate local/ca and config firewall address.</summary>
public sealed class CertificateTableTests
{
    [Fact]
    public void DialUpConfiguration_LoadsEveryNewTableAndField()
    {
        var config = ConfigText.ParseValid(TestPki.DialUpConfiguration());

        var local = Assert.Single(config.LocalCertificates);
        Assert.Equal("hub", local.Name);
        Assert.Equal(TestPki.Ec.CertificatePem.Trim(), local.CertificatePem);
        Assert.Equal(TestPki.Ec.PrivateKeyPem.Trim(), local.GetPrivateKeyPem());
        Assert.Null(local.Password);
        Assert.Null(local.CertificateFile);

        var address = Assert.Single(config.FirewallAddresses);
        Assert.Equal(new FirewallAddress("hub-lan", IPAddress.Parse("10.1.0.0"), 24), address);
        Assert.Equal("10.1.0.0-10.1.0.255", address.Range.ToString());

        var phase1 = config.FindPhase1("roadwarrior")!;
        Assert.Equal("hub", phase1.Certificate);
        Assert.Equal(AuthMethod.Signature, phase1.Authmethod);
        Assert.Equal(PeerType.Any, phase1.PeerType);
        Assert.True(phase1.ModeCfg);
        Assert.True(phase1.AssignIp);
        Assert.True(phase1.AddRoute);
        Assert.Equal("hub-lan", phase1.Ipv4SplitInclude);
        Assert.Equal(IPAddress.Parse("10.10.10.20"), phase1.Ipv4EndIp);
        Assert.Equal(IPAddress.Parse("10.1.0.53"), phase1.Ipv4DnsServer1);
        Assert.DoesNotContain(phase1.OtherSettings, s => s.Name == "certificate");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void DialUpConfiguration_RoundTripsThroughTheWriter(bool fullConfiguration)
    {
        var original = ConfigText.ParseValid(TestPki.DialUpConfiguration("        set add-route disable\n        set assign-ip enable\n        set peertype one\n        set peerid \"CN=client1,O=Lab\""));
        var written = ConfigurationWriter.Write(original, fullConfiguration);
        var reparsed = ConfigText.ParseValid(written);

        Assert.Equal(original, reparsed);
        Assert.Equal(written, ConfigurationWriter.Write(reparsed, fullConfiguration));
        var phase1 = reparsed.FindPhase1("roadwarrior")!;
        Assert.False(phase1.AddRoute);
        Assert.Equal("CN=client1,O=Lab", phase1.PeerId);
        Assert.Equal(PeerType.One, phase1.PeerType);
    }

    [Fact]
    public void Writer_PrintsPemAsFortiOsDoes_MultiLineInOneQuotedValue()
    {
        var written = ConfigurationWriter.Write(ConfigText.ParseValid(TestPki.DialUpConfiguration()), fullConfiguration: false);
        var pem = TestPki.Ec.CertificatePem.Trim();
        Assert.Contains($"        set certificate \"{pem}\"\n", written, StringComparison.Ordinal);
        Assert.Contains("config firewall address\n    edit \"hub-lan\"\n        set subnet 10.1.0.0 255.255.255.0\n    next\nend\n", written, StringComparison.Ordinal);
        Assert.Contains("        set certificate \"hub\"\n", written, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void PrivateKeyAndPassword_AreWrittenAsEnc_NeverInClear(bool fullConfiguration)
    {
        var certificate = TestPki.Ec;
        var text = $"""
            config vpn certificate local
                edit "enc-hub"
                    set certificate "{certificate.CertificatePem}"
                    set private-key "{certificate.EncryptedPrivateKeyPem}"
                    set password "{TestPki.KeyPassword}"
                next
            end
            """;
        var config = ConfigText.ParseValid(text);
        var local = Assert.Single(config.LocalCertificates);
        Assert.Equal(TestPki.KeyPassword, local.GetPassword());

        var written = ConfigurationWriter.Write(config, fullConfiguration);
        Assert.DoesNotContain("PRIVATE KEY", written, StringComparison.Ordinal);
        Assert.DoesNotContain(TestPki.KeyPassword, written, StringComparison.Ordinal);
        foreach (var keyLine in certificate.EncryptedPrivateKeyPem.Split('\n').Where(l => l.Length > 8))
        {
            Assert.DoesNotContain(keyLine, written, StringComparison.Ordinal);
        }

        Assert.Contains("        set private-key ENC ", written, StringComparison.Ordinal);
        // Issue 16: stored secrets are encrypted (they were the base64 of the value).
        Assert.Contains("        set password " + Secret.FromPlaintext(TestPki.KeyPassword).ToConfigString() + "\n", written, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes(TestPki.KeyPassword)), written, StringComparison.Ordinal);

        // The saved form loads back to the same key, so a gateway restarted from it still has its credential.
        var reloaded = ConfigText.ParseValid(written);
        Assert.Equal(config, reloaded);
        Assert.Equal(certificate.EncryptedPrivateKeyPem.Trim(), reloaded.LocalCertificates[0].GetPrivateKeyPem());
    }

    [Fact]
    public void ModelToString_DoesNotShowTheKey()
    {
        var config = ConfigText.ParseValid(TestPki.DialUpConfiguration());
        var printed = config.LocalCertificates[0].ToString() + config;
        Assert.DoesNotContain("PRIVATE KEY", printed, StringComparison.Ordinal);
        Assert.Contains("ENC ****", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void RsaCertificate_AndCaTable_LoadAndRoundTrip()
    {
        var text = TestPki.LocalTable("rsa-hub", TestPki.Rsa) + $"""
            config vpn certificate ca
                edit "lab-ca"
                    set ca "{TestPki.OtherEc.CertificatePem}"
                    set range global
                    set source user
                next
            end
            """;
        var config = ConfigText.ParseValid(text);
        var ca = Assert.Single(config.CaCertificates);
        Assert.Equal("lab-ca", ca.Name);
        Assert.Equal(TestPki.OtherEc.CertificatePem.Trim(), ca.CertificatePem);
        Assert.Equal(["range", "source"], ca.OtherSettings.Select(s => s.Name));
        Assert.Equal("rsa-hub", Assert.Single(config.LocalCertificates).Name);

        var reparsed = ConfigText.ParseValid(ConfigurationWriter.Write(config, fullConfiguration: true));
        Assert.Equal(config, reparsed);
    }

    [Fact]
    public void CertificateChain_InOneValue_IsAccepted()
    {
        var chain = TestPki.Ec.CertificatePem.Trim() + "\n" + TestPki.OtherEc.CertificatePem.Trim();
        var text = $"""
            config vpn certificate local
                edit "hub"
                    set certificate "{chain}"
                    set private-key "{TestPki.Ec.PrivateKeyPem}"
                next
            end
            """;
        Assert.Equal(chain, ConfigText.ParseValid(text).LocalCertificates[0].CertificatePem);
    }

    [Fact]
    public void FirewallAddress_TakesSlashNotation_ClearsHostBits_AndKeepsOtherFields()
    {
        var config = ConfigText.ParseValid("""
            config firewall address
                edit "lan"
                    set type ipmask
                    set subnet 192.168.7.9/16
                    set comment "branch LAN"
                    set color 6
                next
                edit "all"
                next
            end
            """);
        Assert.Equal(IPAddress.Parse("192.168.0.0"), config.FirewallAddresses[0].Address);
        Assert.Equal(16, config.FirewallAddresses[0].PrefixLength);
        Assert.Equal(["comment", "color"], config.FirewallAddresses[0].OtherSettings.Select(s => s.Name));
        Assert.Equal(["branch LAN"], config.FirewallAddresses[0].OtherSettings[0].Values.ToArray());
        Assert.Equal(0, config.FirewallAddresses[1].PrefixLength);
        Assert.Equal(config, ConfigText.ParseValid(ConfigurationWriter.Write(config, fullConfiguration: false)));
        Assert.Equal(config, ConfigText.ParseValid(ConfigurationWriter.Write(config, fullConfiguration: true)));
    }

    [Fact]
    public void HandBuiltModel_RoundTrips()
    {
        var config = GatewayConfiguration.Empty with
        {
            LocalCertificates = [new LocalCertificate("built", TestPki.Rsa.CertificatePem.Trim(), Secret.FromPlaintext(TestPki.Rsa.PrivateKeyPem.Trim()), null)],
            CaCertificates = [new CaCertificate("built-ca", TestPki.OtherEc.CertificatePem.Trim())],
            FirewallAddresses = [new FirewallAddress("net", IPAddress.Parse("10.9.0.0"), 16)],
        };
        Assert.Equal(config, ConfigText.ParseValid(ConfigurationWriter.Write(config, fullConfiguration: false)));
    }

    [Fact]
    public void Phase1Certificate_IsInterpreted_AndTakesOneName()
    {
        var error = ConfigText.SingleError(TestPki.DialUpConfiguration().Replace("set certificate \"hub\"", "set certificate \"hub\" \"second\"", StringComparison.Ordinal));
        Assert.Equal("command parse error before 'second'", error.Message);
        Assert.Equal("certificate takes one value", error.Reason);
    }
}
