namespace SharpSwan.Tests;

/// <summary>`sharpswan check`: exit status and the file:line messages an administrator reads.</summary>
[Collection(ConsoleCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CheckCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-check-").FullName;

    [Fact]
    public void ValidConfiguration_ExitsZero_AndSummarises()
    {
        var path = Write("good.conf", """
            config vpn ipsec phase1-interface
                edit "to-branch"
                    set interface "eth0"
                    set ike-version 2
                    set remote-gw 198.51.100.2
                    set proposal aes128-sha256
                    set dhgrp 14
                    set psksecret "a-long-enough-secret"
                next
            end
            config vpn ipsec phase2-interface
                edit "to-branch-p2"
                    set phase1name "to-branch"
                    set proposal aes128-sha256
                next
            end
            """);
        var (code, stdout, _) = ConsoleCapture.Run("check", "--config", path);
        Assert.Equal(0, code);
        Assert.Contains("configuration OK (1 phase1, 1 phase2, 0 static routes)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void BadConfiguration_ExitsNonZero_WithFileLineAndFortiOsMessage()
    {
        var path = Write("bad.conf", """
            config vpn ipsec phase1-interface
                edit "to-branch"
                    set interface "eth0"
                    set ike-version 2
                    set remote-gw 198.51.100.2
                    set proposal aes128-sha256
                    set psksecret "a-long-enough-secret"
                    set keylife 100
                next
            end
            config vpn ipsec phase2-interface
                edit "p2"
                    set phase1name "nowhere"
                next
            end
            """);
        var (code, _, stderr) = ConsoleCapture.Run("check", "--config", path);
        Assert.NotEqual(0, code);
        Assert.Contains("bad.conf:8: value parse error before '100'", stderr, StringComparison.Ordinal);
        Assert.Contains("bad.conf:13: entry not found in datasource", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-enough-secret", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void DialUpPhase1WithAutoNegotiate_IsRefusedWithTheReason()
    {
        var path = Write("dialup.conf", """
            config vpn ipsec phase1-interface
                edit "dialup"
                    set type dynamic
                    set interface "eth0"
                    set ike-version 2
                    set proposal aes128-sha256
                    set psksecret "a-long-enough-secret"
                next
            end
            config vpn ipsec phase2-interface
                edit "dialup-p2"
                    set phase1name "dialup"
                    set auto-negotiate enable
                next
            end
            """);
        var (code, _, stderr) = ConsoleCapture.Run("check", "--config", path);
        Assert.NotEqual(0, code);
        Assert.Contains("dialup.conf:13:", stderr, StringComparison.Ordinal);
        Assert.Contains("dialup-p2", stderr, StringComparison.Ordinal);
        Assert.Contains("initiat", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void InvalidFile_ExitsWithExConfig78_ForExecStartPre()
    {
        var path = Write("bad78.conf", "config vpn ipsec phase1-interface\n    edit \"a\"\n        set keylife 1\n    next\nend\n");
        Assert.Equal(78, ConsoleCapture.Run("check", "--config", path).ExitCode);
        Assert.Equal(78, ConsoleCapture.Run("run", "--config", path, "--state-dir", Path.Combine(_directory, "state")).ExitCode);
        Assert.False(Directory.Exists(Path.Combine(_directory, "state")), "nothing is set up for a refused configuration");
    }

    [Fact]
    public void WithoutConfig_TheDefaultPathUnderEtcIsUsed()
    {
        var (code, stdout, stderr) = ConsoleCapture.Run("check");
        if (File.Exists("/etc/sharpswan/sharpswan.conf"))
        {
            // A machine with the package installed checks its real file.
            Assert.Contains("sharpswan.conf", stdout + stderr, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(78, code);
        Assert.Contains("/etc/sharpswan/sharpswan.conf: no such file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsTheProductVersion()
    {
        var (code, stdout, _) = ConsoleCapture.Run("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("sharpswan 0.1.0", stdout.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_ExitsNonZero()
    {
        var (code, _, stderr) = ConsoleCapture.Run("check", "--config", Path.Combine(_directory, "absent.conf"));
        Assert.NotEqual(0, code);
        Assert.Contains("no such file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void KeptTable_IsAWarning_AndStrictMakesItAnError()
    {
        var path = Write("bgp.conf", """
            config vpn ipsec phase1-interface
                edit "to-branch"
                    set interface "eth0"
                    set ike-version 2
                    set remote-gw 198.51.100.2
                    set proposal aes128-sha256
                    set dhgrp 14
                    set psksecret "a-long-enough-secret"
                next
            end
            config router bgp
                set as 65010
            end
            """);
        var (code, stdout, stderr) = ConsoleCapture.Run("check", "--config", path);
        Assert.Equal(0, code);
        Assert.Contains("configuration OK (1 phase1", stdout, StringComparison.Ordinal);
        Assert.Contains("bgp.conf:11: warning: config router bgp is kept as it is but SharpSwan does not act on it: run a routing daemon such as FRR", stderr, StringComparison.Ordinal);

        var (strictCode, strictOut, strictErr) = ConsoleCapture.Run("check", "--config", path, "--strict");
        Assert.NotEqual(0, strictCode);
        Assert.DoesNotContain("configuration OK", strictOut, StringComparison.Ordinal);
        Assert.Contains("1 warning(s) and --strict; configuration refused", strictErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_WritesTheConfiguration0600_AndReportsWhatWasTakenAndWhatToReEnter()
    {
        var source = Write("fgt.conf", """
            #config-version=FGT60F-7.2.5-FW-build1517-230606:opmode=0:vdom=0:user=admin
            config system interface
                edit "wan1"
                    set ip 203.0.113.2 255.255.255.0
                next
            end
            config vpn ipsec phase1-interface
                edit "to-dc"
                    set interface "wan1"
                    set ike-version 2
                    set proposal aes256-sha256
                    set dhgrp 14
                    set remote-gw 198.51.100.9
                    set psksecret ENC UvImZaYMEtKJGF2VDuiBNgkWb2sRPReNbA/TkB/yOaGglfIPk5VlDPk4C47bIkprJIoekk6P0K4uGpSSozBfGIy2EJAPnjR/rohtxlB3lex0XEw/yy6yxz4Uk0yGfuBXunJJmw==
                next
                edit "v1"
                    set interface "wan1"
                    set proposal aes128-sha1
                    set remote-gw 198.51.100.10
                    set mode aggressive
                    set dhgrp 14
                    set mode-cfg enable
                    set psksecret "ikev1-secret-here"
                next
            end
            """);
        var target = Path.Combine(_directory, "out.conf");
        var (code, stdout, _) = ConsoleCapture.Run("import", source, "--out", target);
        Assert.Equal(2, code);
        Assert.Contains("tunnels taken over: 1\n  phase1 \"to-dc\"", stdout, StringComparison.Ordinal);
        Assert.Contains("kept as they are but not acted on: 1", stdout, StringComparison.Ordinal);
        Assert.Contains("refused: 1\n  config vpn ipsec phase1-interface > edit \"v1\": ", stdout, StringComparison.Ordinal);
        Assert.Contains("secrets to set again (encrypted by the FortiGate with its own key): 1", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ikev1-secret-here", stdout, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(target));
        var written = File.ReadAllText(target);
        Assert.StartsWith("#config-version=SharpSwan:imported-from=fgt.conf\n", written, StringComparison.Ordinal);
        Assert.Contains("config system interface", written, StringComparison.Ordinal);

        // A second import does not overwrite without --force.
        var (again, _, againErr) = ConsoleCapture.Run("import", source, "--out", target);
        Assert.Equal(1, again);
        Assert.Contains("exists", againErr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
