using System.Globalization;
using System.Net;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;

namespace SharpSwan.Simulation;

/// <summary>
/// A deterministic discrete-event simulation of SharpSwan gateways on a <see cref="SimulatedNetwork"/>. One thread runs
/// everything; the clock jumps from event to event (datagram deliveries, engine deadlines, scheduled actions). Everything
/// random derives from <see cref="Seed"/>, so the same seed and the same script give the same timeline.
/// </summary>
public sealed class Simulation : IDisposable
{
    private readonly List<SimulatedGateway> _gateways = [];
    private readonly List<SimulationEvent> _timeline = [];
    private readonly List<SimulationLogLine> _log = [];
    private readonly PriorityQueue<ScheduledAction, (DateTimeOffset Due, long Sequence)> _scheduled = new();
    private readonly List<DataPlaneObserver> _observers = [];
    private long _nextScheduleSequence;

    public Simulation(int seed)
        : this(seed, VirtualClock.DefaultStart)
    {
    }

    public Simulation(int seed, DateTimeOffset start)
    {
        Seed = seed;
        Clock = new VirtualClock(start);
        EngineClock = new MonotonicTimeProvider(Clock);
        Network = new SimulatedNetwork(SimulationSeeds.Mix(seed, 0, 0x6e6574), EngineClock);
    }

    public int Seed { get; }

    public VirtualClock Clock { get; }

    /// <summary>
    /// What the gateways' engines and packet cores (and the network's delivery times) run on, as in production: monotonic,
    /// deaf to <see cref="VirtualClock.StepWallClock"/>.
    /// </summary>
    public TimeProvider EngineClock { get; }

    public SimulatedNetwork Network { get; }

    public DateTimeOffset Now => Clock.Now;

    public TimeSpan Elapsed => Clock.Elapsed;

    public IReadOnlyList<SimulatedGateway> Gateways => _gateways;

    /// <summary>The typed engine events of one type from every gateway.</summary>
    public IEnumerable<T> Events<T>() where T : IkeEvent => _gateways.SelectMany(g => g.Events<T>());

    public IReadOnlyList<SimulationEvent> Timeline => _timeline;

    public IReadOnlyList<SimulationLogLine> Log => _log;

    /// <summary>Raised for every timeline event as it is recorded (e.g. to print a live timeline).</summary>
    public event Action<SimulationEvent>? EventRecorded;

    /// <summary>Raised for every engine log line as it is written.</summary>
    public event Action<SimulationLogLine>? LogWritten;

    /// <summary>Steps allowed at one virtual instant before the run is declared stuck (a deadline nobody consumes).</summary>
    public int MaxStepsPerInstant { get; set; } = 10_000;

    /// <summary>Adds a gateway from FortiOS configuration text; throws if the text does not load.</summary>
    public SimulatedGateway AddGateway(string name, string configText, IPAddress localAddress, Func<IkeEngineOptions, IkeEngineOptions>? configureOptions = null) =>
        AddGateway(name, ParseConfiguration(name, configText), localAddress, configureOptions);

