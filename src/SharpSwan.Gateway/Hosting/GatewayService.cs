using System.Net;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Crypto;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Events;
using SharpSwan.Gateway.Policy;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Wire;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// The running gateway: tunnel interfaces, sockets, routes, the engine thread and the control socket, wired together
/// from one configuration. Dispose undoes everything it set up.
/// </summary>
public sealed class GatewayService : IConfigurationApplier, IDisposable
{
    private readonly SemaphoreSlim _applying = new(1, 1);
    private readonly List<KernelRoute> _routes = [];
    private readonly EspDataPlane _dataPlane;
    private readonly EngineLoop _loop;
    private ControlServer? _control;
    private ConfigCommands? _configCommands;
    private IkeEngine? _engine;
    private SyslogForwarder? _syslog;
    private VpnEventLog? _eventLog;
    private ComputationPool? _computations;
    private PolicyDataPath? _policy;
    private AccessTable? _access;
    private FlowTracer? _flow;

    private GatewayService(GatewayConfiguration configuration, GatewayOptions options, ConsoleIkeLog log)
    {
        Configuration = configuration;
        Options = options;
        Log = log;
        _dataPlane = new EspDataPlane(SystemRandomSource.Instance, Clock, options.DataPlaneWorkers);
        _loop = new EngineLoop(Clock);
        EditTracker = new StaleEditTracker(() => Configuration);
    }

    /// <summary>
    /// The engine's typed events (SAs up, rekeyed, down, failures) and the packet core's: the event log, syslog and the GUI
    /// timeline subscribe.
    /// </summary>
    public GatewayEvents Events { get; } = new();

    /// <summary>
    /// What the engine, the data plane and the reports run on: monotonic, so a stepped wall clock never moves a lifetime,
    /// a retransmission or a DPD deadline. Log and syslog lines keep the real wall time for people.
    /// </summary>
    public TimeProvider Clock { get; } = new MonotonicTimeProvider(TimeProvider.System);

    /// <summary>The one stale-edit tracker of every editor: CLI sessions, web GUI and REST API.</summary>
    public StaleEditTracker EditTracker { get; }

    public GatewayConfiguration Configuration { get; private set; }

    public GatewayConfiguration Current => Configuration;

    public int Revision { get; private set; } = 1;

    public GatewayOptions Options { get; }

    public ConsoleIkeLog Log { get; }

    /// <summary>The REST monitor's JSON, for the CLI's <c>--json</c>: set by the web side, which writes both.</summary>
    public IMonitorJson? MonitorJson { get; set; }

    /// <summary>The System.Diagnostics.Metrics instruments (exported at /metrics by the web server); set once started.</summary>
    public GatewayMetrics? Metrics { get; private set; }

    /// <summary>
    /// Runs a read or an administrative action (web GUI, REST monitor) on the engine thread, the only place engine state
    /// may be touched; the data plane's counters come along.
    /// </summary>
    public Task<T> InvokeOnEngineAsync<T>(Func<IkeEngine, EspDataPlane, T> function) =>
        _loop.InvokeAsync(engine => function(engine, _dataPlane));

