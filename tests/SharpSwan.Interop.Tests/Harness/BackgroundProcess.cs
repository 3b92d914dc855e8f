using System.Diagnostics;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// A long-running child (charon, the gateway, iperf3 server, tcpdump) in a session of its own, so that
/// stopping it also stops anything it spawned. Output goes to memory (for assertion messages) and to a file.
/// </summary>
public sealed class BackgroundProcess : IDisposable
{
    private const int MaxLinesInMemory = 20_000;

    private readonly Process _process;
    private readonly StreamWriter _logFile;
    private readonly List<string> _lines = [];
    private readonly bool _timestampLines;
    private bool _disposed;

    private BackgroundProcess(Process process, StreamWriter logFile, bool timestampLines)
    {
        _process = process;
        _logFile = logFile;
        _timestampLines = timestampLines;
    }

    /// <summary>Process id; also the process group id, because setsid made the child a session leader.</summary>
    public int Id => _process.Id;

    public string LogPath { get; private init; } = "";

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    public static BackgroundProcess Start(
        IReadOnlyList<string> command,
        string logPath,
        IReadOnlyDictionary<string, string>? environment = null,
        bool timestampLines = false)
    {
        // setsid does not fork here (a child of .NET is never a group leader), so the pid we see is the
        // pid that ends up running the final exec'd program.
        var startInfo = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string part in command)
        {
            startInfo.ArgumentList.Add(part);
        }

        if (environment is not null)
        {
            foreach ((string name, string value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        var logFile = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = new Process { StartInfo = startInfo };
        var background = new BackgroundProcess(process, logFile, timestampLines) { LogPath = logPath };
        process.OutputDataReceived += (_, e) => background.RecordOutput(e.Data);
        process.ErrorDataReceived += (_, e) => background.RecordOutput(e.Data);
        background.Note($"$ {string.Join(' ', command)}");
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return background;
    }

    /// <summary>Adds a harness remark to the captured output, so the log reads as one timeline.</summary>
    public void Note(string remark) => Record($"[harness {DateTime.Now:HH:mm:ss.fff}] {remark}");

    public IReadOnlyList<string> Lines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }

    public IReadOnlyList<string> Tail(int count)
    {
        lock (_lines)
        {
            return _lines.Skip(Math.Max(0, _lines.Count - count)).ToList();
        }
    }

    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>SIGTERM to the program, then SIGKILL to its whole process group after the grace period.</summary>
    public void Stop(TimeSpan grace)
    {
        if (!_process.HasExited)
        {
            Note("stopping with SIGTERM");
            Signal("-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!_process.WaitForExit(grace))
            {
                Note($"still running after {grace.TotalSeconds:0} s: SIGKILL to its process group");
            }
        }

        // Always sweep the group: helpers it forked may outlive the main program.
        Signal("-KILL", "-" + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.WaitForExit(TimeSpan.FromSeconds(5));
        if (_process.HasExited)
        {
            Note($"exited with code {_process.ExitCode}");
        }
    }

    /// <summary>SIGKILL to the whole process group at once, as a crash would: no chance to clean up or say goodbye.</summary>
    public void Kill()
    {
        Note("SIGKILL to its process group");
        Signal("-KILL", "-" + _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _process.WaitForExit(TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Stop(TimeSpan.FromSeconds(5));
        _disposed = true;
        lock (_lines)
        {
            _logFile.Dispose();
        }

        _process.Dispose();
    }

    private static void Signal(string signal, string target) =>
        ProcessRunner.Run("kill", [signal, "--", target], TimeSpan.FromSeconds(5));

    /// <summary>With timestamps on, a program's lines can be lined up with ping's and charon's in time.</summary>
    private void RecordOutput(string? line) =>
        Record(line is not null && _timestampLines ? $"{DateTime.Now:HH:mm:ss.fff} {line}" : line);

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lines)
        {
            if (_lines.Count >= MaxLinesInMemory)
            {
                _lines.RemoveRange(0, MaxLinesInMemory / 10);
            }

            _lines.Add(line);
            if (!_disposed)
            {
                _logFile.WriteLine(line);
            }
        }
    }
}
