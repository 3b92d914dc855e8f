namespace SharpSwan.Interop.Tests.DialUp;

/// <summary>
/// Starts every dial-up interop scenario at once, each on a thread of its own, and hands each test its outcome.
/// Each scenario has its own namespaces, processes and diagnostics directory; most of their time is spent waiting
/// for IKE exchanges and pings, so side by side they cost about the longest one instead of their sum.
/// Disposing waits for all of them, so every scenario has torn down what it started.
/// </summary>
public sealed class DialUpScenarioRuns : IDisposable
{
    /// <summary>Far above the longest scenario; every wait inside them has its own deadline.</summary>
    private static readonly TimeSpan DisposeLimit = TimeSpan.FromMinutes(8);

    private readonly Dictionary<string, Task<string>> _runs;

    public DialUpScenarioRuns()
    {
        IEnumerable<KeyValuePair<string, Func<string>>> all =
            RoadWarriorInteropTests.Scenarios
                .Concat(DialUpRefusalInteropTests.Scenarios)
                .Concat(DialUpSpokeInteropTests.Scenarios);
        _runs = all.ToDictionary(
            entry => entry.Key,
            entry => Task.Factory.StartNew(entry.Value, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    /// <summary>The scenario's notes, or its failure (an assertion exception carrying the diagnostics).</summary>
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
