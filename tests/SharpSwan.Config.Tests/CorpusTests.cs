using SharpSwan.Crypto;

namespace SharpSwan.Config.Tests;

/// <summary>
/// Issue 16's corpus: FortiOS configurations in the shapes the real world produces (Corpus/*.conf), each accepted
/// with the warnings it should give, or refused for its stated reason.
/// </summary>
public sealed class CorpusTests
{
    [Fact]
    public void AzureRouteBasedWithBgp_IsAccepted_WithTheOutOfScopeTablesKeptAndNamed()
    {
        var result = Load("azure-route-based-bgp.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        AssertKept(result, "system interface", "router bgp");
        Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.KeptTable && w.Subject == "router bgp" && w.Message.Contains("FRR", StringComparison.Ordinal));
        Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.KeptSettings && w.Message.Contains("timezone", StringComparison.Ordinal));

        // The BGP table round-trips, and its neighbour password is written encrypted, never in clear.
        var written = ConfigurationWriter.Write(result.Configuration!, fullConfiguration: false);
        Assert.Contains("config router bgp\n    set as 65010\n", written, StringComparison.Ordinal);
        Assert.Contains("            set remote-as 65515\n", written, StringComparison.Ordinal);
        Assert.DoesNotContain("bgp-md5-key", written, StringComparison.Ordinal);
        var reloaded = ConfigurationLoader.Parse(written, "written.conf");
        Assert.True(reloaded.IsValid, string.Join("\n", reloaded.Errors));
        Assert.Equal(result.Configuration, reloaded.Configuration);
    }

    [Fact]
    public void AwsGeneratedConfiguration_LoadsWithIkeV1AndItsDeadPeerDetection_WarningThatDhGroup2IsWeak()
    {
        var result = Load("aws-generated-ikev1-bgp.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.WeakAlgorithm);
        Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.ConvertedSetting && w.Subject == "dpd");
        AssertKept(result, "router bgp");

        // Its system interface table holds only the tunnel's entry, which is applied; only tcp-mss in it is not.
        Assert.DoesNotContain(result.ConfigWarnings, w => w.Kind == WarningKind.KeptTable && w.Subject == "system interface");
        var tcpMss = Assert.Single(result.ConfigWarnings, w => w.Subject == "system interface vpn-0a1b2c3d-0");
        Assert.Equal(WarningKind.KeptSettings, tcpMss.Kind);
        Assert.StartsWith("config system interface edit \"vpn-0a1b2c3d-0\": tcp-mss kept", tcpMss.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FortiClientDialUpWizard_IsRefusedForTwoAggressiveDhGroups_NotForAggressiveDialUpModeCfgOrXauth_AndItsDeviceEncryptedSecrets()
    {
        var result = Load("forticlient-dialup-wizard.conf");
        Assert.False(result.IsValid);
        // IKEv1 dial-up (type dynamic) is implemented, in main mode and now in aggressive mode (FortiClient's shape).
        Assert.DoesNotContain(result.Errors, e => e.Line is 21 or 23);
        Assert.Contains(result.Errors, e => e.Line == 30);
        // The IKEv1 dial-up mode-config pool and the XAUTH server with its user group are implemented (issue 13).
        Assert.DoesNotContain(result.Errors, e => e.Line is 26 or 31 or 32);
        var secret = Assert.Single(result.Errors, e => e.Reason.Contains(Secret.ForeignMessage, StringComparison.Ordinal) && e.Line != 4);
        Assert.Equal("value parse error before '****'", secret.Message);
        Assert.StartsWith("node_check_object fail! for psksecret", secret.Detail, StringComparison.Ordinal);

        // The user tables are read now: alice's FortiGate-encrypted passwd is refused like the psksecret, her group is fine.
        var passwd = Assert.Single(result.Errors, e => e.Line == 4);
        Assert.Contains("passwd " + Secret.ForeignMessage, passwd.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Errors, e => e.Line is >= 7 and <= 11);
        Assert.DoesNotContain(result.ConfigWarnings, w => w.Kind == WarningKind.KeptTable && w.Subject is "user local" or "user group");
    }

    [Theory]
    [InlineData("advpn-hub.conf")]
    [InlineData("advpn-spoke.conf")]
    public void AdvpnHubAndSpoke_AreRefusedForShortcuts_WithTheWayForward(string file)
    {
        var result = Load(file);
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Contains("ADVPN shortcuts between spokes are not implemented; set it to disable", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateSiteToSite_IsRefusedForTheBuiltInCertificateAndTheMissingCa_ItsUserPeerIsTakenOver()
    {
        var result = Load("certificate-site-to-site.conf");
        Assert.Equal(2, result.Errors.Length);
        Assert.Contains(result.Errors, e => e.Message == "entry not found in datasource" && e.Reason.Contains("Fortinet_Factory is a FortiGate built-in certificate whose key stays in the device", StringComparison.Ordinal));

        // user peer is read now (phase 1 set peer is enforced); its ca must be one of the file's vpn certificate ca entries.
        Assert.Contains(result.Errors, e => e.Line == 3 && e.Reason.StartsWith("ca \"CA_Cert_1\" is not a config vpn certificate ca entry", StringComparison.Ordinal));
        Assert.DoesNotContain(result.ConfigWarnings, w => w.Kind == WarningKind.KeptTable && w.Subject == "user peer");
    }

    [Fact]
    public void CiscoAsaIkeV2Interop_IsAcceptedWithoutWarnings()
    {
        var result = Load("cisco-asa-ikev2-interop.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Empty(result.ConfigWarnings);
        Assert.Equal("to-asa", Assert.Single(result.Configuration!.Phase1).Name);
    }

    [Fact]
    public void CiscoIosIkeV1Interop_IsRefusedOnlyFor3des_NotForDhGroup2_IkeV1MainModeOrItsDeadPeerDetection()
    {
        var result = Load("cisco-ios-ikev1-interop.conf");
        Assert.False(result.IsValid);
        Assert.All(result.Errors, e => Assert.Contains(e.Line, new[] { 6, 15 }));
        Assert.DoesNotContain(result.Errors, e => e.Reason.Contains("dead peer detection", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.Reason.Contains("main mode", StringComparison.Ordinal) || e.Reason.Contains("IKEv1 is not supported", StringComparison.Ordinal));
    }

    [Fact]
    public void CiscoIosIkeV1Interop_Refuses3desForIkeV1_SayingIkeV2NegotiatesIt()
    {
        var result = Load("cisco-ios-ikev1-interop.conf");
        Assert.Contains(result.Errors, e => e.Line == 6 && e.Reason.Contains("3DES and DES are negotiable with ike-version 2", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Line == 15 && e.Reason.Contains("3DES, DES, NULL and MD5 are negotiable with ike-version 2", StringComparison.Ordinal));
    }

    [Fact]
    public void LegacyAlgorithmsUnderIkeV2_AreAccepted_MixedWithCurrentOnes_EachWithAWeakWarning()
    {
        var result = Load("legacy-3des-ikev2.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var phase1 = Assert.Single(result.Configuration!.Phase1);
        Assert.Equal(["aes256-sha256", "3des-sha1", "des-md5"], phase1.Proposals.Select(p => p.Name));
        Assert.Equal(
            [DiffieHellmanGroup.Modp2048, DiffieHellmanGroup.Modp1536, DiffieHellmanGroup.Modp1024, DiffieHellmanGroup.Modp768],
            phase1.DhGroups.AsEnumerable());
        var phase2 = Assert.Single(result.Configuration.Phase2);
        Assert.Equal([EncryptionAlgorithm.AesCbc, EncryptionAlgorithm.TripleDes, EncryptionAlgorithm.TripleDes, EncryptionAlgorithm.Null], phase2.Proposals.Select(p => p.Encryption));

        var weak = result.ConfigWarnings.Where(w => w.Kind == WarningKind.WeakAlgorithm).ToList();
        Assert.Equal(
            [(9, "3des-sha1"), (9, "des-md5"), (10, "DH group 5, 2, 1"), (18, "3des-sha1"), (18, "3des-md5"), (18, "null-sha1"), (19, "DH group 2")],
            weak.Select(w => (w.Line, Fragment(w.Message))));
        Assert.All(weak, w => Assert.Contains("is weak", w.Message, StringComparison.Ordinal));
        Assert.Equal(weak.Count, result.ConfigWarnings.Length);

        // It round-trips: the legacy names are written back as FortiOS spells them.
        var written = ConfigurationWriter.Write(result.Configuration, fullConfiguration: false);
        Assert.Contains("set proposal aes256-sha256 3des-sha1 des-md5", written, StringComparison.Ordinal);
        Assert.Contains("set dhgrp 14 5 2 1", written, StringComparison.Ordinal);
        Assert.Contains("set proposal aes128-sha256 3des-sha1 3des-md5 null-sha1", written, StringComparison.Ordinal);

        static string Fragment(string message) =>
            message[(message.IndexOf(": ", StringComparison.Ordinal) + 2)..message.IndexOf(" is weak", StringComparison.Ordinal)].Split(" (")[0];
    }

    [Fact]
    public void ShowFullConfigurationDump_IsRefusedOnlyForItsDeviceEncryptedSecret_EveryDefaultAccepted()
    {
        var result = Load("show-full-configuration.conf");
        var error = Assert.Single(result.Errors);
        Assert.Contains("psksecret " + Secret.ForeignMessage, error.Reason, StringComparison.Ordinal);
        AssertKept(result, "system settings", "system interface", "system zone", "system dns", "firewall vip", "vpn ssl settings", "system sdn-connector", "router bgp");
        Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.KeptSettings && w.Subject == "system global");

        // With the secret set again in clear text the same dump loads.
        var text = ReadCorpus("show-full-configuration.conf");
        var fixedText = string.Join('\n', text.Split('\n').Select(l => l.TrimStart().StartsWith("set psksecret ENC ", StringComparison.Ordinal) ? "        set psksecret \"re-entered-secret\"" : l));
        var reloaded = ConfigurationLoader.Parse(fixedText, "dump.conf");
        Assert.True(reloaded.IsValid, string.Join("\n", reloaded.Errors));
        Assert.Equal("FGT60F-BRANCH", reloaded.Configuration!.Global.Hostname);
    }

    [Fact]
    public void TransparentMode_IsRefused_NamingTheFeatureAndTheWayForward()
    {
        var result = Load("transparent-mode.conf");
        Assert.Contains(result.Errors, e => e.Line == 2 && e.Reason.StartsWith("transparent mode is not supported", StringComparison.Ordinal) && e.Reason.Contains("set opmode nat", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Message == "Attribute 'interface' MUST be set." && e.Reason.Contains("transparent mode", StringComparison.Ordinal));
    }

    [Fact]
    public void GreEncapsulationAndIpv6Selectors_AreRefused_WithTheWayForward()
    {
        var result = Load("gre-over-ipsec-ipv6.conf");
        Assert.Contains(result.Errors, e => e.Reason.Contains("encapsulation gre is unsupported by SharpSwan (GRE/VXLAN overlay encapsulation; make the gre or vxlan device on the host", StringComparison.Ordinal));
        var ipv6 = result.Errors.Where(e => e.Reason.Contains("IPv6 selectors are not supported", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, ipv6.Count);
    }

    [Fact]
    public void FortiOs5Spellings_AreConverted_AndFecIsRefused()
    {
        var result = Load("legacy-fortios5-spelling.conf");
        Assert.Equal(
            ["authmethod", "dpd", "rsa-certificate"],
            result.ConfigWarnings.Where(w => w.Kind == WarningKind.ConvertedSetting).Select(w => w.Subject).Order(StringComparer.Ordinal));
        Assert.Contains(result.Errors, e => e.Reason.Contains("fec-egress enable is unsupported by SharpSwan (forward error correction", StringComparison.Ordinal));

        // rsa-certificate became certificate, so the reference check names the built-in certificate.
        Assert.Contains(result.Errors, e => e.Reason.Contains("Fortinet_Factory is a FortiGate built-in certificate", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.Reason.Contains("dpd must be one of", StringComparison.Ordinal));
    }

    private static void AssertKept(ConfigurationResult result, params string[] paths)
    {
        foreach (var path in paths)
        {
            Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.KeptTable && w.Subject == path);
        }
    }

    private static string ReadCorpus(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", name));

    private static ConfigurationResult Load(string name) => ConfigurationLoader.Parse(ReadCorpus(name), name);
}
