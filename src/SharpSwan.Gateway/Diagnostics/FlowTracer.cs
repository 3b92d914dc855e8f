using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// `diagnose debug flow trace start|stop`: one trace at a time for the whole gateway, as on FortiOS. Start installs the
/// trace table (<see cref="NftRuleset.RenderTraceTable"/>) after subscribing to the kernel's trace events, and a reader
/// thread turns them into <see cref="FlowStep"/>s (<see cref="Traced"/>) until the count of packets is reached or it is
/// stopped; the table is removed then, on failure, and on dispose. Consoles with debug output enabled show the steps.
/// </summary>
public sealed class FlowTracer : IDisposable
{
    private readonly Func<string, string?> _nft;
    private readonly Func<Dictionary<ulong, FlowRule>> _readRules;
    private readonly Func<FlowTraceSubscription> _subscribe;
    private readonly Func<string, (string Phase1, bool PolicyBased)?> _tunnelOf;
    private readonly Func<uint, uint, uint?> _nextHopOf;
    private readonly Action<FlowProbe?> _attachProbe;
    private readonly object _gate = new();
    private readonly object _control = new(); // one start or stop at a time (two consoles)
    private Run? _run;

    /// <param name="nft">Runs an nft script: null on success, else why not (tests run it in their namespace).</param>
    /// <param name="readRules">SharpSwan's table's rules by handle (<see cref="NftRuleMap.Read"/>).</param>
    /// <param name="subscribe">Opens the kernel's trace events (<see cref="FlowTraceSubscription.Open"/>), in the gateway's namespace.</param>
    /// <param name="tunnelOf">The phase 1 behind a device name, and whether it is policy-based.</param>
    /// <param name="attachProbe">Gives the data plane the running trace's probe (null when none runs).</param>
    /// <param name="nextHopOf">The route lookup (<see cref="NextHop"/>), in the gateway's namespace.</param>
    public FlowTracer(
        Func<string, (string Phase1, bool PolicyBased)?> tunnelOf,
        Action<FlowProbe?>? attachProbe = null,
        Func<string, string?>? nft = null,
        Func<Dictionary<ulong, FlowRule>>? readRules = null,
        Func<FlowTraceSubscription>? subscribe = null,
        Func<uint, uint, uint?>? nextHopOf = null)
    {
        _nextHopOf = nextHopOf ?? NextHop;
        _tunnelOf = tunnelOf;
        _attachProbe = attachProbe ?? (_ => { });
        _nft = nft ?? (script => ExternalCommand.Run("nft", ["-f", "-"], script));
        _readRules = readRules ?? NftRuleMap.Read;
        _subscribe = subscribe ?? (() => FlowTraceSubscription.Open());
    }

    /// <summary>Steps kept per trace for a console that starts showing them late (a count of 100 packets takes some 600).</summary>
    public const int HistoryLimit = 20_000;

    /// <summary>
    /// Quiet polls a finished trace still waits while packets it followed are held in a trigger queue, for their release:
    /// about 30 s, FortiOS's default negotiate-timeout, after which they are dropped anyway.
    /// </summary>
    public const int HeldWaitPolls = 120;

    private readonly List<FlowStep> _history = [];
    private readonly List<Watcher> _watchers = [];
    private bool _finished = true;
    private bool _delivered = true;

    public bool Running
    {
        get
        {
            lock (_gate)
            {
                return _run is not null;
            }
        }
    }

    /// <summary>What the running trace was asked for and how far it got: (packets traced, packets asked), or null.</summary>
    public (int Traced, int Asked)? Progress
    {
        get
        {
            lock (_gate)
            {
                return _run is { } run ? (run.Interpreter.Count, run.Interpreter.Limit) : null;
            }
        }
    }

    /// <summary>
    /// Starts showing the steps to a console: those of the running trace so far (or of the last one, if no console saw it
    /// yet) come first, then each new step (<paramref name="step"/>, on the reader thread: it must not block), then
    /// <paramref name="finished"/> once the trace ends (at once when it already has). Dispose the result to stop.
    /// </summary>
    public IDisposable Watch(Action<FlowStep> step, Action finished)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(finished);
        var watcher = new Watcher(step, finished, this);
        lock (_gate)
        {
            if (!_delivered || !_finished)
            {
                _history.ForEach(step);
                _delivered = true;
            }

            if (_finished)
            {
                finished();
            }
            else
            {
                _watchers.Add(watcher);
            }
        }

