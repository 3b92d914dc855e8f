namespace SharpSwan.Interop.Tests;

/// <summary>
/// Starts every scenario of <see cref="LifecycleInteropTests"/> at once, each on a thread of its own, and hands
/// each test its outcome. The scenarios wait minutes of real time for lifetimes to run out; each has its own
/// namespaces, processes and diagnostics directory, so running them side by side costs the longest one instead
/// of their sum. Disposing waits for all of them, so every scenario has torn down what it started.
/// </summary>
public sealed class LifecycleScenarioRuns : IDisposable
{
    /// <summary>Far above the longest scenario; every wait inside them has its own deadline.</summary>
    private static readonly TimeSpan DisposeLimit = TimeSpan.FromMinutes(12);

    private readonly Dictionary<string, Task<string>> _runs;

    public LifecycleScenarioRuns()
    {
        _runs = LifecycleInteropTests.Scenarios.ToDictionary(
            entry => entry.Key,
            entry => Task.Factory.StartNew(entry.Value, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    /// <summary>The scenario's measurements, or its failure (an assertion exception carrying the diagnostics).</summary>
    public Task<string> Outcome(string scenario) => _runs[scenario];

    public void Dispose()
    {
        try
        {
            Task.WaitAll([.. _runs.Values], DisposeLimit);
        }
        catch (AggregateException)
        {
            // Each test has already reported its own scenario's failure.
        }
    }
}
