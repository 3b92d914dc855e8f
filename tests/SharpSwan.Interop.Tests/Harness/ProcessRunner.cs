using System.Diagnostics;
using System.Text;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>Runs short-lived commands with a hard timeout; never waits forever on anything.</summary>
public static class ProcessRunner
{
    /// <summary>How long to keep reading output after exit: a daemon forked by the command may hold the pipe open.</summary>
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(2);

    public static ProcessResult Run(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach ((string name, string value) in environment)
            {
                startInfo.Environment[name] = value;
            }
        }

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var stdoutClosed = new ManualResetEventSlim();
        using var stderrClosed = new ManualResetEventSlim();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(stdout, stdoutClosed, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, stderrClosed, e.Data);

        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        bool exited = process.WaitForExit(timeout);
        if (!exited)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the timeout and the kill.
            }

            process.WaitForExit(OutputDrainLimit);
        }

        stdoutClosed.Wait(OutputDrainLimit);
        stderrClosed.Wait(OutputDrainLimit);
        int exitCode = process.HasExited ? process.ExitCode : -1;
        lock (stdout)
        {
            lock (stderr)
            {
                return new ProcessResult(exitCode, stdout.ToString(), stderr.ToString(), TimedOut: !exited);
            }
        }
    }

    public static ProcessResult Run(string fileName, params string[] arguments) =>
        Run(fileName, arguments, TimeSpan.FromSeconds(30));

    private static void Append(StringBuilder buffer, ManualResetEventSlim closed, string? line)
    {
        if (line is null)
        {
            closed.Set();
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
