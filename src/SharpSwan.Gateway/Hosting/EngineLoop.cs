using System.Collections.Concurrent;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// The single thread that owns the IKE engine. Sockets, the data plane and the control socket post work here; the loop
/// sleeps until the engine's next deadline or the next posted item, so the engine never needs a lock.
/// Work comes in two lanes so that an IKE_SA_INIT flood never starves established SAs (issue 11, item 3): everything for
/// an existing IKE SA (rekeys, DPD, DELETE), the data plane's requests and control and web calls go in the first lane and
/// always run first; new IKE_SA_INIT requests go in the second, bounded lane, a slice at a time, and the engine's timers
/// run between slices. When the second lane is full, new IKE_SA_INIT requests are dropped and counted.
/// </summary>
public sealed class EngineLoop : IDisposable
{
    /// <summary>New IKE_SA_INIT requests waiting at most: about a tenth of a second of a heavy flood, a few hundred KiB.</summary>
    public const int InitLaneCapacity = 1024;

    /// <summary>New IKE_SA_INIT requests handled before the first lane and the timers are looked at again.</summary>
    private const int InitSlice = 32;

    private const int FirstLaneCapacity = 65536;

    private readonly ConcurrentQueue<Action> _first = new();
    private readonly ConcurrentQueue<Action> _init = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly TimeProvider _time;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stopping = new();
    private IkeEngine? _engine;
    private int _firstCount;
    private int _initCount;
    private long _initDropped;
    private long _initOversized;
    private int _wakeRequested;

    public EngineLoop(TimeProvider time)
    {
        this._time = time;
        _thread = new Thread(Run) { Name = "ike-engine", IsBackground = true };
    }

    /// <summary>New IKE_SA_INIT requests dropped because their lane was full.</summary>
    public long InitDropped => Interlocked.Read(ref _initDropped);

    /// <summary>New IKE_SA_INIT requests over the size cap, dropped before they were queued.</summary>
    public long InitOversized => Interlocked.Read(ref _initOversized);

    public void Start(IkeEngine ownedEngine)
    {
        _engine = ownedEngine;
        _thread.Start();
        Post(ownedEngine.Start);
    }

    /// <summary>True once started and until disposed: work posted now is run.</summary>
    public bool IsRunning => _thread.IsAlive && !_stopping.IsCancellationRequested;

    /// <summary>Queues work for the engine thread; drops it (returns false) when the queue is full rather than blocking I/O threads.</summary>
    public bool Post(Action action) => Enqueue(_first, ref _firstCount, FirstLaneCapacity, action);

    /// <summary>Queues a new IKE_SA_INIT request behind all other work; false (counted) when its lane is full.</summary>
    public bool PostInit(Action action)
    {
        if (Enqueue(_init, ref _initCount, InitLaneCapacity, action))
        {
            return true;
        }

        Interlocked.Increment(ref _initDropped);
        return false;
    }

    /// <summary>Counts a new IKE_SA_INIT request the reader dropped for its size.</summary>
    public void CountOversizedInit() => Interlocked.Increment(ref _initOversized);

    /// <summary>Runs a function on the engine thread and waits for its result (control-socket queries).</summary>
    public Task<T> InvokeAsync<T>(Func<IkeEngine, T> function)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(() =>
            {
                try
                {
                    completion.SetResult(function(_engine!));
                }
                catch (Exception ex)
                {
                    completion.SetException(ex);
                }
            }))
        {
            completion.SetException(new InvalidOperationException("the gateway is stopping"));
        }

        return completion.Task;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        if (_thread.IsAlive)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }

        _signal.Dispose();
        _stopping.Dispose();
    }

    private bool Enqueue(ConcurrentQueue<Action> lane, ref int count, int capacity, Action action)
    {
        if (_stopping.IsCancellationRequested)
        {
            return false;
        }

        if (Interlocked.Increment(ref count) > capacity)
        {
            Interlocked.Decrement(ref count);
            return false;
        }

        lane.Enqueue(action);
        // One wake-up per sleep, not one per item: a flood must not pile up semaphore counts.
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0)
        {
            _signal.Release();
        }

        return true;
    }

    private bool TryTake(ConcurrentQueue<Action> lane, ref int count, out Action action)
    {
        if (!lane.TryDequeue(out action!))
        {
            return false;
        }

        Interlocked.Decrement(ref count);
        return true;
    }

    private void Run()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                Volatile.Write(ref _wakeRequested, 0);
                if (Volatile.Read(ref _firstCount) == 0 && Volatile.Read(ref _initCount) == 0)
                {
                    _signal.Wait(WaitTime(), token);
                }

                RunFirstLane();
                for (var i = 0; i < InitSlice && TryTake(_init, ref _initCount, out var init); i++)
                {
                    init();
                    RunFirstLane();
                }

                _engine!.Tick();
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex)
            {
                // A bug in one exchange must not take down every tunnel: report it and keep serving.
                Console.Error.WriteLine($"ike 0: internal error: {ex}");
            }
        }
    }

    private void RunFirstLane()
    {
        while (TryTake(_first, ref _firstCount, out var action))
        {
            action();
        }
    }

    /// <summary>Until the engine's next deadline, at most a second.</summary>
    private int WaitTime()
    {
        var wait = TimeSpan.FromSeconds(1);
        if (_engine!.NextDeadline() is { } deadline)
        {
            var until = deadline - _time.GetUtcNow();
            wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < wait ? until : wait;
        }

        return (int)Math.Ceiling(wait.TotalMilliseconds);
    }
}
