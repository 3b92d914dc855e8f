using System.Diagnostics;

namespace SharpSwan.Tests;

/// <summary>
/// `sharpswan run` as systemd starts it, in a process of its own: the exit status a unit acts on when a privilege is
/// missing (77), and the journal's priority prefixes on the service log under systemd (plain lines otherwise).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ServiceProcessTests : IDisposable
{
    private const string Valid = """
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
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-service-").FullName;

    [Fact]
    public void Run_WithoutTheNetworkCapabilities_ExitsWithNoPerm77()
    {
        var config = Write("good.conf", Valid);

        // An empty bounding set: even uid 0 starts the gateway without CAP_NET_ADMIN/NET_RAW/NET_BIND_SERVICE.
        var (code, _, stderr) = Sharpswan(
            ["run", "--config", config, "--state-dir", Path.Combine(_directory, "state"), "--control", Path.Combine(_directory, "gw.sock")],
            prefix: ["setpriv", "--bounding-set=-all", "--inh-caps=-all", "--ambient-caps=-all"]);

        Assert.True(code == 77, stderr);
        Assert.Contains("CAP_NET_ADMIN", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AsRootWithAnUnknownUser_ExitsWithNoPerm77_BeforeChangingAnything()
    {
        var config = Write("good.conf", Valid);

        var (code, _, stderr) = Sharpswan(
            ["run", "--config", config, "--state-dir", Path.Combine(_directory, "state"), "--control", Path.Combine(_directory, "gw.sock"), "--user", "no-such-user-x7"]);

        Assert.True(code == 77, stderr);
        Assert.Contains("'no-such-user-x7' does not exist", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_directory, "state")), "nothing was started");
    }

    [Fact]
    public void Run_AsRootWithAUserWhoCannotReadTheConfiguration_ExitsWithNoPerm77_NamingTheFile()
    {
        // The scratch directory is 0700 root: nobody cannot reach the file.
        var config = Write("good.conf", Valid);

        var (code, _, stderr) = Sharpswan(
            ["run", "--config", config, "--state-dir", Path.Combine(_directory, "state"), "--control", Path.Combine(_directory, "gw.sock"), "--user", "nobody"]);

        Assert.True(code == 77, stderr);
        Assert.Contains($"cannot read the configuration file {config}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AsAnotherUserWithUserOption_ExitsWithNoPerm77_InsteadOfIgnoringIt()
    {
        // Readable by nobody, so the refusal cannot come from the file.
        File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
        var config = Write("good.conf", Valid);

        var (code, _, stderr) = Sharpswan(
            ["run", "--config", config, "--state-dir", Path.Combine(_directory, "state"), "--control", Path.Combine(_directory, "gw.sock"), "--user", "root"],
            prefix: ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--inh-caps=+net_admin,+net_raw,+net_bind_service", "--ambient-caps=+net_admin,+net_raw,+net_bind_service"]);

        Assert.True(code == 77, stderr);
        Assert.Contains("--user root needs a start as root", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UnderSystemd_TheServiceLogCarriesJournalPriorities_ElsewherePlainLines()
    {
        var config = Write("bad.conf", "config vpn ipsec phase1-interface\n    edit \"a\"\n        set keylife 1\n    next\nend\n");
        string[] run = ["run", "--config", config, "--state-dir", Path.Combine(_directory, "state")];

        var journal = Sharpswan(run, environment: new() { ["JOURNAL_STREAM"] = "8:12345", ["INVOCATION_ID"] = null });
        var console = Sharpswan(run, environment: new() { ["JOURNAL_STREAM"] = null, ["INVOCATION_ID"] = null });

        Assert.Equal(78, journal.ExitCode);
        Assert.Equal(78, console.ExitCode);
        Assert.Contains(Lines(journal.Stderr), l => l.StartsWith("<3>", StringComparison.Ordinal));
        Assert.DoesNotContain(Lines(console.Stderr), l => l.StartsWith('<'));
        Assert.NotEmpty(Lines(console.Stderr));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static (int ExitCode, string Stdout, string Stderr) Sharpswan(
        string[] arguments, string[]? prefix = null, Dictionary<string, string?>? environment = null)
    {
        var entry = typeof(Program).Assembly.Location;
        string[] command = [.. prefix ?? [], "dotnet", entry, .. arguments];
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(60)), "sharpswan did not exit");
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
