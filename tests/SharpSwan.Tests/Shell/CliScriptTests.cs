using System.Diagnostics;

namespace SharpSwan.Tests.Shell;

/// <summary>`sharpswan cli` without a terminal: -c commands and standard input, one session, exit status.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CliScriptTests : IDisposable
{
    private readonly InProcessGateway _gateway = new();

    public void Dispose() => _gateway.Dispose();

    [Fact]
    public void DashC_CommandsShareOneSession_SoAConfigBlockSpansThem()
    {
        var (code, stdout, stderr) = ConsoleCapture.Run(
            "cli", "--control", _gateway.SocketPath,
            "-c", "config vpn ipsec phase2-interface",
            "-c", "edit to-branch-p2",
            "-c", "set keylifeseconds 3600",
            "-c", "end",
            "-c", "show vpn ipsec phase2-interface to-branch-p2");
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal(3600, _gateway.Applier.Current.Phase2.Single().KeyLifeSeconds);
        Assert.Contains("        set keylifeseconds 3600\n", stdout, StringComparison.Ordinal);
        Assert.Contains("set keylifeseconds 3600", File.ReadAllText(_gateway.ConfigPath), StringComparison.Ordinal);
    }

    [Fact]
    public void AChange_ReachesTheGateway_WithTheCliUserTheKernelNames()
    {
        var (code, stdout, stderr) = ConsoleCapture.Run(
            "cli", "--control", _gateway.SocketPath,
            "-c", "config vpn ipsec phase2-interface", "-c", "edit to-branch-p2", "-c", "set keylifeseconds 3600", "-c", "end");
        Assert.True(code == 0, stdout + stderr);

        var author = Assert.Single(_gateway.Applier.Authors);
        var uid = uint.Parse(File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Gateway.Control.ChangeSource.Cli, author.Source);
        Assert.Equal(uid == 0 ? "root" : Environment.UserName, author.Name);
        Assert.Equal($"uid {uid} pid {Environment.ProcessId}", author.From);
    }

    [Fact]
    public void Json_AnswersAMonitorCommand_WithTheRestMonitorsFields()
    {
        var (code, stdout, stderr) = ConsoleCapture.Run("cli", "--control", _gateway.SocketPath, "--json", "-c", "get vpn ipsec tunnel summary");
        Assert.True(code == 0, stdout + stderr);

        var body = System.Text.Json.Nodes.JsonNode.Parse(stdout)!;
        Assert.Equal("vpn", (string?)body["path"]);
        Assert.Equal("ipsec", (string?)body["name"]);
        var tunnel = Assert.Single(body["results"]!.AsArray())!;
        Assert.Equal(("to-branch", "198.51.100.2", "down"), ((string?)tunnel["name"], (string?)tunnel["rgwy"], (string?)tunnel["status"]));
        Assert.Equal("to-branch-p2", (string?)tunnel["proxyid"]![0]!["p2name"]);
        Assert.Equal(0, (long?)tunnel["incoming_bytes"]);
    }

    [Fact]
    public void Json_WithAConfigCommand_FailsAndNamesTheCommandsThatHaveAJsonForm()
    {
        var (code, stdout, _) = ConsoleCapture.Run("cli", "--control", _gateway.SocketPath, "--json", "-c", "show vpn ipsec phase1-interface");
        Assert.Equal(1, code);
        Assert.Contains("diagnose vpn tunnel list", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("set remote-gw", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailingCommand_MakesTheExitStatusNonZero_ButTheRestStillRuns()
    {
        var (code, stdout, _) = ConsoleCapture.Run(
            "cli", "--control", _gateway.SocketPath,
            "-c", "config vpn ipsec phase1-interface",
            "-c", "edit to-branch",
            "-c", "set keylife 100",
            "-c", "set dpd on-idle",
            "-c", "end");
        Assert.Equal(1, code);
        Assert.Contains("value parse error before '100'\n", stdout, StringComparison.Ordinal);
        Assert.Contains("Command fail. Return code -651\n", stdout, StringComparison.Ordinal);
        Assert.Equal(Config.DpdMode.OnIdle, _gateway.Applier.Current.FindPhase1("to-branch")!.Dpd);
    }

    [Fact]
    public void AScriptEndingInsideAConfigBlock_FailsAndSaysSo()
    {
        var (code, _, stderr) = ConsoleCapture.Run(
            "cli", "--control", _gateway.SocketPath, "-c", "config vpn ipsec phase1-interface", "-c", "edit to-branch", "-c", "set keylife 7200");
        Assert.Equal(1, code);
        Assert.Contains("missing 'end'", stderr, StringComparison.Ordinal);
        Assert.Empty(_gateway.Applier.Applied);
    }

    [Fact]
    public async Task CommandsOnStandardInput_RunInOneSession()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "sharpswan.dll"), "cli", "--control", _gateway.SocketPath },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync("""
            # comments and blank lines are skipped

            config vpn ipsec phase1-interface
                edit "to-branch"
                    set keylife 7200
                next
            end
            get vpn ipsec phase1-interface to-branch
            """);
        process.StandardInput.Close();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, stdout + stderr);
        Assert.Equal(7200, _gateway.Applier.Current.FindPhase1("to-branch")!.KeyLifeSeconds);
        Assert.Matches(@"(?m)^keylife +: 7200$", stdout);
    }
}
