namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// The gateway under test, run through the repository's launcher inside a namespace:
/// <c>sharpswan run --config FILE --control SOCK --state-dir DIR --log-level -1</c> (state beside the file). Its output is kept for failure messages
/// and written to gateway-&lt;label&gt;.log in the test's diagnostics directory.
/// </summary>
public sealed class SharpSwanGateway : IDisposable
{
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(15);

    private readonly BackgroundProcess _process;
    private readonly string _workDirectory;
    private bool _disposed;

    private SharpSwanGateway(string label, string workDirectory, BackgroundProcess process)
    {
        Label = label;
        _workDirectory = workDirectory;
        _process = process;
    }

    public string Label { get; }

    public string ConfigPath => Path.Combine(_workDirectory, "sharpswan.conf");

    public string ControlSocket => Path.Combine(_workDirectory, "control.sock");

    public bool HasExited => _process.HasExited;

    /// <summary>The gateway's process id (the launcher and the privilege drop both exec, so it stays the same), e.g. to send it SIGHUP.</summary>
    public int ProcessId => _process.Id;

    public int? ExitCode => _process.ExitCode;

    /// <summary>The gateway's resident set in KiB (VmRSS of /proc/PID/status), null once it has gone.</summary>
    public long? ResidentKib()
    {
        try
        {
            string? line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public string LogPath => _process.LogPath;

    /// <param name="timestampLines">Prefix every output line with the local time (HH:mm:ss.fff), for lifecycle timelines.</param>
    /// <param name="launch">Another user or extra run options; null starts it as root.</param>
    public static SharpSwanGateway Start(
        NetworkNamespace ns, string configText, string label, string diagnosticsDirectory, bool timestampLines = false, string logLevel = "-1",
        GatewayLaunch? launch = null)
    {
        SharpSwanBuild.EnsureBuilt();
        launch ??= GatewayLaunch.AsRoot;
        string work = RepositoryLayout.CreateWorkDirectory("gateway-" + label);
        File.WriteAllText(Path.Combine(work, "sharpswan.conf"), configText);
        File.WriteAllText(Path.Combine(diagnosticsDirectory, $"gateway-{label}.conf"), configText);
        if (launch.WorkOwner is { } owner)
        {
            ProcessResult chown = ProcessRunner.Run("chown", ["-R", $"{owner}:", work], TimeSpan.FromSeconds(10));
            if (!chown.Succeeded)
            {
                throw new InvalidOperationException($"chown of {work} to {owner} failed: {chown.Describe()}");
            }
        }

        BackgroundProcess process = BackgroundProcess.Start(
            ns.Wrap([
                .. launch.Prefix,
                RepositoryLayout.Launcher, "run",
                "--config", Path.Combine(work, "sharpswan.conf"),
                "--control", Path.Combine(work, "control.sock"),
                "--state-dir", work,
                "--log-level", logLevel,
                .. launch.RunOptions]),
            Path.Combine(diagnosticsDirectory, $"gateway-{label}.log"),
            SharpSwanBuild.NoRebuildEnvironment,
            timestampLines);
        return new SharpSwanGateway(label, work, process);
    }

    /// <summary>True once the control socket exists while the process still runs.</summary>
    public bool WaitUntilReady(TimeSpan timeout) =>
        Wait.Until(() => HasExited || File.Exists(ControlSocket), timeout) && !HasExited && File.Exists(ControlSocket);

    /// <summary>Runs one FortiOS CLI command against the running gateway and returns its standard output.</summary>
    public string Cli(string command)
    {
        ProcessResult result = ProcessRunner.Run(
            RepositoryLayout.Launcher,
            ["cli", "--control", ControlSocket, "-c", command],
            CliTimeout,
            SharpSwanBuild.NoRebuildEnvironment);
        if (!result.Succeeded)
        {
            _process.Note($"cli '{command}' failed: {result.Describe()}");
        }

        return result.StandardOutput;
    }

    /// <summary>Runs several commands in one CLI session (as `-c ... -c ...`), e.g. a `config` ... `end` block.</summary>
    public ProcessResult CliSession(params string[] commands)
    {
        var arguments = new List<string> { "cli", "--control", ControlSocket };
        foreach (var command in commands)
        {
            arguments.Add("-c");
            arguments.Add(command);
        }

        ProcessResult result = ProcessRunner.Run(RepositoryLayout.Launcher, arguments, CliTimeout, SharpSwanBuild.NoRebuildEnvironment);
        if (!result.Succeeded)
        {
            _process.Note($"cli session failed: {result.Describe()}");
        }

        return result;
    }

    /// <summary>
    /// Runs `sharpswan cli -c ...` in the background (one session for all commands) for streaming commands (debug output,
    /// the sniffer); its output goes to &lt;label&gt;.log in <paramref name="diagnosticsDirectory"/>.
    /// </summary>
    public BackgroundProcess StreamCli(string diagnosticsDirectory, string label, params string[] commands)
    {
        var arguments = new List<string> { RepositoryLayout.Launcher, "cli", "--control", ControlSocket };
        foreach (var command in commands)
        {
            arguments.Add("-c");
            arguments.Add(command);
        }

        return BackgroundProcess.Start(arguments, Path.Combine(diagnosticsDirectory, $"{label}.log"), SharpSwanBuild.NoRebuildEnvironment);
    }

    public IReadOnlyList<string> Tail(int lines) => _process.Tail(lines);

    public string Output => string.Join('\n', _process.Lines());

    public void Note(string remark) => _process.Note(remark);

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _process.Dispose();
        try
        {
            Directory.Delete(_workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the scratch root is swept by test.sh.
        }
    }
}
