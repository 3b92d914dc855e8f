using SharpSwan.Config.Import;

namespace SharpSwan.Config.Tests;

/// <summary>Issue 16 item 9: <c>sharpswan import</c> takes over what it can of a FortiGate backup and reports the rest.</summary>
public sealed class ImportTests
{
    private const string Mixed = """
        #config-version=FGT60F-7.0.12-FW-build0523-230608:opmode=0:vdom=0:user=admin
        config vpn ipsec phase1-interface
            edit "good"
                set interface "wan1"
                set ike-version 2
                set dpd enable
                set proposal aes256-sha256
                set dhgrp 14
                set remote-gw 198.51.100.1
                set psksecret "good-tunnel-secret"
            next
            edit "old-v1"
                set interface "wan1"
                set proposal aes128gcm-prfsha256
                set dhgrp 14
                set remote-gw 198.51.100.2
                set psksecret "old-tunnel-secret"
            next
        end
        config vpn ipsec phase2-interface
            edit "good-p2"
                set phase1name "good"
                set proposal aes256-sha256
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
            next
            edit "old-v1-p2"
                set phase1name "old-v1"
                set proposal aes128-sha1
            next
        end
        config router static
            edit 1
                set dst 10.2.0.0 255.255.255.0
                set device "good"
            next
        end
        config router bgp
            set as 65001
        end
        """;

    [Fact]
    public void MixedFile_TakesOverTheGoodTunnel_AndRefusesTheOtherWithWhatDependsOnIt()
    {
        var result = FortiGateImporter.Import(Mixed, "backup.conf", SecretKeyring.Current);
        Assert.NotNull(result.Text);
        Assert.Equal(["good"], result.Tunnels.ToArray());
        Assert.Contains(result.Refused, r => r.What == "config vpn ipsec phase1-interface > edit \"old-v1\"" && r.Reason.Contains("IKEv1, the FortiOS default) phase 1 proposal aes128gcm-prfsha256 has no IKEv1 form", StringComparison.Ordinal));
        Assert.Contains(result.Refused, r => r.What == "config vpn ipsec phase2-interface > edit \"old-v1-p2\"");
        Assert.Contains(result.Converted, w => w.Subject == "dpd");
        Assert.Contains(result.Kept, w => w.Subject == "router bgp");
        Assert.Empty(result.Weak);
        Assert.Empty(result.Secrets);

        // What is written loads as it is, in the current spelling, with its secret encrypted.
        var written = ConfigText.ParseValid(result.Text);
        Assert.Equal(DpdMode.OnDemand, Assert.Single(written.Phase1).Dpd);
        Assert.Equal("good-p2", Assert.Single(written.Phase2).Name);
        Assert.Single(written.StaticRoutes);
        Assert.Equal("router bgp", Assert.Single(written.KeptTables).Path);
        Assert.DoesNotContain("good-tunnel-secret", result.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("old-tunnel-secret", result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void FullConfigurationDump_TakesTheTunnelOver_AndAsksForItsDeviceEncryptedSecret()
    {
        var dump = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Corpus", "show-full-configuration.conf"));
        var result = FortiGateImporter.Import("FGT60F-BRANCH # show full-configuration\n" + dump, "FGT60F.conf", SecretKeyring.Current);
        Assert.Equal(["to-dc"], result.Tunnels.ToArray());
        Assert.Equal(new SecretToReEnter("vpn ipsec phase1-interface", "to-dc", "psksecret"), Assert.Single(result.Secrets));
        Assert.Empty(result.Refused);
        Assert.Contains(result.Kept, w => w.Subject == "system interface");
        Assert.Contains(result.Kept, w => w.Subject == "system global");

        // The written file says where the secret goes, holds no FortiGate value, and loads once the secret is set.
        var text = result.Text!;
        var foreign = dump.Split('\n').Single(l => l.Contains("set psksecret ENC", StringComparison.Ordinal)).Trim()["set psksecret ENC ".Length..];
        Assert.DoesNotContain(foreign, text, StringComparison.Ordinal);
        Assert.Contains("# set psksecret <encrypted by the FortiGate: set it again in clear text>", text, StringComparison.Ordinal);
        Assert.Contains(ConfigurationLoader.Parse(text, "out.conf").Errors, e => e.Message == "Attribute 'psksecret' MUST be set.");
        var completed = text.Replace("# set psksecret <encrypted by the FortiGate: set it again in clear text>", "set psksecret \"re-entered-secret\"", StringComparison.Ordinal);
        Assert.Equal("to-dc", Assert.Single(ConfigText.ParseValid(completed).Phase1).Name);
    }

    [Fact]
    public void RefusedTableOutsideAnyEntry_IsReportedByLine()
    {
        var result = FortiGateImporter.Import("config vpn ipsec manualkey-interface\n    edit \"mk\"\n    next\nend\n" + ConfigText.MinimalPhase1, "mk.conf", SecretKeyring.Current);
        Assert.Equal(["p1"], result.Tunnels.ToArray());
        var refusal = Assert.Single(result.Refused);
        Assert.Equal("line 1", refusal.What);
        Assert.Contains("manual-key IPsec is not supported", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusedTunnelAndBadObjectSetting_AreDropped_TheRestIsWritten()
    {
        var result = FortiGateImporter.Import("config vpn ipsec phase1-interface\n    edit \"v1\"\n        set interface \"wan1\"\n        set proposal aes128gcm-prfsha256\n        set remote-gw 192.0.2.1\n        set psksecret \"v1-only-secret\"\n    next\nend\nconfig system global\n    set hostname \"\"\n    set admintimeout 30\nend\n", "v1.conf", SecretKeyring.Current);
        Assert.Empty(result.Tunnels);
        Assert.Contains(result.Refused, r => r.What == "config vpn ipsec phase1-interface > edit \"v1\"" && r.Reason.Contains("IKEv1", StringComparison.Ordinal));
        Assert.Contains(result.Refused, r => r.What == "config system global > set hostname" && r.Reason == "hostname must not be empty");
        var written = ConfigText.ParseValid(result.Text!);
        Assert.Empty(written.Phase1);
        Assert.Equal("admintimeout", Assert.Single(written.Global.OtherSettings).Name);
    }

    [Fact]
    public void LegacyAlgorithms_AreTakenOver_AndListedAsWeak()
    {
        var text = Mixed.Replace("set proposal aes256-sha256\n        set dhgrp 14", "set proposal aes256-sha256 3des-sha1\n        set dhgrp 14 2", StringComparison.Ordinal);
        var result = FortiGateImporter.Import(text, "backup.conf", SecretKeyring.Current);
        Assert.Equal(["good"], result.Tunnels.ToArray());
        Assert.Equal([(7, "proposal"), (8, "dhgrp")], result.Weak.Select(w => (w.Line, w.Subject)));
        Assert.Contains("set proposal aes256-sha256 3des-sha1", result.Text, StringComparison.Ordinal);
    }
}