    public static GatewayService Start(GatewayConfiguration configuration, GatewayOptions options, TextWriter output)
    {
        var log = new ConsoleIkeLog(options.LogLevel, output, TimeProvider.System);
        var service = new GatewayService(configuration, options, log);
        try
        {
            service.StartCore(output);
            return service;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    /// <summary>How long a stop waits for the engine thread to send its DELETEs before tearing sockets down.</summary>
    private static readonly TimeSpan StopDeleteTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Stops the gateway: every IKE SA is deleted with an INFORMATIONAL DELETE to its peer (so peers do not wait for DPD),
    /// then the control socket, engine thread, routes, sockets and tunnel devices go.
    /// </summary>
    public void Dispose()
    {
        SendDeletes();
        Metrics?.Dispose();
        _control?.Dispose();
        _flow?.Dispose();
        _configCommands?.Dispose();
        _syslog?.Dispose();
        _loop.Dispose();
        _computations?.Dispose();
        _eventLog?.Dispose();
        foreach (var route in _routes)
        {
            try
            {
                route.Remove();
            }
            catch (NetlinkException)
            {
                // Routes through a tunnel interface vanish with the interface.
            }
        }

        _policy?.Dispose();
        _access?.Dispose();
        _dataPlane.Dispose();
        _engine?.Dispose();
        _applying.Dispose();
        EditTracker.Dispose();
    }

    /// <summary>The peers hear the SAs go (an administrative down of every tunnel); best effort within a short wait.</summary>
    private void SendDeletes()
    {
        if (_engine is null || !_loop.IsRunning)
        {
            return;
        }

        try
        {
            _loop.InvokeAsync(engine =>
            {
                engine.Stop();
                return true;
            }).Wait(StopDeleteTimeout);
        }
        catch (Exception ex) when (ex is AggregateException or ObjectDisposedException or InvalidOperationException)
        {
            // The engine thread is gone already; there is nothing left to send with.
        }
    }

    /// <summary>
    /// Applies a new configuration as a diff, on the engine thread so that SAs, tunnel devices and routes change together:
    /// unchanged tunnels keep their SAs; changed ones renegotiate; removed ones are deleted with their devices and routes.
    /// </summary>
    public async Task<ConfigurationApplyResult> ApplyAsync(GatewayConfiguration proposed, ChangeAuthor author, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(author);
        await _applying.WaitAsync(cancellation);
        try
        {
            var result = await _loop.InvokeAsync(engine =>
            {
                try
                {
                    return ApplyOnEngineThread(engine, proposed);
                }
                catch (Exception ex) when (ex is NetlinkException or IOException or ArgumentException or InvalidOperationException or System.Net.Sockets.SocketException)
                {
                    return new ConfigurationApplyResult(false, Revision, [], ex.Message);
                }
            });
            if (Options.ServiceLog is { } log)
            {
                ConfigurationAudit.Record(log, author, result);
            }

            return result;
        }
        finally
        {
            _applying.Release();
        }
    }

    private ConfigurationApplyResult ApplyOnEngineThread(IkeEngine engine, GatewayConfiguration proposed)
    {
        var previous = Configuration;
        if (SwitchedKind(previous, proposed) is { } switched)
        {
            return new ConfigurationApplyResult(false, Revision, [], switched);
        }

        // What the host may refuse comes before the engine step: new tunnel interfaces (a name another device has), the
        // addresses and MTUs of the ones that stay, the static routes (a device this host lacks, a next hop off-link), the
        // policy-based tunnels' devices and nftables ruleset.
        // Refused there, the change fails as a whole: what was done is undone, and the engine keeps the configuration
        // that stays in force, instead of running one the gateway does not report.
        var host = new HostChange();
        try
        {
            foreach (var phase1 in proposed.Phase1.Where(p => p.IsInterfaceMode && _dataPlane.FindTunnel(p.Name) is null))
            {
                AddTunnelDevice(phase1, proposed, Console.Out);
                host.Added.Add(phase1.Name);
            }

            foreach (var phase1 in proposed.Phase1.Where(p => p.IsInterfaceMode && !host.Added.Contains(p.Name) && _dataPlane.FindTunnel(p.Name) is not null))
            {
                host.Readdressed.Add(phase1.Name);
                TunnelInterfaceSetup.Change(phase1.Name, previous.FindTunnelInterface(phase1.Name), proposed.FindTunnelInterface(phase1.Name), Options.TunnelMtu);
            }

            // Static routes: delete what went away or changed, add what is new.
            var (delete, add) = StaticRoutePlan.Diff(_routes, StaticRoutePlan.Of(proposed));
            foreach (var route in delete)
            {
                RemoveRoute(route);
                host.DeletedRoutes.Add(route);
            }

            foreach (var route in add)
            {
                route.Install();
                _routes.Add(route);
                host.AddedRoutes.Add(route);
            }

            // The tunnel addresses' allowaccess (one nftables transaction: refused, nothing changed), then last, since it
            // undoes itself when refused: devices of new policy-based phase 1s, the policies' nftables ruleset.
            _access?.Apply(proposed);
            _policy?.Prepare(proposed, Console.Out);
        }
        catch
        {
            Undo(host, previous, proposed);
            throw;
        }

        var touched = engine.ApplyConfiguration(proposed);

        // Tunnel interfaces: remove the ones that went, refresh the selectors of the ones that stay.
        foreach (var old in previous.Phase1.Where(p => p.IsInterfaceMode && proposed.FindPhase1(p.Name) is not { IsInterfaceMode: true }))
        {
            _dataPlane.RemoveTunnel(old.Name);
            _routes.RemoveAll(r => r.Device == old.Name);
        }

        _policy?.Commit(proposed);
        foreach (var phase1 in proposed.Phase1.Where(p => p.IsInterfaceMode))
        {
            if (!host.Added.Contains(phase1.Name) && _dataPlane.FindTunnel(phase1.Name) is { } existing)
            {
                existing.Settings = phase1;
                var initiates = phase1.Type != Phase1Type.Dynamic;
                existing.ChangePhase2(proposed.Phase2For(phase1.Name), initiates, p => new Phase2Path(phase1.Name, p, phase1.NegotiateTimeoutSeconds, initiates));
                foreach (var path in existing.Phase2)
                {
                    path.NegotiateTimeoutSeconds = phase1.NegotiateTimeoutSeconds;
                }
            }
        }

        foreach (var phase1 in proposed.Phase1)
        {
            if (ResolveLocal(phase1) is { } local)
            {
                _dataPlane.BindLocal(local, 500, 4500);
            }
        }

        Configuration = proposed;
        Revision++;
        _syslog?.Configure(proposed);
        return new ConfigurationApplyResult(true, Revision, touched, null);
    }

    /// <summary>
    /// Why a phase 1 that changes between route-based and policy-based under the same name is refused, or null. Both kinds
    /// own a data-plane tunnel by that name, each with its own device: the change would have to drop one before making the
    /// other, so a host refusal could no longer leave the running tunnel as it was.
    /// </summary>
    private static string? SwitchedKind(GatewayConfiguration previous, GatewayConfiguration proposed)
    {
        foreach (var phase1 in proposed.Phase1)
        {
            if (previous.FindPhase1(phase1.Name) is { } old && old.IsInterfaceMode != phase1.IsInterfaceMode)
            {
                static string Kind(Phase1Settings p) => p.IsInterfaceMode ? "route-based (vpn ipsec phase1-interface)" : "policy-based (vpn ipsec phase1)";
                return $"phase 1 \"{phase1.Name}\" would change from {Kind(old)} to {Kind(phase1)} in one change: apply it as two changes (remove the phase 1 and what refers to it, then add it back as the other kind), or restart the gateway with the new configuration";
            }
        }

        return null;
    }

    /// <summary>Deletes a kernel route we installed; one already gone (with its device) is forgotten all the same.</summary>
    private void RemoveRoute(KernelRoute route)
    {
        try
        {
            route.Remove();
        }
        catch (NetlinkException)
        {
            // Already gone with its device.
        }

        _routes.Remove(route);
    }

    /// <summary>
    /// A refused change's host steps, undone in reverse, each as far as the host lets it: routes added go, routes deleted
    /// come back, addresses and MTUs return, new tunnel interfaces go.
    /// </summary>
    private void Undo(HostChange host, GatewayConfiguration previous, GatewayConfiguration proposed)
    {
        try
        {
            _access?.Apply(previous);
        }
        catch (InvalidOperationException ex)
        {
            Console.Out.WriteLine($"ike 0: could not restore the tunnel addresses' allowaccess after a refused change: {ex.Message}");
        }

        foreach (var route in Enumerable.Reverse(host.AddedRoutes))
        {
            RemoveRoute(route);
        }

        foreach (var route in host.DeletedRoutes)
        {
            try
            {
                route.Install();
                _routes.Add(route);
            }
            catch (NetlinkException ex)
            {
                Console.Out.WriteLine($"ike 0: could not restore route {route} after a refused change: {ex.Message}");
            }
        }

        foreach (var name in Enumerable.Reverse(host.Readdressed))
        {
            try
            {
                TunnelInterfaceSetup.Change(name, proposed.FindTunnelInterface(name), previous.FindTunnelInterface(name), Options.TunnelMtu);
            }
            catch (NetlinkException ex)
            {
                Console.Out.WriteLine($"ike 0:{name}: could not restore the tunnel interface's address after a refused change: {ex.Message}");
            }
        }

        foreach (var name in host.Added)
        {
            _dataPlane.RemoveTunnel(name);
        }
    }

    /// <summary>The phase 1 whose tunnel a device carries (a route-based tunnel's device has its phase 1's name), for flow traces.</summary>
    private (string Phase1, bool PolicyBased)? TunnelOfDevice(string device)
    {
        if (_policy?.DevicesSnapshot.Values.FirstOrDefault(d => d.Device == device) is { } policyDevice)
        {
            return (policyDevice.Phase1, true);
        }

        return Configuration.FindPhase1(device) is { IsInterfaceMode: true } ? (device, false) : null;
    }

    private void AddTunnelDevice(Phase1Settings phase1, GatewayConfiguration configuration, TextWriter output)
    {
        // One queue per data-plane worker: each reads its own, and the kernel keeps each flow on one queue.
        var tun = TunDevice.Create(phase1.Name, _dataPlane.TunWorkerCount);
        NetworkConfigurator.DisableIPv6(phase1.Name);
        var settings = configuration.FindTunnelInterface(phase1.Name);
        try
        {
            TunnelInterfaceSetup.Apply(phase1.Name, settings, Options.TunnelMtu);
            NetworkConfigurator.SetLinkUp(phase1.Name);
        }
        catch (NetlinkException)
        {
            // The device goes with its descriptor, so a failed set-up leaves nothing behind.
            tun.Dispose();
            throw;
        }

        var paths = configuration.Phase2For(phase1.Name).Select(p => new Phase2Path(phase1.Name, p, phase1.NegotiateTimeoutSeconds, initiates: phase1.Type != Phase1Type.Dynamic)).ToList();
        _dataPlane.AddTunnel(new TunnelPath(phase1, tun, paths));
        output.WriteLine($"ike 0:{phase1.Name}: tunnel interface {phase1.Name} up (mtu {TunnelInterfaceSetup.MtuFor(settings, Options.TunnelMtu)}{TunnelInterfaceSetup.Describe(settings)})");
    }

    /// <summary>
    /// Hands an IKE datagram to the engine thread: a new IKE_SA_INIT request waits in the bounded second lane (an
    /// oversized one is dropped here, uncopied into the queue), everything else in the first (see <see cref="EngineLoop"/>).
    /// </summary>
    private void PostIke(IPEndPoint local, IPEndPoint remote, byte[] datagram)
    {
        var engine = _engine!;
        if (!IkeHeader.TryRead(datagram, out var header) || header.Exchange != ExchangeType.IkeSaInit || header.IsResponse || header.ResponderSpi != 0)
        {
            _loop.Post(() => engine.ReceiveDatagram(local, remote, datagram));
            return;
        }

        if (datagram.Length > IkeEngine.MaxInitRequestBytes)
        {
            _loop.CountOversizedInit();
            return;
        }

        _loop.PostInit(() => engine.ReceiveDatagram(local, remote, datagram));
    }

    private MetricsSnapshot? ReadMetrics(TimeSpan timeout)
    {
        try
        {
            var snapshot = _loop.InvokeAsync(engine => GatewayMetrics.Take(engine, _dataPlane));
            return snapshot.Wait(timeout) ? snapshot.Result : null;
        }
        catch (AggregateException)
        {
            // Stopping: the exporter keeps the last snapshot.
            return null;
        }
    }

    private static IPAddress? ResolveLocal(Phase1Settings phase1) =>
        !phase1.LocalGateway.Equals(IPAddress.Any) ? phase1.LocalGateway : NetworkConfigurator.GetPrimaryIPv4(phase1.Interface);

    private void StartCore(TextWriter output)
    {
        var engineOptions = new IkeEngineOptions { LocalAddressResolver = ResolveLocal, SystemDnsServers = HostDnsServers.Read };
        foreach (var phase1 in Configuration.Phase1.Where(p => p.IsInterfaceMode))
        {
            AddTunnelDevice(phase1, Configuration, output);
        }

        _policy = new PolicyDataPath(_dataPlane, Options.TunnelMtu);
        _policy.Apply(Configuration, output);
        _access = new AccessTable();
        _access.RemoveLeftover();
        _access.Apply(Configuration);

        foreach (var phase1 in Configuration.Phase1)
        {
            var local = ResolveLocal(phase1) ?? throw new InvalidOperationException($"phase1 {phase1.Name}: interface {phase1.Interface} has no IPv4 address");
            _dataPlane.BindLocal(local, engineOptions.IkePort, engineOptions.NatTraversalPort);
        }

        foreach (var route in StaticRoutePlan.Of(Configuration))
        {
            route.Install();
            _routes.Add(route);
            output.WriteLine($"ike 0: route {route} installed");
        }

        var host = new GatewayEngineHost(_dataPlane, engineOptions.NatTraversalPort, Events);
        var events = _eventLog = new VpnEventLog(Options.EventLogPath, TimeZoneInfo.Local);
        var endpoints = new TunnelEndpointMap();
        Log.Endpoints = endpoints;
        VpnEventPipeline.Connect(Events, events, () => Configuration, _dataPlane);
        _syslog = new SyslogForwarder(events, TimeProvider.System);
        _syslog.Configure(Configuration);
        _engine = new IkeEngine(Configuration, engineOptions, Clock, SystemRandomSource.Instance, host, Log);
        var engine = _engine;
        _computations = new ComputationPool(ComputationPool.DefaultWorkers, computation => _loop.Post(() => engine.CompleteComputation(computation)));
        _computations.Start();
        host.Computations = _computations;
        _dataPlane.IkeReceived = (local, remote, bytes) => PostIke(local, remote, bytes);
        _dataPlane.AcquireRequested = (phase1, phase2) => _loop.Post(() => _engine.Acquire(phase1, phase2));
        _dataPlane.SequenceLimitReached = limit => _loop.Post(() => _engine.OutboundSequenceNearLimit(limit.Phase1, limit.InboundSpi, limit.Exhausted));

        // The packet core's events (outbound switched, trigger-queue drops) join the engine's in the one stream.
        _dataPlane.CoreEvent = Events.Publish;
        Metrics = new GatewayMetrics(Events, ReadMetrics);

        // Queued ahead of the engine's start, so even the first negotiation's log lines know their tunnel's addresses.
        _loop.Post(() => endpoints.Refresh(_engine));
        _loop.Start(_engine);
        _dataPlane.StartKeepalives();
        var handler = new ControlCommandHandler(_loop, _dataPlane, Clock)
        {
            Applier = this,
            MonitorJson = () => MonitorJson,
            Diagnose = new DiagnoseCommands(_loop, _dataPlane, Clock)
            {
                Log = Log,
                Events = events,
                Configuration = () => Configuration,
                PolicyDevices = () => _policy?.DevicesSnapshot ?? new Dictionary<string, PolicyTunnelDevice>(),
                Flow = _flow = new FlowTracer(TunnelOfDevice, probe => _dataPlane.Probe = probe),
            },
            Configuration = _configCommands = new ConfigCommands(this, Options.ConfigPath is { } path ? new ConfigurationStore(path, revisionDirectory: Options.RevisionDirectory) : null, EditTracker),
        };
        _flow.RemoveLeftover();

        // One session per connection, so debug settings and config context last across a CLI's commands.
        _control = ControlServer.Start(Options.ControlPath, handler.OpenSession);
    }
}
