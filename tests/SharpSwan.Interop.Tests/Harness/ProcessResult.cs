namespace SharpSwan.Interop.Tests.Harness;

/// <summary>Outcome of a finished (or timed-out and killed) command.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>Everything a human needs to see why a command failed.</summary>
    public string Describe() =>
        $"exit={ExitCode}{(TimedOut ? " (timed out)" : "")}\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
