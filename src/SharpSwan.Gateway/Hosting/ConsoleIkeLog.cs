using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// The engine's log sink. Writes IKE debug lines to standard output when their level is within the one chosen on the
/// command line (`--log-level -1` shows everything, as `diagnose debug application ike -1` does), keeps the recent ones,
/// and hands every line, with its tunnel and addresses, to live listeners (debug streams, the event log).
/// </summary>
public sealed class ConsoleIkeLog(int level, TextWriter output, TimeProvider time) : IIkeLog
{
    private readonly Lock _gate = new();
    private readonly Queue<IkeDebugLine> _recent = new();
    private readonly List<int> _subscriberThresholds = [];
    private int _highestSubscriberThreshold;

    // Addresses of the last `comes` line; lines are written by one thread (the engine's), so no lock is needed.
    private (System.Net.IPEndPoint? Local, System.Net.IPEndPoint? Remote) _lastArrival;

    public const int RecentCapacity = 2000;

    /// <summary>Tunnel endpoints for lines that only name their phase 1; without it such lines carry no addresses.</summary>
    public TunnelEndpointMap? Endpoints { get; set; }

    /// <summary>Number of live debug listeners (control-socket clients streaming `diagnose debug enable`).</summary>
    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscriberThresholds.Count;
            }
        }
    }

    /// <summary>
    /// Raised for every line, on the writing (engine) thread, outside any lock. Handlers must be quick and must not throw:
    /// queue the line and return.
    /// </summary>
    public event Action<IkeDebugLine>? LineWritten;

    /// <summary>Event-level lines are always produced: the event log is derived from them whatever the console shows.</summary>
    public bool IsEnabled(IkeLogLevel candidate) =>
        candidate == IkeLogLevel.Event || IkeDebugFilter.LevelShows(level, candidate) || (int)candidate <= Volatile.Read(ref _highestSubscriberThreshold);

    /// <summary>Asks the engine for lines up to <paramref name="threshold"/> (see <see cref="IkeDebugFilter.Threshold"/>) until disposed.</summary>
    public IDisposable Subscribe(int threshold)
    {
        lock (_gate)
        {
            _subscriberThresholds.Add(threshold);
            Volatile.Write(ref _highestSubscriberThreshold, _subscriberThresholds.Max());
        }

        return new Subscription(this, threshold);
    }

    public void Write(IkeLogLevel candidate, string line)
    {
        var entry = Describe(candidate, line);
        lock (_gate)
        {
            _recent.Enqueue(entry);
            while (_recent.Count > RecentCapacity)
            {
                _recent.Dequeue();
            }

            if (IkeDebugFilter.LevelShows(level, candidate))
            {
                output.WriteLine(line);
                output.Flush();
            }
        }

        LineWritten?.Invoke(entry);
    }

    public IReadOnlyList<IkeDebugLine> Recent()
    {
        lock (_gate)
        {
            return _recent.ToList();
        }
    }

    private IkeDebugLine Describe(IkeLogLevel candidate, string line)
    {
        var phase1 = IkeLinePrefix.Phase1Name(line);
        if (phase1 is not null)
        {
            // Addresses matter only to filtered debug streams and the event log; skip the lookup for console-only lines.
            var wanted = candidate == IkeLogLevel.Event || Volatile.Read(ref _highestSubscriberThreshold) > 0;
            var endpoints = wanted ? Endpoints?.Find(phase1) : null;
            return new IkeDebugLine(time.GetLocalNow(), candidate, line, phase1, endpoints?.Local, endpoints?.Remote);
        }

        var (local, remote) = IkeLinePrefix.Addresses(line);
        if (local is not null && remote is not null)
        {
            _lastArrival = (local, remote);
        }
        else if (local is null && remote is null && line.Contains(" IKEv2 exchange=", StringComparison.Ordinal))
        {
            // The engine describes each arriving message in two lines: `comes A->B,...` then `IKEv2 exchange=...`.
            (local, remote) = _lastArrival;
        }

        return new IkeDebugLine(time.GetLocalNow(), candidate, line, null, local, remote);
    }

    private void Unsubscribe(int threshold)
    {
        lock (_gate)
        {
            _subscriberThresholds.Remove(threshold);
            Volatile.Write(ref _highestSubscriberThreshold, _subscriberThresholds.Count == 0 ? 0 : _subscriberThresholds.Max());
        }
    }

    private sealed class Subscription(ConsoleIkeLog owner, int threshold) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Unsubscribe(threshold);
            }
        }
    }
}