    /// <summary>Loads FortiOS configuration text for gateway <paramref name="name"/>; throws with every error if it does not load.</summary>
    public static GatewayConfiguration ParseConfiguration(string name, string configText)
    {
        var result = ConfigurationLoader.Parse(configText, $"{name}.conf");
        if (result.Configuration is null)
        {
            var errors = string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString()));
            throw new ArgumentException($"configuration of {name} does not load:{Environment.NewLine}{errors}", nameof(configText));
        }

        return result.Configuration;
    }

    public SimulatedGateway AddGateway(string name, GatewayConfiguration configuration, IPAddress localAddress, Func<IkeEngineOptions, IkeEngineOptions>? configureOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (_gateways.Any(g => g.Name == name))
        {
            throw new ArgumentException($"a gateway named {name} exists already", nameof(name));
        }

        var gateway = new SimulatedGateway(this, name, configuration, localAddress, SimulationSeeds.Mix(Seed, _gateways.Count + 1, 0x6777), configureOptions);
        _gateways.Add(gateway);
        return gateway;
    }

    public SimulatedGateway Gateway(string name) =>
        _gateways.FirstOrDefault(g => g.Name == name) ?? throw new ArgumentException($"no gateway named {name}", nameof(name));

    /// <summary>Starts every gateway's engine (auto-negotiate begins), in the order they were added.</summary>
    public void Start()
    {
        foreach (var gateway in _gateways)
        {
            gateway.Start();
        }
    }

    /// <summary>Runs <paramref name="action"/> every period, first one period from now. Dispose the result to stop.</summary>
    public IDisposable Every(TimeSpan period, Action action)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(action);
        var item = new ScheduledAction(action, period);
        _scheduled.Enqueue(item, (Now + period, _nextScheduleSequence++));
        return item;
    }

    public IDisposable At(DateTimeOffset when, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var item = new ScheduledAction(action, null);
        _scheduled.Enqueue(item, (when < Now ? Now : when, _nextScheduleSequence++));
        return item;
    }

    public IDisposable After(TimeSpan delay, Action action) => At(Now + delay, action);

    public void RunFor(TimeSpan duration) => RunUntil(Now + duration);

    /// <summary>Processes every event up to <paramref name="end"/> and leaves the clock there.</summary>
    public void RunUntil(DateTimeOffset end) => Run(end, stop: null);

    /// <summary>
    /// Runs until <paramref name="condition"/> holds (checked after every step; the clock stays at that instant) or
    /// <paramref name="timeout"/> of virtual time passes. Returns whether the condition held.
    /// </summary>
    public bool RunUntil(Func<bool> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Run(Now + timeout, condition);
    }

    /// <summary>Everything needed to replay and understand a failed run: seed, state, timeline and the log's tail.</summary>
    public string Describe(int logLines = 80)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"simulation seed {Seed}, virtual time {Now:O} (+{Elapsed})");
        text.AppendLine(CultureInfo.InvariantCulture, $"network: sent {Network.SentCount}, lost {Network.LostCount}, duplicated {Network.DuplicatedCount}, delivered {Network.DeliveredCount}, in flight {Network.InFlightCount}");
        foreach (var gateway in _gateways)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{gateway}: {(gateway.IsRunning ? "running" : "crashed")}, restarts {gateway.Restarts}, unknown SPI {gateway.UnknownSpiPackets}, next deadline {gateway.NextDeadline():O}");
            foreach (var sa in gateway.IkeSas)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  IKE {sa}");
            }

            foreach (var child in gateway.InstalledSas)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  ESP {child}");
            }

            foreach (var path in gateway.Paths)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  traffic {path}: {path.Traffic}");
            }
        }

        text.AppendLine("timeline:");
        foreach (var item in _timeline)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {item}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"last {Math.Min(logLines, _log.Count)} of {_log.Count} log lines:");
        foreach (var line in _log.Skip(Math.Max(0, _log.Count - logLines)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {line}");
        }

        return text.ToString();
    }

    public void Dispose()
    {
        foreach (var gateway in _gateways)
        {
            gateway.Dispose();
        }
    }

    /// <summary>
    /// Whether the timeline and log are kept in memory (the default). Load runs with thousands of gateways switch it off;
    /// <see cref="EventRecorded"/> and <see cref="LogWritten"/> still fire.
    /// </summary>
    public bool KeepRecords { get; set; } = true;

    /// <summary>Takes a gateway off the network and out of the simulation for good (its engine and SAs are freed).</summary>
    public void RemoveGateway(string name)
    {
        var gateway = Gateway(name);
        gateway.Dispose();
        _gateways.Remove(gateway);
    }

    internal void Record(SimulationEvent item)
    {
        if (KeepRecords)
        {
            _timeline.Add(item);
        }

        EventRecorded?.Invoke(item);
    }

    internal void AddLog(SimulationLogLine line)
    {
        if (KeepRecords)
        {
            _log.Add(line);
        }

        LogWritten?.Invoke(line);
    }

    internal void AddObserver(DataPlaneObserver observer) => _observers.Add(observer);

    internal void Observe(Action<DataPlaneObserver> notify)
    {
        foreach (var observer in _observers)
        {
            notify(observer);
        }
    }

    private bool Run(DateTimeOffset end, Func<bool>? stop)
    {
        if (stop?.Invoke() == true)
        {
            return true;
        }

        var instant = Now;
        var stepsAtInstant = 0;
        while (true)
        {
            var next = NextEventTime();
            if (next is null || next > end)
            {
                if (end > Now)
                {
                    Clock.AdvanceTo(end);
                }

                return stop?.Invoke() ?? true;
            }

            if (next > Now)
            {
                Clock.AdvanceTo(next.Value);
            }

            if (Now != instant)
            {
                instant = Now;
                stepsAtInstant = 0;
            }

            if (++stepsAtInstant > MaxStepsPerInstant)
            {
                throw new InvalidOperationException(
                    $"simulation stuck: more than {MaxStepsPerInstant} steps at {Now:O} (an event source keeps reporting a due time it does not consume){Environment.NewLine}{Describe(40)}");
            }

            Step();
            if (stop?.Invoke() == true)
            {
                return true;
            }
        }
    }

    /// <summary>One pass over everything due now: network first, then scheduled actions, then engine timers.</summary>
    private void Step()
    {
        var now = Now;
        Network.DeliverDue(now);

        // Work scheduled during this step for this same instant waits for the next step, so the stuck guard can see it.
        var scheduledBefore = _nextScheduleSequence;
        while (_scheduled.TryPeek(out var item, out var key) && key.Due <= now && key.Sequence < scheduledBefore)
        {
            _scheduled.Dequeue();
            if (item.Cancelled)
            {
                continue;
            }

            item.Action();
            if (item.Period is { } period && !item.Cancelled)
            {
                _scheduled.Enqueue(item, (key.Due + period, _nextScheduleSequence++));
            }
        }

        // Like the real engine loop: wake at the deadline computed before sleeping, then Tick.
        foreach (var gateway in _gateways.ToList())
        {
            if (gateway.PlannedWake <= now || (gateway.DeadlineChanged && gateway.NextDeadline() <= now))
            {
                gateway.PlannedWake = null;
                gateway.DeadlineChanged = true;
                gateway.Tick();
            }
        }
    }

    private DateTimeOffset? NextEventTime()
    {
        DateTimeOffset? next = Network.NextDeliveryTime;
        void Consider(DateTimeOffset? candidate)
        {
            if (candidate is { } c && (next is null || c < next))
            {
                next = c;
            }
        }

        while (_scheduled.TryPeek(out var item, out var key))
        {
            if (!item.Cancelled)
            {
                Consider(key.Due);
                break;
            }

            _scheduled.Dequeue();
        }

        foreach (var gateway in _gateways)
        {
            // Keep an earlier plan: a deadline relative to "now" (poll in 1 s) would otherwise move away with every event
            // and never come, e.g. byte lifetimes under traffic. A plan that turns out early costs one idle Tick.
            // Only an engine call (or a crash) can bring a gateway's deadline forward, so untouched gateways keep their plan:
            // with hundreds of gateways, asking every engine at every event would dominate the run.
            if (gateway.DeadlineChanged)
            {
                gateway.DeadlineChanged = false;
                var deadline = gateway.NextDeadline();
                if (gateway.PlannedWake is not { } planned || (deadline is { } d && d < planned))
                {
                    gateway.PlannedWake = deadline;
                }
            }

            Consider(gateway.PlannedWake);
        }

        return next is { } due && due < Now ? Now : next;
    }
}
