namespace SharpSwan.Testing;

/// <summary>
/// Shared as source by the tests of the per-packet paths: the bytes a call allocates on the calling thread once warmed up.
/// One batch is not enough on a loaded machine: the runtime's own one-off work (a tier-1 recompile or on-stack
/// replacement landing inside the batch) can allocate on this thread. A call that allocates does so in every batch, so the
/// fewest bytes over a few batches is zero only when the call itself allocates nothing.
/// </summary>
internal static class SteadyAllocation
{
    /// <summary>
    /// Calls <paramref name="call"/> <paramref name="warmUp"/> times, then in batches of <paramref name="batchSize"/> until a
    /// batch allocates nothing or <paramref name="batches"/> have run.
    /// </summary>
    /// <param name="beforeBatch">
    /// Called with the batch number before each batch (outside the count): a one-time event the test is about (a
    /// boundary crossed) can be set up again so that every batch includes it.
    /// </param>
    /// <returns>The fewest bytes one batch allocated, and how many calls were made in all (warm-up included).</returns>
    public static (long FewestBytes, int Calls) Measure(Action call, int warmUp, int batchSize, int batches = 5, Action<int>? beforeBatch = null)
    {
        for (var i = 0; i < warmUp; i++)
        {
            call();
        }

        var calls = warmUp;
        var fewest = long.MaxValue;
        for (var b = 0; b < batches && fewest != 0; b++)
        {
            beforeBatch?.Invoke(b);
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < batchSize; i++)
            {
                call();
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
            calls += batchSize;
        }

        return (fewest, calls);
    }
}
