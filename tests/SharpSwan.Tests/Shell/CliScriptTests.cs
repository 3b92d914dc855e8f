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