        return watcher;
    }

    /// <summary>Starts a trace of <paramref name="count"/> packets that pass <paramref name="filter"/>, replacing a running one. Null, or why not.</summary>
    public string? Start(FlowFilter filter, int count)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_control)
        {
            return StartLocked(filter, count);
        }
    }

    /// <summary>Removes a trace table a gateway that stopped abruptly left behind (at start, before any trace).</summary>
    public void RemoveLeftover() => _nft(NftRuleset.RenderTraceRemoval());

    private string? StartLocked(FlowFilter filter, int count)
    {
        StopLocked();
        FlowTraceSubscription subscription;
        try
        {
            subscription = _subscribe();
        }
        catch (NetlinkException ex)
        {
            return ex.Message;
        }

        // Subscribed and probing before the table goes in: the first packet it flags is already heard, in the kernel and in
        // the packet core (the probe reports only packets the filter matches, so it costs nothing to have it early).
        var rules = _readRules();
        var probe = new FlowProbe(filter);
        _attachProbe(probe);
        if (_nft(NftRuleset.RenderTraceTable(filter.NftMatches())) is { } error)
        {
            _attachProbe(null);
            subscription.Dispose();
            _nft(NftRuleset.RenderTraceRemoval());
            return $"nftables refused the trace table: {error}";
        }

        FlowRule? RuleOf(ulong handle)
        {
            if (!rules.TryGetValue(handle, out var rule))
            {
                // The policies' table was replaced since (a configuration change): read it again, once per unknown handle.
                rules = _readRules();
                rules.TryAdd(handle, new FlowRule(null));
                rule = rules[handle];
            }

            return rule;
        }

        var run = new Run(subscription, new FlowTraceInterpreter(count, RuleOf, _tunnelOf, _nextHopOf), probe);
        lock (_gate)
        {
            _run = run;
            _history.Clear();
            _finished = false;
            _delivered = false;
        }

        run.Thread = new Thread(() => Read(run)) { IsBackground = true, Name = "flow-trace" };
        run.Thread.Start();
        return null;
    }

    /// <summary>Stops the running trace, if any, and removes its table.</summary>
    public void Stop()
    {
        lock (_control)
        {
            StopLocked();
        }
    }

    private void StopLocked()
    {
        Run? run;
        lock (_gate)
        {
            run = _run;
        }

        if (run is null)
        {
            return;
        }

        run.Stopping = true;
        if (run.Thread != Thread.CurrentThread)
        {
            run.Thread?.Join(TimeSpan.FromSeconds(5));
        }
    }

    public void Dispose() => Stop();

    /// <summary>
    /// The next hop the kernel's routes give <paramref name="destination"/> with <paramref name="mark"/> (a policy-based
    /// tunnel's mark routes by its table): the gateway, or the destination itself on the link; null when there is none.
    /// </summary>
    public static uint? NextHop(uint destination, uint mark)
    {
        try
        {
            var (_, gateway) = NetworkConfigurator.LookupRoute(Ipv4Math.FromUInt32(destination), mark);
            return gateway is not null && Ipv4Math.ToUInt32(gateway) is var hop and not 0 ? hop : destination;
        }
        catch (NetlinkException)
        {
            return null;
        }
    }

    private void Read(Run run)
    {
        var events = new List<FlowTraceEvent>();
        var tableRemoved = false;
        var quietReads = 0;
        try
        {
            while (!run.Stopping)
            {
                events.Clear();
                run.Subscription.Read(events);

                // What the packet core reported while this read waited happened before these events: it goes first.
                var fromCore = TakeCoreSteps(run);
                foreach (var traced in events)
                {
                    foreach (var step in run.Interpreter.Interpret(traced))
                    {
                        Publish(step);
                    }
                }

                fromCore += TakeCoreSteps(run);

                if (run.Interpreter.Full)
                {
                    if (!tableRemoved)
                    {
                        // No new packet is flagged from here on; the steps of those in flight still come.
                        _nft(NftRuleset.RenderTraceRemoval());
                        tableRemoved = true;
                    }
                    else if (events.Count > 0 || fromCore > 0)
                    {
                        quietReads = 0;
                    }
                    else if (++quietReads >= 2 && (run.Interpreter.Held == 0 || quietReads >= HeldWaitPolls))
                    {
                        // Two quiet polls: the packets in flight have been seen through, by the kernel and the packet core
                        // (a held one when the trigger queue released it, or gave up on it).
                        break;
                    }
                }
            }
        }
        catch (NetlinkException)
        {
            // The socket failed: the trace ends like a stopped one.
        }
        finally
        {
            _attachProbe(null);
            if (!tableRemoved)
            {
                _nft(NftRuleset.RenderTraceRemoval());
            }

            run.Subscription.Dispose();
            lock (_gate)
            {
                if (_run == run)
                {
                    _run = null;
                    _finished = true;
                    foreach (var watcher in _watchers)
                    {
                        watcher.Finished();
                    }

                    _watchers.Clear();
                }
            }
        }
    }

    private int TakeCoreSteps(Run run)
    {
        var taken = 0;
        while (run.Probe.TryTake(out var core))
        {
            taken++;
            foreach (var step in run.Interpreter.Interpret(core))
            {
                Publish(step);
            }
        }

        return taken;
    }

    private void Publish(FlowStep step)
    {
        lock (_gate)
        {
            if (_history.Count < HistoryLimit)
            {
                _history.Add(step);
            }

            if (_watchers.Count > 0)
            {
                _delivered = true;
            }

            foreach (var watcher in _watchers)
            {
                watcher.Step(step);
            }
        }
    }

    private sealed class Watcher(Action<FlowStep> step, Action finished, FlowTracer tracer) : IDisposable
    {
        public Action<FlowStep> Step { get; } = step;

        public Action Finished { get; } = finished;

        public void Dispose()
        {
            lock (tracer._gate)
            {
                tracer._watchers.Remove(this);
            }
        }
    }

    private sealed class Run(FlowTraceSubscription subscription, FlowTraceInterpreter interpreter, FlowProbe probe)
    {
        public FlowProbe Probe { get; } = probe;

        public FlowTraceSubscription Subscription { get; } = subscription;

        public FlowTraceInterpreter Interpreter { get; } = interpreter;

        public Thread? Thread { get; set; }

        public volatile bool Stopping;
    }
}
