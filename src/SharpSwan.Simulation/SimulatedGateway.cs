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
/// received on a newer SA moves outbound traffic to it (make-before-break).
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

    public GatewayConfiguration Configuration { get; }

    public IkeEngineOptions Options { get; }

    /// <summary>The current engine; <see cref="Restart"/> replaces it.</summary>
    public IkeEngine Engine { get; private set; }

    public int Restarts { get; private set; }

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

    public int CountLog(string fragment) => Log.Count(l => l.Text.Contains(fragment, StringComparison.Ordinal));

    public bool LogContains(string fragment) => CountLog(fragment) > 0;

    public Phase2Traffic Traffic(string phase1, string phase2) => FindPath(phase1, phase2).Traffic;

    public uint? ActiveOutboundSpi(string phase1, string phase2) => FindPath(phase1, phase2).Active?.Install.OutboundSpi;

    /// <summary>Starts the engine: auto-negotiate phase 2s begin right away.</summary>
    public void Start()
    {
        started = true;
        Call(Engine.Start);
    }

    public bool Initiate(string phase1, string? phase2) => Call(() => Engine.Initiate(phase1, phase2));

    public bool Terminate(string phase1, string? phase2) => Call(() => Engine.Terminate(phase1, phase2));

    public bool RekeyChild(string phase1, string phase2) => Call(() => Engine.RekeyChild(phase1, phase2));

    public bool RekeyIke(string phase1) => Call(() => Engine.RekeyIke(phase1));

    /// <summary>
    /// Sends an inner IPv4 packet through a phase 2: encrypted with its active outbound SA, or dropped (and the engine
    /// asked to negotiate) when it has none. True if the packet went out.
    /// </summary>
    public bool SendTraffic(string phase1, string phase2, byte[] innerIpv4Packet)
    {
        ArgumentNullException.ThrowIfNull(innerIpv4Packet);
        var path = FindPath(phase1, phase2);
        if (path.Active is not { } sa)
        {
            path.Traffic.DroppedWithoutSa++;
            Call(() => Engine.Acquire(phase1, phase2));
            return false;
        }

        var esp = new byte[sa.Outbound.GetEncapsulatedLength(innerIpv4Packet.Length)];
        if (sa.Outbound.Encapsulate(innerIpv4Packet, esp, out var written) != EspResult.Ok)
        {
            path.Traffic.Errors++;
            return false;
        }

        var install = sa.Install;
        var (source, destination) = install.UdpEncapsulation
            ? (install.LocalEndPoint, install.RemoteEndPoint)
            : (new IPEndPoint(install.LocalEndPoint.Address, SimulatedDatagram.RawEspPort), new IPEndPoint(install.RemoteEndPoint.Address, SimulatedDatagram.RawEspPort));
        simulation.Network.Send(source, destination, esp.AsSpan(0, written));
        path.Traffic.Sent++;
        return true;
    }

    /// <summary>Sends an inner packet through the first phase 2 whose configured selectors cover its addresses.</summary>
    public bool SendTraffic(byte[] innerIpv4Packet)
    {
        if (!Ipv4Packet.TryRead(innerIpv4Packet, out var source, out var destination, out _) ||
            paths.FirstOrDefault(p => p.Covers(source, destination)) is not { } path)
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
        SyncIkeEvents();
        Engine.Dispose();
        foreach (var path in paths)
        {
            foreach (var sa in path.Installed.ToList())
            {
                path.Installed.Remove(sa);
                Record(SimulationEventKind.ChildRemoved, $"{ChildText(sa.Install)} (crash)");
                sa.Dispose();
            }

            path.Active = null;
        }

        inbound.Clear();
        foreach (var ike in upIkeSas)
        {
            Record(SimulationEventKind.IkeDown, $"{ike} (crash)");
        }

        upIkeSas = [];
        Restarts++;
        Record(SimulationEventKind.Restarted, $"incarnation {Restarts}");
        Engine = CreateEngine();
        if (started)
        {
            Call(Engine.Start);
        }
    }

    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        simulation.Network.Detach(LocalAddress);
        Engine.Dispose();
        foreach (var sa in paths.SelectMany(p => p.Installed))
        {
            sa.Dispose();
        }
    }

    public override string ToString() => $"{Name} ({LocalAddress})";

    internal DateTimeOffset? NextDeadline() => Engine.NextDeadline();

    /// <summary>
    /// The deadline the simulation planned to wake this engine at. Kept because a deadline may be relative to "now"
    /// (the engine polls some states once a second), so asking again after the clock moved would push it away forever.
    /// </summary>
    internal DateTimeOffset? PlannedWake { get; set; }

    internal void Tick() => Call(Engine.Tick);

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
            nextGeneration++);
        path.Installed.Add(sa);
        if (inbound.Remove(install.InboundSpi, out var clash))
        {
            // The engine never reuses a live SPI; if it did, the newer SA wins as in a kernel SAD.
            clash.Dispose();
        }

        inbound[install.InboundSpi] = sa;
        Record(SimulationEventKind.ChildInstalled, ChildText(install));
        if (install.ActivateOutbound || path.Active is null)
        {
            SetActive(path, sa, "installed");
        }
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
        Record(SimulationEventKind.ChildRemoved, ChildText(sa.Install));
        if (path.Active == sa)
        {
            // Fall back to the newest remaining SA, if any, as the real data plane does.
            path.Active = null;
            if (path.Installed.Count > 0)
            {
                SetActive(path, path.Installed[^1], "fallback");
            }
        }

        sa.Dispose();
    }

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
        PacketReceived?.Invoke(path.Phase1, path.Settings.Name, inner);
    }

    private void SetActive(Phase2DataPath path, DataPlaneChildSa sa, string reason)
    {
        if (path.Active == sa)
        {
            return;
        }

        path.Active = sa;
        Record(SimulationEventKind.OutboundActivated, $"{ChildText(sa.Install)} ({reason})");
    }

    private DateTimeOffset? LastUse(EspSecurityAssociation sa) =>
        sa.LastActivityTimestamp == sa.CreatedTimestamp ? null : simulation.Clock.ToTime(sa.LastActivityTimestamp);

    /// <summary>Runs an engine entry point, then records IKE SAs that came up or went away during it.</summary>
    private T Call<T>(Func<T> action)
    {
        var result = action();
        SyncIkeEvents();
        return result;
    }

    private void Call(Action action)
    {
        action();
        SyncIkeEvents();
    }

    /// <summary>
    /// The host interface has no IKE SA callbacks, so IKE up/down is found by comparing the engine's established SAs with
    /// the last look. Called after every engine call and before recording child events, so an IKE SA is "up" before its
    /// first child is installed.
    /// </summary>
    private void SyncIkeEvents()
    {
        var now = EstablishedIkeSas().Select(sa => new UpIkeSa(sa.Tunnel.Name, sa.InitiatorSpi, sa.ResponderSpi, sa.IsOriginalInitiator)).ToList();
        foreach (var gone in upIkeSas.Where(old => !now.Contains(old)))
        {
            Record(SimulationEventKind.IkeDown, gone.ToString());
        }

        foreach (var added in now.Where(current => !upIkeSas.Contains(current)))
        {
            Record(SimulationEventKind.IkeUp, added.ToString());
        }

        upIkeSas = now;
    }

    private IEnumerable<IkeSa> EstablishedIkeSas()
    {
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

    private void Record(SimulationEventKind kind, string detail) =>
        simulation.Record(new SimulationEvent(simulation.Now, Name, kind, detail));

    private static string ChildText(ChildSaInstall install) =>
        $"{install.Phase1}/{install.Phase2} in={install.InboundSpi:x8} out={install.OutboundSpi:x8}";

    private readonly record struct UpIkeSa(string Phase1, ulong InitiatorSpi, ulong ResponderSpi, bool Initiator)
    {
        public override string ToString() => $"{Phase1} {InitiatorSpi:x16}/{ResponderSpi:x16} {(Initiator ? "initiator" : "responder")}";
    }
}
