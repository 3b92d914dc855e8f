using System.Buffers.Binary;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp;
using SharpSwan.Esp.Core;
using SharpSwan.Esp.Policy;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;

namespace SharpSwan.Simulation;

/// <summary>
/// One simulated SharpSwan gateway: the real <see cref="IkeEngine"/> and the real <see cref="PacketCore"/> (the gateway's
/// SA database, outbound decision, trigger queue and inbound rules), attached to the <see cref="SimulatedNetwork"/> at one
/// IPv4 address. This class only carries packets between the core and the simulated network, crashes and boots the
/// gateway, and records what happens.
/// </summary>
public sealed partial class SimulatedGateway : IIkeEngineHost, IPacketCoreEvents, IHeldPacketSender, IDisposable
{
    private readonly Simulation _simulation;
    private readonly int _seed;
    private readonly List<Phase2Path> _paths;
    private readonly PacketCore _core;
    private readonly List<UpIkeSa> _upIkeSas = [];
    private readonly List<(DateTimeOffset Time, IkeEvent Event)> _engineEvents = [];
    private bool _started;
    private bool _disposed;

    internal SimulatedGateway(
        Simulation simulation,
        string name,
        GatewayConfiguration configuration,
        IPAddress localAddress,
        int seed,
        Func<IkeEngineOptions, IkeEngineOptions>? configureOptions)
    {
        this._simulation = simulation;
        this._seed = seed;
        Name = name;
        Configuration = configuration;
        LocalAddress = localAddress;
        // Every simulated step checks the engine's timer index against a full walk (throws on a missed timer).
        var options = new IkeEngineOptions { LocalAddressResolver = ResolveLocalAddress, VerifyTimerIndex = true };
        Options = configureOptions is null ? options : configureOptions(options);
        _paths = configuration.Phase2.Select(p => NewPath(p.Phase1Name, p)).ToList();
        _core = new PacketCore(simulation.EngineClock, this);
        Policies = PolicyTable.Compile(configuration);
        Engine = CreateEngine();
        simulation.Network.Attach(localAddress, Receive);
    }

    public string Name { get; }

    public IPAddress LocalAddress { get; }

    /// <summary>The configuration in force; <see cref="ApplyConfiguration(GatewayConfiguration)"/> replaces it.</summary>
    public GatewayConfiguration Configuration { get; private set; }

    public IkeEngineOptions Options { get; }

    /// <summary>The current engine; <see cref="Restart"/> and <see cref="Boot"/> replace it.</summary>
    public IkeEngine Engine { get; private set; }

    public int Restarts { get; private set; }

    /// <summary>False between <see cref="Crash"/> and <see cref="Boot"/>: the gateway is off the network.</summary>
    public bool IsRunning { get; private set; } = true;

    /// <summary>Engine log lines up to this level are captured (Packet: everything).</summary>
    public IkeLogLevel LogLevel { get; set; } = IkeLogLevel.Packet;

    /// <summary>Raised for every inner packet delivered: phase 1, phase 2, the decrypted IPv4 packet.</summary>
    public event Action<string, string, byte[]>? PacketReceived;

    /// <summary>ESP packets whose SPI matches no installed SA (e.g. after a crash, or after the SA was deleted).</summary>
    public long UnknownSpiPackets { get; private set; }

    /// <summary>Datagrams that were neither IKE nor parseable ESP.</summary>
    public long MalformedDatagrams { get; private set; }

    /// <summary>Outbound packets no phase 2 selector covers.</summary>
    public long UnroutedPackets { get; private set; }

    /// <summary>Outbound packets offered while the gateway was crashed.</summary>
    public long PacketsWhileDown { get; private set; }

    /// <summary>IKE SAs that are established (or being retired after a rekey), per the engine.</summary>
    public IReadOnlyList<IkeSaView> IkeSas =>
        EstablishedIkeSas().Select(sa => new IkeSaView(sa.Tunnel.Name, sa.InitiatorSpi, sa.ResponderSpi, sa.State, sa.IsOriginalInitiator, sa.Suite, sa.Children.Count)).ToList();

