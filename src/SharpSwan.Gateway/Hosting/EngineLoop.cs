using System.Collections.Concurrent;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// The single thread that owns the IKE engine. Sockets, the data plane and the control socket post work here; the loop
/// sleeps until the engine's next deadline or the next posted item, so the engine never needs a lock.
/// </summary>
public sealed class EngineLoop : IDisposable
{
    private readonly BlockingCollection<Action> work = new(new ConcurrentQueue<Action>(), 65536);
    private readonly TimeProvider time;
    private readonly Thread thread;
    private readonly CancellationTokenSource stopping = new();
    private IkeEngine? engine;

    public EngineLoop(TimeProvider time)
    {
        this.time = time;
        thread = new Thread(Run) { Name = "ike-engine", IsBackground = true };
    }

    public void Start(IkeEngine ownedEngine)
    {
        engine = ownedEngine;
        thread.Start();
        Post(ownedEngine.Start);
    }

    /// <summary>Queues work for the engine thread; drops it (returns false) when the queue is full rather than blocking I/O threads.</summary>
    public bool Post(Action action) => !stopping.IsCancellationRequested && work.TryAdd(action);

    /// <summary>Runs a function on the engine thread and waits for its result (control-socket queries).</summary>
    public Task<T> InvokeAsync<T>(Func<IkeEngine, T> function)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(() =>
            {
                try
                {
                    completion.SetResult(function(engine!));
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
        stopping.Cancel();
        if (thread.IsAlive)
        {
            thread.Join(TimeSpan.FromSeconds(5));
        }

        work.Dispose();
        stopping.Dispose();
    }

    private void Run()
    {
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            var wait = TimeSpan.FromSeconds(1);
            if (engine!.NextDeadline() is { } deadline)
            {
                var until = deadline - time.GetUtcNow();
                wait = until < TimeSpan.Zero ? TimeSpan.Zero : until < wait ? until : wait;
            }

            try
            {
                if (work.TryTake(out var action, (int)Math.Ceiling(wait.TotalMilliseconds), token))
                {
                    action();
                    while (work.TryTake(out var more))
                    {
                        more();
                    }
                }

                engine.Tick();
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
