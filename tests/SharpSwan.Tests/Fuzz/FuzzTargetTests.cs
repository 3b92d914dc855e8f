using System.Diagnostics;
using System.Text.RegularExpressions;

namespace SharpSwan.Tests.Fuzz;

/// <summary>
/// Each coverage-guided fuzz target (fuzz/run.sh: SharpFuzz-instrumented harness under AFL++) runs for a few seconds from
/// its committed seeds: a seed that crashes, a crash or a hang found in that time, or a harness that does not run, fails.
/// The long runs and their figures are in fuzz/README.md.
/// </summary>
public sealed partial class FuzzTargetTests : IDisposable
{
    private const int Seconds = 5;

    private readonly string _findings = Directory.CreateTempSubdirectory("sharpswan-fuzz-").FullName;

    public static TheoryData<string> Targets => ["ike", "ike-sk", "ikev1", "esp", "config", "cli", "rest", "cert"];

    [Theory]
    [MemberData(nameof(Targets))]
    public void Target_runs_under_afl_without_a_crash_or_hang(string target)
    {
        var (status, output) = Run(target);

        var summary = Summary().Match(output);
        Assert.True(summary.Success, $"fuzz/run.sh {target} printed no summary (exit {status}):\n{output}");
        Assert.True(long.Parse(summary.Groups["execs"].Value, System.Globalization.CultureInfo.InvariantCulture) > 0, output);
        Assert.Equal("0", summary.Groups["crashes"].Value);
        Assert.Equal("0", summary.Groups["hangs"].Value);
        Assert.Equal(0, status);
    }

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (var target in Targets)
        {
            Assert.NotEmpty(Directory.GetFiles(Path.Combine(RepositoryRoot(), "fuzz", "seeds", target)));
        }
    }

    public void Dispose() => Directory.Delete(_findings, recursive: true);

    private (int Status, string Output) Run(string target)
    {
        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot(), "fuzz", "run.sh"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(target);
        start.ArgumentList.Add(Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.Environment["SHARPSWAN_FUZZ_FINDINGS"] = Path.Combine(_findings, target);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SharpSwan.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (SharpSwan.slnx) is not above the test binaries");
    }

    [GeneratedRegex(@"execs=(?<execs>\d+) paths=\d+ crashes=(?<crashes>\d+) hangs=(?<hangs>\d+)")]
    private static partial Regex Summary();
}