    /// <summary>Child SAs the engine holds, across all its IKE SAs.</summary>
    public IReadOnlyList<ChildSaView> ChildSas =>
        EstablishedIkeSas()
            .SelectMany(sa => sa.Children.Select(c => new ChildSaView(sa.Tunnel.Name, c.Phase2Name, c.InboundSpi, c.OutboundSpi, c.State, c.Suite, c.LocalSelector, c.RemoteSelector)))
            .ToList();

    /// <summary>Child SAs installed in the data plane.</summary>
    public IReadOnlyList<ChildSaPathView> InstalledSas =>
        _paths.SelectMany(path => path.Installed.Select(sa => new ChildSaPathView(
            path.Phase1,
            path.Name,
            sa.Install.InboundSpi,
            sa.Install.OutboundSpi,
            sa.Install.Suite,
            sa.Install.LocalSelector,
            sa.Install.RemoteSelector,
            path.Active == sa,
            sa.Inbound.Packets,
            sa.Outbound.Packets))).ToList();

    public IEnumerable<SimulationEvent> Timeline => _simulation.Timeline.Where(e => e.Gateway == Name);

    public IEnumerable<SimulationLogLine> Log => _simulation.Log.Where(l => l.Gateway == Name);

    internal IReadOnlyList<Phase2Path> Paths => _paths;

    /// <summary>Every typed engine event this gateway published (across restarts), with the simulation time it happened.</summary>
    public IReadOnlyList<(DateTimeOffset Time, IkeEvent Event)> EngineEvents => _engineEvents;

    /// <summary>The engine events of one type, in order: what tests assert on instead of the log wording.</summary>
    public IEnumerable<T> Events<T>() where T : IkeEvent => _engineEvents.Select(r => r.Event).OfType<T>();

    /// <summary>The simulation times of the engine events of one type that match <paramref name="match"/>, in order.</summary>
    public IEnumerable<DateTimeOffset> EventTimes<T>(Func<T, bool>? match = null) where T : IkeEvent =>
        _engineEvents.Where(r => r.Event is T e && (match is null || match(e))).Select(r => r.Time);

    public Phase2Traffic Traffic(string phase1, string phase2) => FindPath(phase1, phase2).Traffic;

    public uint? ActiveOutboundSpi(string phase1, string phase2) => FindPath(phase1, phase2).Active?.Install.OutboundSpi;

    /// <summary>The phase 2's active SA (both directions), for tests that read its counters; null without one.</summary>
    public ChildSaPath? ActiveSa(string phase1, string phase2) => FindPath(phase1, phase2).Active;

    /// <summary>
    /// Test hook: the active outbound SA of the phase 2 continues after <paramref name="lastSent"/>, as if it had already
    /// sent that many packets (sequence-number exhaustion without sending four billion; beyond 2^32 - 1 only on an SA with
    /// extended sequence numbers). False without an active SA.
    /// </summary>
    public bool FastForwardOutboundSequence(string phase1, string phase2, ulong lastSent)
    {
        if (FindPath(phase1, phase2).Active is not { } sa)
        {
            return false;
        }

        sa.Outbound.SetLastSentSequenceNumber(lastSent);
        return true;
    }

    /// <summary>
    /// Test hook: seals <paramref name="innerIpv4Packet"/> on the phase 2's active SA without the packet core's outbound
    /// selector check, as a peer that skips RFC 4301's outbound check would send it (so the receiver's inbound check can be
    /// tested). False without an active SA.
    /// </summary>
    public bool SendUnchecked(string phase1, string phase2, byte[] innerIpv4Packet)
    {
        ArgumentNullException.ThrowIfNull(innerIpv4Packet);
        return IsRunning && FindPath(phase1, phase2).Active is { Removed: false } sa && Encrypt(sa, innerIpv4Packet);
    }

