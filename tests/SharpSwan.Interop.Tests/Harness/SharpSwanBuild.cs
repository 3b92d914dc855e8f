namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// Makes sure artifacts/bin holds a current gateway exactly once per test run. Every later launcher call
/// sets SHARPSWAN_NO_BUILD=1, so edits other people make to src/ during the run cannot swap the binary
/// under a running gateway.
/// </summary>
public static class SharpSwanBuild
{
    /// <summary>Generous, because a run outside test.sh may have to compile the gateway from scratch.</summary>
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromSeconds(170);

    private static readonly Lazy<ProcessResult> LazyResult = new(() => ProcessRunner.Run(
        RepositoryLayout.Launcher,
        [],
        BuildTimeout,
        new Dictionary<string, string> { ["SHARPSWAN_BUILD_ONLY"] = "1" }));

    public static IReadOnlyDictionary<string, string> NoRebuildEnvironment { get; } =
        new Dictionary<string, string> { ["SHARPSWAN_NO_BUILD"] = "1" };

    /// <summary>Throws with the compiler output if the gateway cannot be built; the outcome is cached.</summary>
    public static void EnsureBuilt()
    {
        ProcessResult result = LazyResult.Value;
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"'{RepositoryLayout.Launcher}' could not build the gateway: {result.Describe()}");
        }
    }
}
