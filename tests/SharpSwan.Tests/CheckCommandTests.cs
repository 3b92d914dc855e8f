namespace SharpSwan.Tests;

/// <summary>`sharpswan check`: exit status and the file:line messages an administrator reads.</summary>
[Collection(ConsoleCollection.Name)]
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

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