    /// <summary>Packets the phase 2's trigger queue holds right now.</summary>
    public int QueuedPackets(string phase1, string phase2) => FindPath(phase1, phase2).Trigger.Count;

    /// <summary>Starts the engine: auto-negotiate phase 2s begin right away.</summary>
    public void Start()
    {
        _started = true;
        if (IsRunning)
        {
            Call(Engine.Start);
        }
    }

    public bool Initiate(string phase1, string? phase2) => IsRunning && Call(() => Engine.Initiate(phase1, phase2));

    public bool Terminate(string phase1, string? phase2) => IsRunning && Call(() => Engine.Terminate(phase1, phase2));

    public bool RekeyChild(string phase1, string phase2) => IsRunning && Call(() => Engine.RekeyChild(phase1, phase2));

    public bool RekeyIke(string phase1) => IsRunning && Call(() => Engine.RekeyIke(phase1));

    /// <summary>
    /// Sends an inner IPv4 packet through a phase 2: encrypted with its active outbound SA, or (without one) held by the
    /// trigger queue or dropped, and the engine asked to negotiate. True if the packet went out now.
    /// </summary>
    public bool SendTraffic(string phase1, string phase2, byte[] innerIpv4Packet)
    {
        ArgumentNullException.ThrowIfNull(innerIpv4Packet);
        var path = FindPath(phase1, phase2);
        if (!IsRunning)
        {
            PacketsWhileDown++;
            return false;
        }

        _simulation.Observe(o => o.Offered(this, path, innerIpv4Packet));
        if (_core.Outbound(path, innerIpv4Packet, queueable: true, out var sa) != OutboundDecision.Send)
        {
            // Held or dropped (the core asked for negotiation through an event): a held packet has a deadline now.
            DeadlineChanged = true;
            _simulation.Observe(o => o.NotSent(this));
            return false;
        }

        return Encrypt(sa!, innerIpv4Packet);
    }

    /// <summary>
    /// Sends an inner packet from the LAN: with a firewall policy table, as the policies decide (<see cref="SendFrom"/>);
    /// without one, through the first phase 2 whose configured selectors cover its addresses.
    /// </summary>
    public bool SendTraffic(byte[] innerIpv4Packet)
    {
        ArgumentNullException.ThrowIfNull(innerIpv4Packet);
        if (Policies.Governs)
        {
            return SendFrom(LanInterface, innerIpv4Packet);
        }

        if (!PacketFlow.TryRead(innerIpv4Packet, out var flow))
        {
            UnroutedPackets++;
            return false;
        }

        // Dial-up instances share their template's settings; the selectors each peer's SA negotiated tell them apart.
        var path = _paths.FirstOrDefault(p => p.Active is { } active && p.Phase1 != p.Settings.Phase1Name && active.CoversOutbound(flow))
                   ?? _paths.FirstOrDefault(p => p.Covers(flow));
        if (path is null)
        {
            UnroutedPackets++;
            return false;
        }

        return SendTraffic(path.Phase1, path.Settings.Name, innerIpv4Packet);
    }

    /// <summary>
    /// A crash and restart: the engine and every SA vanish without a word to the peer, then a fresh engine starts on the
    /// same configuration (with fresh randomness, so new SPIs).
    /// </summary>
    public void Restart()
    {
        Crash();
        Boot();
    }

