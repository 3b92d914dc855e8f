using SharpSwan.Cli.Tests.Editing;
using SharpSwan.Config.Tests.DialUp;

namespace SharpSwan.Cli.Tests.DialUp;

/// <summary>The certificate and address tables and a dial-up phase 1, configured from the CLI.</summary>
public sealed class DialUpEditorTests : IDisposable
{
    private readonly EditorHarness _harness = new(TestPki.DialUpConfiguration());

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task LocalCertificate_IsCreatedFromAPastedPem_AndShowNeverPrintsTheKey()
    {
        var editor = _harness.NewEditor();
        var key = TestPki.Rsa.PrivateKeyPem.Trim();
        var (output, status) = await EditorHarness.Run(
            editor,
            "config vpn certificate local",
            "edit \"spoke\"",
            $"set certificate \"{TestPki.Rsa.CertificatePem.Trim()}\"",
            $"set private-key \"{key}\"",
            "set comments \"pasted\"");
        Assert.Equal(0, status);
        Assert.Contains("new entry 'spoke' added\n", output, StringComparison.Ordinal);
        Assert.Equal("sharpswan (spoke) # ", editor.Prompt);

        var (shown, _) = await EditorHarness.Run(editor, "show");
        Assert.Contains("        set private-key ENC ", shown, StringComparison.Ordinal);
        Assert.Contains("-----BEGIN CERTIFICATE-----", shown, StringComparison.Ordinal);
        var help = editor.Help("set private-key ");
        var (ended, endStatus) = await EditorHarness.Run(editor, "next", "end");
        Assert.Equal(0, endStatus);
        Assert.DoesNotContain("Command fail", ended, StringComparison.Ordinal);

        var spoke = _harness.Current.LocalCertificates.Single(c => c.Name == "spoke");
        Assert.Equal(key, spoke.GetPrivateKeyPem());

        var (top, _) = await EditorHarness.Run(_harness.NewEditor(), "show vpn certificate local spoke");
        var (full, _) = await EditorHarness.Run(_harness.NewEditor(), "show full-configuration vpn certificate local");
        var (get, _) = await EditorHarness.Run(_harness.NewEditor(), "get vpn certificate local spoke");
        Assert.Contains("set comments pasted\n", top, StringComparison.Ordinal);
        Assert.Contains("private-key", get, StringComparison.Ordinal);
        foreach (var printed in new[] { shown, help, top, full, get })
        {
            Assert.DoesNotContain("PRIVATE KEY", printed, StringComparison.Ordinal);
            Assert.DoesNotContain(key.Split('\n')[1], printed, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LocalCertificate_FromFiles_AndAMismatchedKeyIsRefusedAtItsSet()
    {
        var directory = Directory.CreateTempSubdirectory("sharpswan-cli-").FullName;
        try
        {
            var certificate = Path.Combine(directory, "spoke.crt");
            var wrongKey = Path.Combine(directory, "wrong.key");
            var rightKey = Path.Combine(directory, "spoke.key");
            File.WriteAllText(certificate, TestPki.OtherEc.CertificatePem);
            File.WriteAllText(wrongKey, TestPki.Ec.PrivateKeyPem);
            File.WriteAllText(rightKey, TestPki.OtherEc.PrivateKeyPem);

            var editor = _harness.NewEditor();
            await EditorHarness.Run(editor, "config vpn certificate local", "edit spoke", $"set certificate-file \"{certificate}\"");
            var (refused, status) = await EditorHarness.Run(editor, $"set private-key-file \"{wrongKey}\"");
            Assert.Equal(-651, status);
            Assert.Contains("private-key does not match the certificate (CN=other.example, O=Lab)", refused, StringComparison.Ordinal);

            var (_, ok) = await EditorHarness.Run(editor, $"set private-key-file \"{rightKey}\"", "end");
            Assert.Equal(0, ok);
            var spoke = _harness.Current.LocalCertificates.Single(c => c.Name == "spoke");
            Assert.Equal(rightKey, spoke.PrivateKeyFile);
            Assert.Equal(TestPki.OtherEc.PrivateKeyPem.Trim(), spoke.GetPrivateKeyPem());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Help_DescribesEveryNewField()
    {
        var editor = _harness.NewEditor();
        Assert.Equal(["certificate"], editor.Complete("config vpn cert"));
        Assert.Equal(["ca", "local", "crl"], editor.Complete("config vpn certificate "));
        Assert.Equal(["address", "addrgrp", "service", "schedule", "policy"], editor.Complete("config firewall "));

        await EditorHarness.Run(editor, "config vpn certificate local", "edit hub");
        var fields = editor.Help("set ");
        foreach (var field in new[] { "certificate", "certificate-file", "private-key", "private-key-file", "password", "comments" })
        {
            // Each has its own description, not the note for fields SharpSwan only keeps.
            var lines = fields.Split('\n').Where(l => l.StartsWith(field + " ", StringComparison.Ordinal)).ToList();
            Assert.True(lines.Count == 1, fields);
            Assert.DoesNotContain("FortiOS setting, kept as written", lines[0], StringComparison.Ordinal);
        }

        var keyHelp = editor.Help("set private-key ");
        Assert.Matches(@"(?m)^<string> +the certificate's private key \(never shown", keyHelp);
        await EditorHarness.Run(editor, "abort", "abort", "config vpn certificate ca", "edit x");
        Assert.Matches(@"(?m)^ca-file +SharpSwan: file holding the CA certificate PEM", editor.Help("set "));
        await EditorHarness.Run(editor, "abort", "abort", "config firewall address", "edit hub-lan");
        Assert.Matches(@"(?m)^subnet +the network \(a\.b\.c\.d m\.m\.m\.m or a\.b\.c\.d/nn, default 0\.0\.0\.0 0\.0\.0\.0\)$", editor.Help("set "));
        Assert.Equal(["ipmask", "iprange"], editor.Complete("set type ip"));
    }

    [Fact]
    public async Task DialUpPhase1WithModeCfg_IsBuiltFromTheCli_WithCompletionOfReferencedNames()
    {
        var editor = _harness.NewEditor();
        var (_, status) = await EditorHarness.Run(
            editor,
            "config vpn ipsec phase1-interface",
            "edit mobile",
            "set type dynamic",
            "set interface wan1",
            "set ike-version 2",
            "set authmethod signature");
        Assert.Equal(0, status);
        Assert.Equal(["hub"], editor.Complete("set certificate "));
        var (missingCertificate, _) = await EditorHarness.Run(editor, "set certificate spoke");
        Assert.Contains("entry not found in datasource", missingCertificate, StringComparison.Ordinal);
        Assert.Contains("refers to local certificate \"spoke\", which does not exist", missingCertificate, StringComparison.Ordinal);

        await EditorHarness.Run(editor, "set certificate hub", "set mode-cfg enable");
        var (incomplete, nextStatus) = await EditorHarness.Run(editor, "next");
        Assert.Equal(-56, nextStatus);
        Assert.Contains("Attribute 'ipv4-start-ip' MUST be set.", incomplete, StringComparison.Ordinal);
        Assert.Contains("Attribute 'ipv4-end-ip' MUST be set.", incomplete, StringComparison.Ordinal);

        Assert.Equal(["hub-lan"], editor.Complete("set ipv4-split-include "));
        var (_, done) = await EditorHarness.Run(
            editor,
            "set ipv4-start-ip 10.20.0.1",
            "set ipv4-end-ip 10.20.0.50",
            "set ipv4-netmask 255.255.255.0",
            "set ipv4-split-include hub-lan",
            "set dns-mode manual",
            "set ipv4-dns-server1 10.1.0.53",
            "next",
            "end");
        Assert.Equal(0, done);

        var mobile = _harness.Current.FindPhase1("mobile")!;
        Assert.Equal(Phase1Type.Dynamic, mobile.Type);
        Assert.Equal("hub", mobile.Certificate);
        Assert.True(mobile.ModeCfg);
        Assert.Equal("10.20.0.50", mobile.Ipv4EndIp.ToString());
        Assert.Equal("hub-lan", mobile.Ipv4SplitInclude);
    }

    [Fact]
    public async Task DeletingAReferencedCertificateOrAddress_IsRefused_UntilTheReferenceGoes()
    {
        var editor = _harness.NewEditor();
        var (certificate, certificateStatus) = await EditorHarness.Run(editor, "config vpn certificate local", "delete hub");
        Assert.Equal(-23, certificateStatus);
        Assert.Contains("entry is used by 1 other entry: vpn ipsec phase1-interface \"roadwarrior\" (certificate)", certificate, StringComparison.Ordinal);
        await EditorHarness.Run(editor, "abort");

        var (address, addressStatus) = await EditorHarness.Run(editor, "config firewall address", "purge");
        Assert.Equal(-23, addressStatus);
        Assert.Contains("vpn ipsec phase1-interface \"roadwarrior\" (ipv4-split-include)", address, StringComparison.Ordinal);
        await EditorHarness.Run(editor, "abort");

        var (_, status) = await EditorHarness.Run(
            editor,
            "config vpn ipsec phase1-interface",
            "edit roadwarrior",
            "unset ipv4-split-include",
            "end",
            "config firewall address",
            "delete hub-lan",
            "end");
        Assert.Equal(0, status);
        Assert.Empty(_harness.Current.FirewallAddresses);
        Assert.Single(_harness.Current.LocalCertificates);
    }

    [Fact]
    public async Task RenamingACertificate_CarriesThePhase1ReferenceAlong()
    {
        var editor = _harness.NewEditor();
        var (_, status) = await EditorHarness.Run(editor, "config vpn certificate local", "rename hub to hub-2026", "end");
        Assert.Equal(0, status);
        Assert.Equal("hub-2026", Assert.Single(_harness.Current.LocalCertificates).Name);
        Assert.Equal("hub-2026", _harness.Current.FindPhase1("roadwarrior")!.Certificate);
    }
}
