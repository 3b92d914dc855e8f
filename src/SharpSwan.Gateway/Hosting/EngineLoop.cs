using System.Collections.Concurrent;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// The single thread that owns the IKE engine. Sockets, the data plane and the control socket post work here; the loop
/// sleeps until the engine's next deadline or the next posted item, so the engine never needs a lock.
/// </summary>
public sealed class EngineLoop : IDisposable
{
    private readonly BlockingCollection<Action> _work = new(new ConcurrentQueue<Action>(), 65536);
    private readonly TimeProvider _time;
    private readonly Thread _thread;
    private readonly CancellationTokenSource _stopping = new();
    private IkeEngine? _engine;

    public EngineLoop(TimeProvider time)
    {
        this._time = time;
        _thread = new Thread(Run) { Name = "ike-engine", IsBackground = true };
    }

    public void Start(IkeEngine ownedEngine)
    {
        _engine = ownedEngine;
        _thread.Start();
        Post(ownedEngine.Start);
    }

    /// <summary>True once started and until disposed: work posted now is run.</summary>
    public bool IsRunning => _thread.IsAlive && !_stopping.IsCancellationRequested;

    /// <summary>Queues work for the engine thread; drops it (returns false) when the queue is full rather than blocking I/O threads.</summary>
    public bool Post(Action action) => !_stopping.IsCancellationRequested && _work.TryAdd(action);

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

        _work.Dispose();
        _stopping.Dispose();
    }

    private void Run()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(1);
            if (_engine!.NextDeadline() is { } deadline)
            {
                var until = deadline - _time.GetUtcNow();
                wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < wait ? until : wait;
            }

            try
            {
                if (_work.TryTake(out var action, (int)Math.Ceiling(wait.TotalMilliseconds), token))
                {
                    action();
                    while (_work.TryTake(out var more))
                    {
                        more();
                    }
                }

                _engine.Tick();
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
}