    /// <summary>The gateway dies: engine, SAs and held packets are gone, nothing is sent, and it is off the network.</summary>
    public void Crash()
    {
        if (!IsRunning)
        {
            return;
        }

        Engine.Dispose();
        foreach (var sa in _paths.SelectMany(path => path.Installed))
        {
            Record(SimulationEventKind.ChildRemoved, $"{ChildText(sa.Install)} (crash)", sa.Install);
        }

        _core.RemoveAll();
        foreach (var path in _paths)
        {
            // The process is gone, and the packets it held in memory with it.
            path.Trigger.DiscardAll();
            _simulation.Observe(o => o.InstalledChanged(this, path));
        }

        foreach (var ike in _upIkeSas)
        {
            Record(SimulationEventKind.IkeDown, $"{ike} (crash)", phase1: ike.Phase1, ikeSpis: ike.Spis);
        }

        _upIkeSas.Clear();
        IsRunning = false;
        _simulation.Network.Detach(LocalAddress);
        DeadlineChanged = true;
        PlannedWake = null;
        Record(SimulationEventKind.Crashed, $"incarnation {Restarts}");
        _simulation.Observe(o => o.Crashed(this));
    }

    /// <summary>Brings a crashed gateway back with a fresh engine on the same configuration.</summary>
    public void Boot()
    {
        if (IsRunning || _disposed)
        {
            return;
        }

        Restarts++;
        Engine = CreateEngine();
        _simulation.Network.Attach(LocalAddress, Receive);
        IsRunning = true;
        Record(SimulationEventKind.Restarted, $"incarnation {Restarts}");
        if (_started)
        {
            Call(Engine.Start);
        }
    }

    /// <summary>
    /// A live configuration change (what `config ... end` does on a running gateway): the engine keeps the SAs of
    /// unchanged tunnels and phase 2s and renegotiates the rest. Returns the phase 1s whose SAs were touched.
    /// </summary>
    public IReadOnlyList<string> ApplyConfiguration(GatewayConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Configuration = configuration;
        Policies = PolicyTable.Compile(configuration);
        SyncPaths();
        if (!IsRunning)
        {
            return [];
        }

        var touched = Call(() => Engine.ApplyConfiguration(configuration));
        Record(SimulationEventKind.ConfigurationApplied, touched.Count == 0 ? "no tunnel touched" : $"touched {string.Join(", ", touched)}");
        return touched;
    }

    /// <summary>Parses FortiOS text and applies it; throws if it does not load.</summary>
    public IReadOnlyList<string> ApplyConfiguration(string configText) =>
        ApplyConfiguration(Simulation.ParseConfiguration(Name, configText));

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (IsRunning)
        {
            _simulation.Network.Detach(LocalAddress);
        }

