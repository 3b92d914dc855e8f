using System.Collections.Concurrent;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// Worker threads for the engine's public-key work (issue 14 item 7, <see cref="EngineComputation"/>): the Diffie-Hellman
/// key pairs, shared secrets and key derivation of each IKE_SA_INIT and CREATE_CHILD_SA (PFS, IKE SA rekey), and the
/// IKE_AUTH signatures made and checked, run here while the engine thread serves other SAs; each result goes back to the
/// engine thread through
/// <paramref name="complete"/> (the engine loop's first lane), where the engine goes on with that SA. The queue is bounded:
/// when it is full the engine computes inline, which slows new setups down instead of queueing without limit.
/// </summary>
/// <param name="complete">Posts a finished computation to the engine thread; false when the engine no longer takes work.</param>
public sealed class ComputationPool(int workers, Func<EngineComputation, bool> complete) : IDisposable
{
    /// <summary>Computations waiting at most; about as many as the engine loop's IKE_SA_INIT lane holds.</summary>
    public const int QueueCapacity = 1024;

    private readonly BlockingCollection<EngineComputation> _queue = new(QueueCapacity);
    private Thread[] _threads = [];

    /// <summary>One worker per core (at most 8): the work is pure CPU and the engine thread only waits for it.</summary>
    public static int DefaultWorkers => Math.Clamp(Environment.ProcessorCount, 1, 8);

    public void Start()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _threads = [.. Enumerable.Range(0, workers).Select(i => new Thread(Work) { Name = $"ike-compute-{i}", IsBackground = true })];
        foreach (var thread in _threads)
        {
            thread.Start();
        }
    }

    /// <summary>Queues the work; false (the engine then computes it itself) when the queue is full or the pool stopped.</summary>
    public bool TryRun(EngineComputation computation)
    {
        try
        {
            return !_queue.IsAddingCompleted && _queue.TryAdd(computation);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }

        // Whatever the workers did not take may hold a private key: wiped, never completed.
        while (_queue.TryTake(out var left))
        {
            left.Discard();
        }
    }

    private void Work()
    {
        foreach (var computation in _queue.GetConsumingEnumerable())
        {
            try
            {
                computation.Run();
            }
            catch (Exception ex)
            {
                // Completed all the same: with no result the engine fails the step (no keys: the peer's value is refused).
                Console.Error.WriteLine($"ike 0: {computation.GetType().Name} for IKE SA {computation.SaSerial} failed: {ex.Message}");
            }

            if (!complete(computation))
            {
                computation.Discard();
            }
        }
    }
}
