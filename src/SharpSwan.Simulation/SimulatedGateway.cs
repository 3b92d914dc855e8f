using System.Buffers.Binary;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;

namespace SharpSwan.Simulation;

/// <summary>
/// One simulated SharpSwan gateway: the real <see cref="IkeEngine"/> plus an in-memory ESP data plane built from the real
/// <see cref="EspSecurityAssociation"/>, attached to the <see cref="SimulatedNetwork"/> at one IPv4 address.
/// The data plane follows the real gateway's rules: the newest activated SA carries outbound traffic, and a packet
/// received on a newer SA moves outbound traffic to it (make-before-break). Without an SA, outbound packets ask the
/// engine to negotiate and are dropped, or held by the phase 2's trigger queue (`set trigger-queue`).
/// </summary>
public sealed class SimulatedGateway : IIkeEngineHost, IDisposable
{
    private const int NonEspMarkerLength = 4;
    private const byte IpProtocolIpv4 = 4;

    private readonly Simulation simulation;
    private readonly int seed;
    private readonly List<Phase2DataPath> paths;
    private readonly Dictionary<uint, DataPlaneChildSa> inbound = [];
    private List<UpIkeSa> upIkeSas = [];
    private long nextGeneration = 1;
    private bool started;
    private bool disposed;

    internal SimulatedGateway(
        Simulation simulation,
        string name,
        GatewayConfiguration configuration,
        IPAddress localAddress,
        int seed,
        Func<IkeEngineOptions, IkeEngineOptions>? configureOptions)
    {
        this.simulation = simulation;
        this.seed = seed;
        Name = name;
        Configuration = configuration;
        LocalAddress = localAddress;
        var options = new IkeEngineOptions { LocalAddressResolver = ResolveLocalAddress };
        Options = configureOptions is null ? options : configureOptions(options);
        paths = configuration.Phase2.Select(p => new Phase2DataPath(p.Phase1Name, p)).ToList();
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
    public IReadOnlyList<InstalledChildSa> InstalledSas =>
        paths.SelectMany(path => path.Installed.Select(sa => new InstalledChildSa(
            path.Phase1,
            path.Settings.Name,
            sa.Install.InboundSpi,
            sa.Install.OutboundSpi,
            sa.Install.Suite,
            sa.Install.LocalSelector,
            sa.Install.RemoteSelector,
            path.Active == sa,
            sa.Inbound.Packets,
            sa.Outbound.Packets))).ToList();

    public IEnumerable<SimulationEvent> Timeline => simulation.Timeline.Where(e => e.Gateway == Name);

    public IEnumerable<SimulationLogLine> Log => simulation.Log.Where(l => l.Gateway == Name);

    internal IReadOnlyList<Phase2DataPath> Paths => paths;

    public int CountLog(string fragment) => Log.Count(l => l.Text.Contains(fragment, StringComparison.Ordinal));

    public bool LogContains(string fragment) => CountLog(fragment) > 0;

    public Phase2Traffic Traffic(string phase1, string phase2) => FindPath(phase1, phase2).Traffic;

    public uint? ActiveOutboundSpi(string phase1, string phase2) => FindPath(phase1, phase2).Active?.Install.OutboundSpi;

    /// <summary>Packets the phase 2's trigger queue holds right now.</summary>
    public int QueuedPackets(string phase1, string phase2) => FindPath(phase1, phase2).Queue.Count;

    /// <summary>Starts the engine: auto-negotiate phase 2s begin right away.</summary>
    public void Start()
    {
        started = true;
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

        simulation.Observe(o => o.Offered(this, path, innerIpv4Packet));
        if (path.Active is null)
        {
            if (path.Queue.TryEnqueue(innerIpv4Packet, simulation.Clock.GetTimestamp()))
            {
                path.Traffic.Queued++;
            }
            else
            {
                path.Traffic.DroppedWithoutSa++;
            }

            Call(() => Engine.Acquire(phase1, phase2));
            return false;
        }

        return Encrypt(path, innerIpv4Packet);
    }

    /// <summary>Sends an inner packet through the first phase 2 whose configured selectors cover its addresses.</summary>
    public bool SendTraffic(byte[] innerIpv4Packet)
    {
        if (!Ipv4Packet.TryRead(innerIpv4Packet, out var source, out var destination, out _))
        {
            UnroutedPackets++;
            return false;
        }

        // Dial-up instances share their template's settings; the selectors each peer's SA negotiated tell them apart.
        var path = paths.FirstOrDefault(p => p.Active is { } active && p.Phase1 != p.Settings.Phase1Name &&
                                             SelectorMath.Covers(active.Install.LocalSelector, SelectorMath.ToUInt32(source)) &&
                                             SelectorMath.Covers(active.Install.RemoteSelector, SelectorMath.ToUInt32(destination)))
                   ?? paths.FirstOrDefault(p => p.Covers(source, destination));
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

        SyncIkeEvents();
        Engine.Dispose();
        foreach (var path in paths)
        {
            foreach (var sa in path.Installed.ToList())
            {
                path.Installed.Remove(sa);
                Record(SimulationEventKind.ChildRemoved, $"{ChildText(sa.Install)} (crash)", sa.Install);
                sa.Dispose();
            }

            path.Active = null;
            path.Queue.DiscardAll();
            simulation.Observe(o => o.InstalledChanged(this, path));
        }

        inbound.Clear();
        foreach (var ike in upIkeSas)
        {
            Record(SimulationEventKind.IkeDown, $"{ike} (crash)", phase1: ike.Phase1, ikeSpis: ike.Spis);
        }

        upIkeSas = [];
        IsRunning = false;
        simulation.Network.Detach(LocalAddress);
        DeadlineChanged = true;
        PlannedWake = null;
        Record(SimulationEventKind.Crashed, $"incarnation {Restarts}");
        simulation.Observe(o => o.Crashed(this));
    }

    /// <summary>Brings a crashed gateway back with a fresh engine on the same configuration.</summary>
    public void Boot()
    {
        if (IsRunning || disposed)
        {
            return;
        }

        Restarts++;
        Engine = CreateEngine();
        simulation.Network.Attach(LocalAddress, Receive);
        IsRunning = true;
        Record(SimulationEventKind.Restarted, $"incarnation {Restarts}");
        if (started)
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
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (IsRunning)
        {
            simulation.Network.Detach(LocalAddress);
        }

        Engine.Dispose();
        foreach (var sa in paths.SelectMany(p => p.Installed))
        {
            sa.Dispose();
        }
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
        foreach (var path in paths)
        {
            if (path.Queue.OldestTimestamp is { } oldest)
            {
                var due = simulation.Clock.ToTime(oldest) + QueueLimit(path);
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
            // RFC 3948: IKE on UDP 4500 starts with four zero octets, which no ESP SPI can be.
            var marked = new byte[NonEspMarkerLength + message.Length];
            message.CopyTo(marked.AsSpan(NonEspMarkerLength));
            simulation.Network.Send(local, remote, marked);
            return;
        }

        simulation.Network.Send(local, remote, message);
    }

    void IIkeEngineHost.InstallChildSa(ChildSaInstall install)
    {
        SyncIkeEvents();
        if (paths.FirstOrDefault(p => p.Phase1 == install.Phase1 && p.Settings.Name == install.Phase2) is not { } path)
        {
            return;
        }

        var transform = new EspTransform(install.Suite.Encryption, install.Suite.KeyBits, install.Suite.Integrity);
        var random = new SeededRandomSource(SimulationSeeds.Mix(seed, Restarts, unchecked((int)install.InboundSpi)));
        var sa = new DataPlaneChildSa(
            path,
            install,
            EspSecurityAssociation.CreateInbound(install.InboundSpi, transform, install.InboundEncryptionKey, install.InboundIntegrityKey, install.ReplayProtection, 1024, random, simulation.Clock),
            EspSecurityAssociation.CreateOutbound(install.OutboundSpi, transform, install.OutboundEncryptionKey, install.OutboundIntegrityKey, random, simulation.Clock),
            nextGeneration++,
            simulation.Now);
        var isRekey = path.Installed.Count > 0;
        path.Installed.Add(sa);
        if (inbound.Remove(install.InboundSpi, out var clash))
        {
            // The engine never reuses a live SPI; if it did, the newer SA wins as in a kernel SAD.
            clash.Dispose();
        }

        inbound[install.InboundSpi] = sa;
        Record(SimulationEventKind.ChildInstalled, ChildText(install) + (isRekey ? " (rekey)" : string.Empty), install, isRekey);
        simulation.Observe(o => o.InstalledChanged(this, path));
        if (install.ActivateOutbound || path.Active is null)
        {
            SetActive(path, sa, "installed");
        }

        ReleaseQueue(path);
    }

    void IIkeEngineHost.ActivateOutbound(string phase1, string phase2, uint outboundSpi)
    {
        SyncIkeEvents();
        if (paths.FirstOrDefault(p => p.Phase1 == phase1 && p.Settings.Name == phase2) is { } path &&
            path.Installed.FirstOrDefault(sa => sa.Install.OutboundSpi == outboundSpi) is { } sa)
        {
            SetActive(path, sa, "engine");
        }
    }

    void IIkeEngineHost.RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi)
    {
        if (!inbound.TryGetValue(inboundSpi, out var sa))
        {
            return;
        }

        inbound.Remove(inboundSpi);
        var path = sa.Path;
        path.Installed.Remove(sa);
        Record(SimulationEventKind.ChildRemoved, ChildText(sa.Install), sa.Install);
        if (path.Active == sa)
        {
            // Fall back to the newest remaining SA, if any, as the real data plane does.
            path.Active = null;
            if (path.Installed.Count > 0)
            {
                SetActive(path, path.Installed[^1], "fallback");
            }
        }

        simulation.Observe(o => o.InstalledChanged(this, path));
        sa.Dispose();
    }

    void IIkeEngineHost.DialupInstanceAdded(string template, string instance)
    {
        // Each connected dial-up peer gets its own paths (and counters), like the real data plane's instance paths.
        foreach (var settings in Configuration.Phase2For(template))
        {
            paths.Add(new Phase2DataPath(instance, settings));
        }
    }

    void IIkeEngineHost.DialupInstanceRemoved(string template, string instance) => paths.RemoveAll(p => p.Phase1 == instance);

    ChildSaActivity IIkeEngineHost.GetActivity(uint inboundSpi, uint outboundSpi)
    {
        if (!inbound.TryGetValue(inboundSpi, out var sa))
        {
            return default;
        }

        return new ChildSaActivity(LastUse(sa.Inbound), LastUse(sa.Outbound), sa.Inbound.Bytes, sa.Outbound.Bytes);
    }

    private IkeEngine CreateEngine() =>
        new(Configuration, Options, simulation.Clock, new SeededRandomSource(SimulationSeeds.Mix(seed, Restarts, 0)), this, new GatewayLog(this, simulation));

    private IPAddress? ResolveLocalAddress(Phase1Settings phase1) =>
        phase1.LocalGateway.Equals(IPAddress.Any) ? LocalAddress : phase1.LocalGateway;

    private Phase2DataPath FindPath(string phase1, string phase2) =>
        paths.FirstOrDefault(p => p.Phase1 == phase1 && p.Settings.Name == phase2)
        ?? throw new ArgumentException($"{Name} has no phase 2 {phase2} on phase 1 {phase1}");

    /// <summary>After a configuration change: new phase 2s get a path, edited ones their new settings, removed ones go.</summary>
    private void SyncPaths()
    {
        foreach (var settings in Configuration.Phase2)
        {
            if (paths.FirstOrDefault(p => p.Phase1 == settings.Phase1Name && p.Settings.Name == settings.Name) is { } existing)
            {
                existing.Settings = settings;
                existing.Traffic.QueueDropped += existing.Queue.Resize(settings.TriggerQueue);
            }
            else
            {
                paths.Add(new Phase2DataPath(settings.Phase1Name, settings));
            }
        }

        // SAs of a removed phase 2 stay reachable through the inbound table until the engine removes them.
        paths.RemoveAll(p => !Configuration.Phase2.Any(s => s.Phase1Name == p.Phase1 && s.Name == p.Settings.Name) &&
                             !Engine.Tunnels.Any(t => t.IsDialupInstance && t.Name == p.Phase1));
    }

    private bool Encrypt(Phase2DataPath path, byte[] innerIpv4Packet)
    {
        var sa = path.Active!;
        var esp = new byte[sa.Outbound.GetEncapsulatedLength(innerIpv4Packet.Length)];
        if (sa.Outbound.Encapsulate(innerIpv4Packet, esp, out var written) != EspResult.Ok)
        {
            path.Traffic.Errors++;
            return false;
        }

        simulation.Observe(o => o.EspUsed(this, sa, outbound: true));
        var install = sa.Install;
        var (source, destination) = install.UdpEncapsulation
            ? (install.LocalEndPoint, install.RemoteEndPoint)
            : (new IPEndPoint(install.LocalEndPoint.Address, SimulatedDatagram.RawEspPort), new IPEndPoint(install.RemoteEndPoint.Address, SimulatedDatagram.RawEspPort));
        simulation.Network.Send(source, destination, esp.AsSpan(0, written));
        path.Traffic.Sent++;
        return true;
    }

    /// <summary>The phase 2 has an SA again: held packets go out through it, oldest first.</summary>
    private void ReleaseQueue(Phase2DataPath path)
    {
        if (path.Active is null || path.Queue.Count == 0)
        {
            return;
        }

        var released = path.Queue.Release(packet =>
        {
            path.Traffic.QueueReleased++;
            Encrypt(path, packet);
        });
        Record(SimulationEventKind.TriggerQueueReleased, $"{path} {released} held packet(s) sent through out={path.Active.Install.OutboundSpi:x8}", path.Active.Install, packets: released);
    }

    /// <summary>
    /// Held packets are dropped once the engine is no longer negotiating their phase 2 (it failed or gave up), or when
    /// they are older than the phase 1 negotiate-timeout.
    /// </summary>
    private void MaintainQueues()
    {
        foreach (var path in paths)
        {
            if (path.Queue.Count == 0 || path.Active is not null)
            {
                continue;
            }

            int dropped;
            string reason;
            if (!EngineNegotiates(path.Phase1, path.Settings.Name))
            {
                dropped = path.Queue.DiscardAll();
                reason = "negotiation failed";
            }
            else
            {
                var limit = simulation.Clock.GetTimestamp() - QueueLimit(path).Ticks;
                dropped = path.Queue.DiscardOlderThan(limit + 1);
                reason = "negotiate-timeout";
            }

            if (dropped > 0)
            {
                path.Traffic.QueueDropped += dropped;
                Record(SimulationEventKind.TriggerQueueDropped, $"{path} {dropped} held packet(s) dropped ({reason})", phase1: path.Phase1, phase2: path.Settings.Name, packets: dropped);
            }
        }
    }

    /// <summary>Held packets live at most as long as an IKE negotiation may (phase 1 negotiate-timeout).</summary>
    private TimeSpan QueueLimit(Phase2DataPath path) =>
        TimeSpan.FromSeconds(Configuration.FindPhase1(path.Phase1)?.NegotiateTimeoutSeconds ?? 30);

    private bool EngineNegotiates(string phase1, string phase2)
    {
        var tunnel = Engine.Tunnels.FirstOrDefault(t => t.Name == phase1);
        if (tunnel is null)
        {
            return false;
        }

        return tunnel.Negotiating.Contains(phase2) ||
            (tunnel.Current is { State: IkeSaState.InitSent or IkeSaState.AuthSent or IkeSaState.InitResponded } pending && pending.WantedPhase2.Contains(phase2));
    }

    private void Receive(SimulatedDatagram datagram)
    {
        var payload = datagram.Payload;
        if (datagram.IsRawEsp)
        {
            ReceiveEsp(payload);
        }
        else if (datagram.Destination.Port == Options.NatTraversalPort)
        {
            if (payload.Length == 1 && payload[0] == 0xff)
            {
                return; // NAT-T keepalive (RFC 3948 §2.3)
            }

            if (payload.Length >= NonEspMarkerLength && BinaryPrimitives.ReadUInt32BigEndian(payload) == 0)
            {
                var message = payload[NonEspMarkerLength..];
                Call(() => Engine.ReceiveDatagram(datagram.Destination, datagram.Source, message));
            }
            else
            {
                ReceiveEsp(payload);
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

    private void ReceiveEsp(byte[] esp)
    {
        if (esp.Length < 8)
        {
            MalformedDatagrams++;
            return;
        }

        if (!inbound.TryGetValue(BinaryPrimitives.ReadUInt32BigEndian(esp), out var sa))
        {
            UnknownSpiPackets++;
            return;
        }

        var path = sa.Path;
        var result = sa.Inbound.Decapsulate(esp, out var offset, out var length, out var nextHeader);
        if (result == EspResult.Replayed)
        {
            path.Traffic.Replayed++;
            return;
        }

        if (result != EspResult.Ok || nextHeader != IpProtocolIpv4 || length < Ipv4Packet.HeaderLength)
        {
            path.Traffic.Errors++;
            return;
        }

        simulation.Observe(o => o.EspUsed(this, sa, outbound: false));
        var inner = esp.AsSpan(offset, length).ToArray();
        var source = BinaryPrimitives.ReadUInt32BigEndian(inner.AsSpan(12));
        var destination = BinaryPrimitives.ReadUInt32BigEndian(inner.AsSpan(16));
        var install = sa.Install;
        if (!SelectorMath.Covers(install.RemoteSelector, source) || !SelectorMath.Covers(install.LocalSelector, destination))
        {
            // Decrypted fine but outside the negotiated selectors: not ours to forward.
            path.Traffic.Errors++;
            return;
        }

        if (path.Active is { } current && current != sa && current.Generation < sa.Generation)
        {
            // The peer already sends on the newer SA, so it has it: we may send on it too (make-before-break).
            SetActive(path, sa, "peer uses it");
        }

        path.Traffic.Delivered++;
        simulation.Observe(o => o.Delivered(this, path, inner));
        PacketReceived?.Invoke(path.Phase1, path.Settings.Name, inner);
    }

    private void SetActive(Phase2DataPath path, DataPlaneChildSa sa, string reason)
    {
        if (path.Active == sa)
        {
            return;
        }

        path.Active = sa;
        Record(SimulationEventKind.OutboundActivated, $"{ChildText(sa.Install)} ({reason})", sa.Install);
    }

    private DateTimeOffset? LastUse(EspSecurityAssociation sa) =>
        sa.LastActivityTimestamp == sa.CreatedTimestamp ? null : simulation.Clock.ToTime(sa.LastActivityTimestamp);

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
        SyncIkeEvents();
        MaintainQueues();
        simulation.Observe(o => o.EngineStepped(this));
    }

    /// <summary>
    /// The host interface has no IKE SA callbacks, so IKE up/down is found by comparing the engine's established SAs with
    /// the last look. Called after every engine call and before recording child events, so an IKE SA is "up" before its
    /// first child is installed.
    /// </summary>
    private void SyncIkeEvents()
    {
        if (Unchanged())
        {
            return;
        }

        var now = EstablishedIkeSas().Select(sa => new UpIkeSa(sa.Tunnel.Name, sa.InitiatorSpi, sa.ResponderSpi, sa.IsOriginalInitiator)).ToList();
        foreach (var gone in upIkeSas.Where(old => !now.Contains(old)))
        {
            Record(SimulationEventKind.IkeDown, gone.ToString(), phase1: gone.Phase1, ikeSpis: gone.Spis);
        }

        foreach (var added in now.Where(current => !upIkeSas.Contains(current)))
        {
            Record(SimulationEventKind.IkeUp, added.ToString(), phase1: added.Phase1, ikeSpis: added.Spis);
        }

        upIkeSas = now;
    }

    /// <summary>The common case, checked without allocating: the same IKE SAs as at the last look.</summary>
    private bool Unchanged()
    {
        var count = 0;
        foreach (var sa in EstablishedIkeSas())
        {
            if (count >= upIkeSas.Count || !upIkeSas.Contains(new UpIkeSa(sa.Tunnel.Name, sa.InitiatorSpi, sa.ResponderSpi, sa.IsOriginalInitiator)))
            {
                return false;
            }

            count++;
        }

        return count == upIkeSas.Count;
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
        simulation.Record(new SimulationEvent(simulation.Now, Name, kind, detail)
        {
            Phase1 = install.Phase1,
            Phase2 = install.Phase2,
            InboundSpi = install.InboundSpi,
            OutboundSpi = install.OutboundSpi,
            IsRekey = isRekey,
            Packets = packets,
        });

    private void Record(SimulationEventKind kind, string detail, string? phase1 = null, string? phase2 = null, string? ikeSpis = null, int? packets = null) =>
        simulation.Record(new SimulationEvent(simulation.Now, Name, kind, detail) { Phase1 = phase1, Phase2 = phase2, IkeSpis = ikeSpis, Packets = packets });

    private static string ChildText(ChildSaInstall install) =>
        $"{install.Phase1}/{install.Phase2} in={install.InboundSpi:x8} out={install.OutboundSpi:x8}";

    private readonly record struct UpIkeSa(string Phase1, ulong InitiatorSpi, ulong ResponderSpi, bool Initiator)
    {
        public string Spis => $"{InitiatorSpi:x16}/{ResponderSpi:x16}";

        public override string ToString() => $"{Phase1} {Spis} {(Initiator ? "initiator" : "responder")}";
    }
}