        Engine.Dispose();
        _core.Dispose();
    }

    public override string ToString() => $"{Name} ({LocalAddress})";

    /// <summary>The engine's next deadline, or the moment the oldest held packet outlives negotiate-timeout.</summary>
    internal DateTimeOffset? NextDeadline()
    {
        if (!IsRunning)
        {
            return null;
        }

        var next = Engine.NextDeadline();
        foreach (var path in _paths)
        {
            if (_core.TimeToQueueDeadline(path) is { } wait)
            {
                var due = _simulation.Now + wait;
                if (next is null || due < next)
                {
                    next = due;
                }
            }
        }

        return next;
    }

    /// <summary>
    /// The deadline the simulation planned to wake this engine at. Kept because a deadline may be relative to "now"
    /// (the engine polls some states once a second), so asking again after the clock moved would push it away forever.
    /// </summary>
    internal DateTimeOffset? PlannedWake { get; set; }

    /// <summary>Set whenever the engine ran or the gateway crashed or booted: its next deadline must be asked again.</summary>
    internal bool DeadlineChanged { get; set; } = true;

    internal void Tick()
    {
        if (IsRunning)
        {
            Call(Engine.Tick);
        }
    }

    void IIkeEngineHost.SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message)
    {
        if (local.Port == Options.NatTraversalPort || remote.Port == Options.NatTraversalPort)
        {
            var marked = new byte[UdpEncapsulation.NonEspMarkerLength + message.Length];
            UdpEncapsulation.WriteNonEspMarker(marked);
            message.CopyTo(marked.AsSpan(UdpEncapsulation.NonEspMarkerLength));
            _simulation.Network.Send(local, remote, marked);
            return;
        }

        _simulation.Network.Send(local, remote, message);
    }

    void IIkeEngineHost.InstallChildSa(ChildSaInstall install)
    {
        if (FindPathOrNull(install.Phase1, install.Phase2) is not { } path)
        {
            return;
        }

        _core.Install(path, install, new SeededRandomSource(SimulationSeeds.Mix(_seed, Restarts, unchecked((int)install.InboundSpi))));
        _simulation.Observe(o => o.InstalledChanged(this, path));
        _core.ServiceQueue(path, this);
    }

    void IIkeEngineHost.ActivateOutbound(string phase1, string phase2, uint outboundSpi)
    {
        if (FindPathOrNull(phase1, phase2) is { } path)
        {
            _core.ActivateOutbound(path, outboundSpi);
        }
    }

    void IIkeEngineHost.RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi)
    {
        if (_core.Find(inboundSpi) is not { } sa)
        {
            return;
        }

        _core.Remove(inboundSpi);
        _simulation.Observe(o => o.InstalledChanged(this, sa.Phase2));
    }

    void IIkeEngineHost.DialupInstanceAdded(string template, string instance)
    {
        // Each connected dial-up peer gets its own paths (and counters), like the real data plane's instance paths.
        foreach (var settings in Configuration.Phase2For(template))
        {
            _paths.Add(NewPath(instance, settings, instance: true));
        }
    }

    void IIkeEngineHost.DialupInstanceRemoved(string template, string instance) => _paths.RemoveAll(p => p.Phase1 == instance);

    ChildSaActivity IIkeEngineHost.GetActivity(uint inboundSpi, uint outboundSpi) => _core.Activity(inboundSpi);

    /// <summary>
    /// The engine's typed events: IKE SAs up and down and child SAs installed and deleted go on the timeline, observers
    /// (the invariant checker) see every event, and a failed negotiation empties the trigger queues waiting for it (the
    /// packet core decides which).
    /// </summary>
    void IIkeEngineHost.Publish(IkeEvent e)
    {
        _engineEvents.Add((_simulation.Now, e));
        _simulation.Observe(o => o.EngineEvent(this, e));
        switch (e)
        {
            case ChildSaInstalled installed when FindPathOrNull(installed.Phase1!, installed.Phase2) is { } path:
                // A rekey here is what the data plane sees: the phase 2 held another SA when this one arrived.
                var rekey = path.Installed.Any(sa => sa.Install.InboundSpi != installed.InboundSpi);
                Record(SimulationEventKind.ChildInstalled, ChildText(installed) + (rekey ? " (rekey)" : string.Empty), installed, rekey);
                break;
            case ChildSaDeleted deleted:
                Record(SimulationEventKind.ChildRemoved, $"{ChildText(deleted)} ({deleted.Reason})", deleted);
                break;
            case NegotiationFailed failure:
                PacketCore.NegotiationFailed(_paths, failure);
                break;
            case IkeSaEstablished established:
                IkeUp(new UpIkeSa(established.Phase1!, established.Spis, established.Role == IkeRole.Initiator));
                break;
            case IkeSaRekeyed rekeyed:
                // The side that started the rekey is the new IKE SA's original initiator.
                IkeUp(new UpIkeSa(rekeyed.Phase1!, rekeyed.NewSpis, !rekeyed.ByPeer));
                break;
            case IkeSaDeleted deleted when _upIkeSas.FindIndex(sa => sa.Phase1 == deleted.Phase1 && sa.Spis == deleted.Spis) is var index and >= 0:
                var gone = _upIkeSas[index];
                _upIkeSas.RemoveAt(index);
                Record(SimulationEventKind.IkeDown, gone.ToString(), phase1: gone.Phase1, ikeSpis: gone.Spis);
                break;
        }
    }

    /// <summary>The packet core's events become timeline entries; its acquire requests go to the engine.</summary>
    void IPacketCoreEvents.Publish(PacketCoreEvent coreEvent)
    {
        _simulation.Observe(o => o.CoreEvent(this, coreEvent));
        switch (coreEvent)
        {
            case OutboundSwitched switched:
                Record(SimulationEventKind.OutboundActivated, $"{switched.Phase1}/{switched.Phase2} in={switched.InboundSpi:x8} out={switched.OutboundSpi:x8} ({CauseText(switched.Cause)})", switched.Phase1, switched.Phase2, switched.InboundSpi, switched.OutboundSpi);
                break;
            case TriggerQueueReleased released:
                Record(SimulationEventKind.TriggerQueueReleased, $"{released.Phase1}/{released.Phase2} {released.Packets} held packet(s) sent through out={released.OutboundSpi:x8}", released.Phase1, released.Phase2, released.InboundSpi, released.OutboundSpi, released.Packets);
                break;
            case TriggerQueueDropped dropped:
                Record(SimulationEventKind.TriggerQueueDropped, $"{dropped.Phase1}/{dropped.Phase2} {dropped.Packets} held packet(s) dropped ({ReasonText(dropped.Reason)})", phase1: dropped.Phase1, phase2: dropped.Phase2, packets: dropped.Packets);
                break;
            case AcquireRequested acquire when IsRunning:
                Call(() => Engine.Acquire(acquire.Phase1, acquire.Phase2));
                break;
            case SequenceLimitReached limit:
                Record(
                    limit.Exhausted ? SimulationEventKind.SequenceExhausted : SimulationEventKind.SequenceSoftLimit,
                    $"{limit.Phase1}/{limit.Phase2} in={limit.InboundSpi:x8} out={limit.OutboundSpi:x8} seq={limit.Sequence}",
                    limit.Phase1, limit.Phase2, limit.InboundSpi, limit.OutboundSpi);

                // Raised while a packet is sealed, possibly inside an engine call: the engine hears of it right after.
                var engine = Engine;
                _simulation.After(TimeSpan.Zero, () =>
                {
                    if (IsRunning && Engine == engine)
                    {
                        Call(() => Engine.OutboundSequenceNearLimit(limit.Phase1, limit.InboundSpi, limit.Exhausted));
                    }
                });
                break;
        }
    }

    void IHeldPacketSender.SendHeld(ChildSaPath sa, ReadOnlySpan<byte> packet) => Encrypt(sa, packet.ToArray());

    private IkeEngine CreateEngine() =>
        new(Configuration, Options, _simulation.EngineClock, new SeededRandomSource(SimulationSeeds.Mix(_seed, Restarts, 0)), this, new GatewayLog(this, _simulation));

    private IPAddress? ResolveLocalAddress(Phase1Settings phase1) =>
        phase1.LocalGateway.Equals(IPAddress.Any) ? LocalAddress : phase1.LocalGateway;

    private Phase2Path FindPath(string phase1, string phase2) =>
        FindPathOrNull(phase1, phase2) ?? throw new ArgumentException($"{Name} has no phase 2 {phase2} on phase 1 {phase1}");

    private Phase2Path? FindPathOrNull(string phase1, string phase2) => _paths.FirstOrDefault(p => p.Phase1 == phase1 && p.Name == phase2);

    /// <summary>Held packets live at most as long as an IKE negotiation may (phase 1 negotiate-timeout; 30 s for instances).</summary>
    private Phase2Path NewPath(string phase1, Phase2Settings settings, bool instance = false) =>
        new(phase1, settings, Configuration.FindPhase1(phase1)?.NegotiateTimeoutSeconds ?? 30, initiates: !instance && Configuration.FindPhase1(phase1)?.Type != Phase1Type.Dynamic);

    /// <summary>After a configuration change: new phase 2s get a path, edited ones their new settings, removed ones go.</summary>
    private void SyncPaths()
    {
        foreach (var settings in Configuration.Phase2)
        {
            if (FindPathOrNull(settings.Phase1Name, settings.Name) is { } existing)
            {
                PacketCore.Reconfigure(existing, settings);
                existing.NegotiateTimeoutSeconds = Configuration.FindPhase1(settings.Phase1Name)?.NegotiateTimeoutSeconds ?? 30;
            }
            else
            {
                _paths.Add(NewPath(settings.Phase1Name, settings));
            }
        }

        // SAs of a removed phase 2 stay reachable through the inbound table until the engine removes them.
        _paths.RemoveAll(p => !Configuration.Phase2.Any(s => s.Phase1Name == p.Phase1 && s.Name == p.Name) &&
                             !Engine.Tunnels.Any(t => t.IsDialupInstance && t.Name == p.Phase1));
    }

    private bool Encrypt(ChildSaPath sa, byte[] innerIpv4Packet)
    {
        var esp = new byte[sa.Outbound.GetEncapsulatedLength(innerIpv4Packet.Length)];
        if (!PacketCore.Seal(sa, innerIpv4Packet, esp, out var written))
        {
            return false;
        }

        _simulation.Observe(o => o.EspUsed(this, sa, outbound: true));
        var install = sa.Install;
        var (source, destination) = install.UdpEncapsulation
            ? (install.LocalEndPoint, install.RemoteEndPoint)
            : (new IPEndPoint(install.LocalEndPoint.Address, SimulatedDatagram.RawEspPort), new IPEndPoint(install.RemoteEndPoint.Address, SimulatedDatagram.RawEspPort));
        _simulation.Network.Send(source, destination, esp.AsSpan(0, written));
        return true;
    }

    /// <summary>Runs every trigger queue (this thread owns them) and frees retired ciphers whose grace passed.</summary>
    private void ServiceQueues()
    {
        foreach (var path in _paths)
        {
            _core.ServiceQueue(path, this);
        }

        _core.ReleaseRetired();
    }

    private void Receive(SimulatedDatagram datagram)
    {
        var payload = datagram.Payload;
        if (datagram.IsRawEsp)
        {
            ReceiveEsp(payload, EspArrival.Raw(datagram.Destination.Address));
        }
        else if (datagram.Destination.Port == Options.NatTraversalPort)
        {
            switch (UdpEncapsulation.Classify(payload))
            {
                case UdpPayloadKind.Ike:
                    var message = payload[UdpEncapsulation.NonEspMarkerLength..];
                    Call(() => Engine.ReceiveDatagram(datagram.Destination, datagram.Source, message));
                    break;
                case UdpPayloadKind.Esp:
                    ReceiveEsp(payload, EspArrival.Udp(datagram.Destination.Address));
                    break;
                case UdpPayloadKind.NatKeepalive:
                    break;
                default:
                    MalformedDatagrams++;
                    break;
            }
        }
        else if (datagram.Destination.Port == Options.IkePort)
        {
            Call(() => Engine.ReceiveDatagram(datagram.Destination, datagram.Source, payload));
        }
        else
        {
            MalformedDatagrams++;
        }
    }

    private void ReceiveEsp(byte[] esp, EspArrival arrival)
    {
        var result = _core.Inbound(esp, arrival, out var sa, out var offset, out var length);
        switch (result)
        {
            case InboundResult.TooShort:
                MalformedDatagrams++;
                return;
            case InboundResult.UnknownSpi:
                UnknownSpiPackets++;
                return;
            case InboundResult.Delivered or InboundResult.OutsideSelectors:
                _simulation.Observe(o => o.EspUsed(this, sa!, outbound: false));
                break;
            default:
                return;
        }

        if (result == InboundResult.Delivered)
        {
            var path = sa!.Phase2;
            var inner = esp.AsSpan(offset, length).ToArray();
            if (!AdmitFromTunnel(path, inner))
            {
                return;
            }

            _simulation.Observe(o => o.Delivered(this, path, inner));
            PacketReceived?.Invoke(path.Phase1, path.Name, inner);
        }
    }

    /// <summary>Runs an engine entry point, then records IKE SAs that came up or went away during it.</summary>
    private T Call<T>(Func<T> action)
    {
        var result = action();
        AfterEngineCall();
        return result;
    }

    private void Call(Action action)
    {
        action();
        AfterEngineCall();
    }

    private void AfterEngineCall()
    {
        DeadlineChanged = true;
        ServiceQueues();
        _simulation.Observe(o => o.EngineStepped(this));
    }

    private void IkeUp(UpIkeSa sa)
    {
        _upIkeSas.Add(sa);
        Record(SimulationEventKind.IkeUp, sa.ToString(), phase1: sa.Phase1, ikeSpis: sa.Spis);
    }

    internal IEnumerable<IkeSa> EstablishedIkeSas()
    {
        if (!IsRunning)
        {
            yield break;
        }

        foreach (var tunnel in Engine.Tunnels)
        {
            if (tunnel.Current is { State: IkeSaState.Established or IkeSaState.Deleting } current)
            {
                yield return current;
            }

            foreach (var retiring in tunnel.Retiring.Where(r => r.State is IkeSaState.Established or IkeSaState.Deleting && r != tunnel.Current))
            {
                yield return retiring;
            }
        }
    }

    private void Record(SimulationEventKind kind, string detail, ChildSaInstall install, bool isRekey = false, int? packets = null) =>
        _simulation.Record(new SimulationEvent(_simulation.Now, Name, kind, detail)
        {
            Phase1 = install.Phase1,
            Phase2 = install.Phase2,
            InboundSpi = install.InboundSpi,
            OutboundSpi = install.OutboundSpi,
            IsRekey = isRekey,
            Packets = packets,
        });

    private void Record(SimulationEventKind kind, string detail, ChildSaEvent child, bool isRekey = false) =>
        _simulation.Record(new SimulationEvent(_simulation.Now, Name, kind, detail)
        {
            Phase1 = child.Phase1,
            Phase2 = child.Phase2,
            InboundSpi = child.InboundSpi,
            OutboundSpi = child.OutboundSpi,
            IsRekey = isRekey,
        });

    private void Record(SimulationEventKind kind, string detail, string phase1, string phase2, uint inboundSpi, uint outboundSpi, int? packets = null) =>
        _simulation.Record(new SimulationEvent(_simulation.Now, Name, kind, detail)
        {
            Phase1 = phase1,
            Phase2 = phase2,
            InboundSpi = inboundSpi,
            OutboundSpi = outboundSpi,
            Packets = packets,
        });

    private void Record(SimulationEventKind kind, string detail, string? phase1 = null, string? phase2 = null, string? ikeSpis = null, int? packets = null) =>
        _simulation.Record(new SimulationEvent(_simulation.Now, Name, kind, detail) { Phase1 = phase1, Phase2 = phase2, IkeSpis = ikeSpis, Packets = packets });

    private static string CauseText(OutboundSwitchCause cause) => cause switch
    {
        OutboundSwitchCause.Installed => "installed",
        OutboundSwitchCause.Activated => "engine",
        OutboundSwitchCause.FirstUse => "peer uses it",
        _ => "fallback",
    };

    private static string ReasonText(TriggerQueueDropReason reason) => reason switch
    {
        TriggerQueueDropReason.NegotiationFailed => "negotiation failed",
        TriggerQueueDropReason.NeverInitiates => "dial-up server never initiates",
        _ => "negotiate-timeout",
    };

    private static string ChildText(ChildSaInstall install) =>
        $"{install.Phase1}/{install.Phase2} in={install.InboundSpi:x8} out={install.OutboundSpi:x8}";

    private static string ChildText(ChildSaEvent child) => $"{child.Phase1}/{child.Phase2} in={child.InboundSpi:x8} out={child.OutboundSpi:x8}";

    private readonly record struct UpIkeSa(string Phase1, string Spis, bool Initiator)
    {
        public override string ToString() => $"{Phase1} {Spis} {(Initiator ? "initiator" : "responder")}";
    }
}
