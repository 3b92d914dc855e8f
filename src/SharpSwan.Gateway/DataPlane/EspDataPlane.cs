using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// User-space ESP: the threads, sockets, TUN devices, offloads and batching around the <see cref="PacketCore"/>, which holds
/// the SAs and every packet rule. SAs are installed and removed by the engine thread; the packet threads only read the
/// tables, and all per-packet work uses buffers owned by each thread, so nothing is allocated per packet.
/// Outbound (EspDataPlane.Outbound.cs), a fixed set of TUN workers (one per core by default) that each poll many TUN
/// devices through epoll (<see cref="TunWorkerPool{T}"/>), so threads do not grow with tunnels; a device always belongs to
/// one worker, which owns its trigger queues: read what frames are waiting (with TSO on, a TCP super-packet of up to
/// 64 KB each) → match a phase 2 → cut a super-packet into MSS-sized segments written straight into
/// the datagram slots and encrypted there → one sendmmsg, in which equal-size datagrams to one peer travel as one
/// segmented message (UDP_SEGMENT) on the NAT-T socket.
/// Scaling out: a tunnel's TUN device has one queue per worker (IFF_MULTI_QUEUE) and the kernel keeps each flow on one
/// queue, so the workers share a tunnel without reordering a flow; each worker seals on its own lane of an SA (own
/// cipher context and IV range; sequence numbers by compare-and-swap) and sends on its own NAT-T socket.
/// Inbound (EspDataPlane.Inbound.cs), one thread per socket (UDP 500, one UDP 4500 socket per worker sharing the port
/// with SO_REUSEPORT, so the kernel spreads peers over them, raw ESP): one recvmmsg (on 4500 each slot
/// may be a GRO train of datagrams) → decrypt each in place → inbound policy check → join consecutive segments of a TCP
/// stream → one TUN write per joined packet. An SA is decrypted only by the reader of the socket it was negotiated on
/// (the core checks the transport and local address). A packet whose handling throws is dropped and counted; a thread
/// that fails is logged, counted and restarted.
/// </summary>
public sealed partial class EspDataPlane : IDisposable
{
    private const int BufferSize = 65536;
    private readonly PacketCore _core;
    private FlowProbe? _probe;
    private readonly Dictionary<string, TunnelPath> _tunnels = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, SocketSet> _sockets = [];
    private readonly List<Thread> _threads = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly IRandomSource _random;
    private readonly TunWorkerPool<TunnelPath> _tunWorkers;

    /// <param name="random">Randomness for the SAs' IVs.</param>
    /// <param name="time">The packet core's clock.</param>
    /// <param name="tunWorkers">
    /// Data-plane workers (TUN queue readers, NAT-T sockets, SA lanes) serving all tunnels; 0 means one per core
    /// (<see cref="DataPlaneWorkers.Default"/>), at most <see cref="DataPlaneWorkers.Maximum"/>.
    /// </param>
    public EspDataPlane(IRandomSource random, TimeProvider time, int tunWorkers = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tunWorkers);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tunWorkers, DataPlaneWorkers.Maximum);
        this._random = random;
        var workers = tunWorkers == 0 ? DataPlaneWorkers.Default : tunWorkers;
        _core = new PacketCore(time, new CoreEvents(this), outboundLanes: workers);
        _tunWorkers = new TunWorkerPool<TunnelPath>(workers, lane => new OutboundWorker(this, lane), StartThread);
    }

    /// <summary>Threads serving the TUN devices, however many tunnels there are.</summary>
    public int TunWorkerCount => _tunWorkers.WorkerCount;

    /// <summary>Called with IKE datagrams (marker removed): local, remote, bytes. Runs on a socket thread.</summary>
    public Action<IPEndPoint, IPEndPoint, byte[]>? IkeReceived { get; set; }

    /// <summary>Called when a packet needs a phase 2 that has no SA (on-demand negotiation), at most once a second each.</summary>
    public Action<string, string>? AcquireRequested { get; set; }

    /// <summary>Called once per SA when its outbound sequence number passes the soft point or runs out: the engine rekeys it.</summary>
    public Action<SequenceLimitReached>? SequenceLimitReached { get; set; }

    /// <summary>Everything the packet core reports (outbound switches, trigger-queue releases and drops, acquires).</summary>
    public Action<PacketCoreEvent>? CoreEvent { get; set; }

    /// <summary>Set while `diagnose debug flow` traces: the outbound path reports what it does with the packets the trace follows.</summary>
    public FlowProbe? Probe
    {
        get => Volatile.Read(ref _probe);
        set => Volatile.Write(ref _probe, value);
    }

    public long InvalidPackets;

    /// <summary>Packets whose handling threw: the packet is dropped, its thread carries on.</summary>
    public long PacketErrors;

    /// <summary>Packet threads that failed outside a packet and were started again.</summary>
    public long ThreadRestarts;

    /// <summary>Where packet threads report failures and restarts (the gateway's standard error).</summary>
    public Action<string> Log { get; set; } = Console.Error.WriteLine;

    /// <summary>Fault injection for tests: called with each received datagram before it is handled.</summary>
    internal Action<byte[]>? PacketFault { get; set; }

    /// <summary>Fault injection for tests: called with the thread's name at each turn of a receive loop.</summary>
    internal Action<string>? LoopFault { get; set; }

    public IReadOnlyCollection<TunnelPath> Tunnels => _tunnels.Values;

    public TunnelPath? FindTunnel(string name) => _tunnels.GetValueOrDefault(name);

    /// <summary>Starts the once-a-second housekeeping: NAT-T keepalives for SAs behind a NAT.</summary>
    public void StartKeepalives() => StartThread("natt-keepalive", KeepaliveLoop);

    public void AddTunnel(TunnelPath tunnel)
    {
        // With offloads the kernel skips per-segment work and hands us super-packets; without, frames are plain packets.
        tunnel.Tun.EnableOffloads();
        _tunnels[tunnel.Name] = tunnel;
        _tunWorkers.Add(tunnel.Tun, tunnel);
    }

    /// <summary>Stops a tunnel's packet path and closes its TUN device (its routes vanish with it).</summary>
    public void RemoveTunnel(string name)
    {
        if (_tunnels.Remove(name, out var tunnel))
        {
            foreach (var instance in tunnel.Instances.All)
            {
                _tunnels.Remove(instance.Name);
            }

            tunnel.Instances.Clear();

            // Unregistered first, so no worker starts a read on it; one already reading keeps the descriptor open until it returns.
            _tunWorkers.Remove(tunnel.Tun);
            tunnel.Tun.Dispose();
        }
    }

    /// <summary>A dial-up peer's own path: its counters and SAs, on the template's TUN device (served with it).</summary>
    public TunnelPath? AddInstance(string template, string instanceName)
    {
        if (!_tunnels.TryGetValue(template, out var parent))
        {
            return null;
        }

        var instance = new TunnelPath(parent.Settings, parent.Tun, parent.Phase2.Select(p => new Phase2Path(instanceName, p.Settings, p.NegotiateTimeoutSeconds, initiates: false)).ToList())
        {
            InstanceName = instanceName,
            Template = parent,
        };
        _tunnels[instanceName] = instance;
        parent.Instances.Add(instance);
        return instance;
    }

    public void RemoveInstance(string template, string instanceName)
    {
        if (_tunnels.TryGetValue(instanceName, out var instance) && instance.Template is not null)
        {
            _tunnels.Remove(instanceName);
            instance.Template.Instances.Remove(instance);
        }
    }

    /// <summary>
    /// Binds UDP 500, UDP 4500 and raw ESP on a local address (once per address): 4500 once per worker, sharing the port
    /// (SO_REUSEPORT), each socket with its own reader; a raw socket gets a copy of every packet, so raw ESP keeps one.
    /// </summary>
    public void BindLocal(IPAddress address, int ikePort, int nattPort)
    {
        if (_sockets.ContainsKey(address))
        {
            return;
        }

        var ike = UdpEndpoint.Bind(new IPEndPoint(address, ikePort));
        var nattLanes = BindNatTraversal(new IPEndPoint(address, nattPort));
        var natt = nattLanes[0];
        Socket? raw = null;
        try
        {
            raw = RawEspSocket.Open(address);
        }
        catch (SocketException ex)
        {
            Console.Error.WriteLine($"ike 0: raw ESP unavailable on {address} ({ex.SocketErrorCode}); only ESP in UDP will work");
            raw?.Dispose();
            raw = null;
        }

        foreach (var lane in nattLanes)
        {
            EnableUdpOffloads(lane);
        }

        var set = new SocketSet(ike, nattLanes, raw);
        _sockets[address] = set;
        StartThread($"udp-{ikePort}", () => IkeReader(ike));
        for (var i = 0; i < nattLanes.Length; i++)
        {
            var lane = nattLanes[i];
            StartThread(i == 0 ? $"udp-{nattPort}" : $"udp-{nattPort}-{i}", () => NatTraversalReader(lane));
        }
        if (raw is not null)
        {
            StartThread("esp-raw", () => RawReader(raw, address));
        }
    }

    /// <summary>One NAT-T socket per worker on the same port; with one worker a plain socket, as before.</summary>
    private UdpEndpoint[] BindNatTraversal(IPEndPoint local)
    {
        var lanes = new UdpEndpoint[TunWorkerCount];
        try
        {
            for (var i = 0; i < lanes.Length; i++)
            {
                lanes[i] = UdpEndpoint.Bind(i == 0 ? local : new IPEndPoint(local.Address, lanes[0].LocalEndPoint.Port), sharePort: lanes.Length > 1);
            }
        }
        catch
        {
            foreach (var lane in lanes)
            {
                lane?.Dispose();
            }

            throw;
        }

        return lanes;
    }

    /// <summary>
    /// ESP in UDP leaves in segmented sends (UDP_SEGMENT) and arrives in GRO trains (UDP_GRO) when the kernel has them.
    /// A device that cannot segment shows at the first send: that socket then goes on with plain sendmmsg, said once.
    /// </summary>
    private void EnableUdpOffloads(UdpEndpoint natt)
    {
        var local = natt.LocalEndPoint;
        if (!natt.EnableSegmentationOffload())
        {
            Log($"ike 0: UDP segmentation offload unavailable on {local}; ESP in UDP is sent one datagram per message");
        }

        natt.SegmentationRefused = errno =>
            Log($"ike 0: the kernel refused UDP segmentation offload on {local} (errno {errno}{(errno == 5 ? ", EIO" : errno == 22 ? ", EINVAL" : "")}); ESP in UDP is sent one datagram per message from now on");
        if (!natt.EnableReceiveOffload())
        {
            Log($"ike 0: UDP GRO unavailable on {local}; ESP in UDP is received one datagram at a time");
        }

        if (!natt.EnableReceiveTos())
        {
            Log($"ike 0: IP_RECVTOS unavailable on {local}; inbound-dscp-copy cannot copy the DSCP of ESP in UDP");
        }
    }

    /// <summary>Sends an IKE message from the socket bound to local's port, adding the non-ESP marker on 4500.</summary>
    public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message, int nattPort)
    {
        if (!_sockets.TryGetValue(local.Address, out var set))
        {
            return;
        }

        if (local.Port == nattPort)
        {
            var buffer = new byte[message.Length + UdpEncapsulation.NonEspMarkerLength];
            UdpEncapsulation.WriteNonEspMarker(buffer);
            message.CopyTo(buffer.AsSpan(UdpEncapsulation.NonEspMarkerLength));
            set.NatT.Send(buffer, remote);
        }
        else
        {
            set.Ike.Send(message, remote);
        }
    }

    public void Install(ChildSaInstall install)
    {
        if (!_tunnels.TryGetValue(install.Phase1, out var tunnel) || FindPhase2(tunnel, install.Phase2) is not { } phase2)
        {
            return;
        }

        var remote = install.UdpEncapsulation ? install.RemoteEndPoint : new IPEndPoint(install.RemoteEndPoint.Address, 0);
        var sa = _core.Install(phase2, install, _random, new ChildSaTransport(tunnel, remote.Serialize(), install.LocalEndPoint));
        tunnel.Template?.Instances.AddSa(tunnel, sa);
    }

    /// <summary>The peer's NAT mapping moved: these SAs send to <paramref name="remote"/> (raw ESP keeps port 0).</summary>
    public void MovePeer(IReadOnlyList<uint> inboundSpis, IPEndPoint remote)
    {
        foreach (var spi in inboundSpis)
        {
            if (_core.Find(spi) is { } path)
            {
                var destination = path.Install.UdpEncapsulation ? remote : new IPEndPoint(remote.Address, 0);
                Transport(path).RemoteAddress = destination.Serialize();
            }
        }
    }

    public void ActivateOutbound(string phase1, string phase2Name, uint outboundSpi)
    {
        if (_tunnels.TryGetValue(phase1, out var tunnel) && FindPhase2(tunnel, phase2Name) is { } phase2)
        {
            _core.ActivateOutbound(phase2, outboundSpi);
        }
    }

    public void Remove(string phase1, string phase2Name, uint inboundSpi, uint outboundSpi)
    {
        if (_core.Remove(inboundSpi) is { } sa && Transport(sa).Tunnel is { Template: { } template } instance)
        {
            template.Instances.RemoveSa(instance, sa);
        }
    }

    /// <summary>The engine reported a failed negotiation: the trigger queues it concerns drop what they hold.</summary>
    public void NegotiationFailed(NegotiationFailed failure)
    {
        if (failure.Phase1 is { } phase1 && _tunnels.TryGetValue(phase1, out var tunnel))
        {
            PacketCore.NegotiationFailed(tunnel.Phase2, failure);
        }
    }

    /// <summary>
    /// What each bounded queue of the data plane dropped so far (see <see cref="DataPlaneDrops"/>); the kernel's counters
    /// are read now, so call it for a report, not per packet.
    /// </summary>
    public DataPlaneDrops Drops()
    {
        var devices = _tunnels.Values.Where(t => t.Template is null).Select(t => t.Tun).Distinct().ToList();
        var links = LinkDrops.Read(devices.Select(d => d.Name).ToHashSet(StringComparer.Ordinal));
        long tunQueue = 0, tunWrite = 0, socketReceive = 0, socketSend = 0, triggerQueue = 0;
        foreach (var device in devices)
        {
            var link = links.GetValueOrDefault(device.Name);
            tunQueue += link.Transmit;
            tunWrite += link.Receive + device.WriteErrors;
        }

        foreach (var set in _sockets.Values)
        {
            socketReceive += set.Ike.ReceiveQueueDrops + set.NatT.ReceiveQueueDrops + (set.Raw is { } raw ? SocketDrops.Read(raw) : 0);
            socketSend += set.Ike.SendErrors + set.NatT.SendErrors;
        }

        foreach (var tunnel in _tunnels.Values)
        {
            foreach (var phase2 in tunnel.Phase2)
            {
                triggerQueue += phase2.Trigger.Full;
            }
        }

        return new DataPlaneDrops(tunQueue, tunWrite, socketReceive, socketSend, triggerQueue);
    }

    public ChildSaActivity Activity(uint inboundSpi) => _core.Activity(inboundSpi);

    public ChildSaPath? FindByInboundSpi(uint spi) => _core.Find(spi);

    public void Dispose()
    {
        _stopping.Cancel();
        _tunWorkers.Dispose();
        foreach (var set in _sockets.Values)
        {
            set.Ike.Dispose();
            foreach (var lane in set.NatTLanes)
            {
                lane.Dispose();
            }

            set.Raw?.Dispose();
        }

        foreach (var tunnel in _tunnels.Values)
        {
            tunnel.Tun.Dispose();
        }

        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }

        _stopping.Dispose();
        _core.Dispose();
    }

    private static Phase2Path? FindPhase2(TunnelPath tunnel, string name)
    {
        foreach (var phase2 in tunnel.Phase2)
        {
            if (phase2.Name == name)
            {
                return phase2;
            }
        }

        return null;
    }

    private static ChildSaTransport Transport(ChildSaPath sa) => (ChildSaTransport)sa.HostState!;

    /// <summary>
    /// Runs a packet thread that never dies silently: if its body throws (outside a packet, which is caught on its own)
    /// the failure is logged and counted and the body starts again after a pause that doubles up to 5 s. A body that
    /// returns (its socket or device closed) ends the thread.
    /// </summary>
    private void StartThread(string name, Action body)
    {
        var thread = new Thread(() => RunRestarting(name, body)) { Name = name, IsBackground = true };
        _threads.Add(thread);
        thread.Start();
    }

    private void RunRestarting(string name, Action body)
    {
        var pause = TimeSpan.FromMilliseconds(50);
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                body();
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                var restarts = Interlocked.Increment(ref ThreadRestarts);
                Log($"ike 0: {name} thread failed ({ex.GetType().Name}: {ex.Message}); restarting it (restart {restarts})");
            }

            if (_stopping.Token.WaitHandle.WaitOne(pause))
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    /// <summary>A packet's handling threw: drop it, count it, log the first and then every 1024th, keep the thread going.</summary>
    private void PacketFailed(Exception ex)
    {
        var count = Interlocked.Increment(ref PacketErrors);
        if (count == 1 || count % 1024 == 0)
        {
            Log($"ike 0: {Thread.CurrentThread.Name} dropped a packet that failed ({ex.GetType().Name}: {ex.Message}); {count} so far");
        }
    }

    private void KeepaliveLoop()
    {
        var token = _stopping.Token;
        Span<byte> keepalive = [UdpEncapsulation.NatKeepaliveByte];
        while (!token.WaitHandle.WaitOne(1000))
        {
            // Once a second is also when the ciphers of SAs removed more than the grace ago are freed.
            _core.ReleaseRetired();
            var now = Environment.TickCount64;
            foreach (var path in _core.InstalledSas)
            {
                var install = path.Install;
                var transport = Transport(path);
                if (!install.UdpEncapsulation || !install.LocalBehindNat || path.Removed ||
                    now - Math.Max(transport.Tunnel.LastTxTicks, transport.LastKeepaliveTicks) < install.NatKeepaliveSeconds * 1000L ||
                    !_sockets.TryGetValue(transport.Local.Address, out var set))
                {
                    continue;
                }

                transport.LastKeepaliveTicks = now;
                set.NatT.Send(keepalive, transport.RemoteAddress);
            }
        }
    }

    /// <summary>The packet core's events: acquires and sequence limits go to the engine, everything goes to whoever listens.</summary>
    private sealed class CoreEvents(EspDataPlane owner) : IPacketCoreEvents
    {
        public void Publish(PacketCoreEvent coreEvent)
        {
            if (coreEvent is AcquireRequested acquire)
            {
                owner.AcquireRequested?.Invoke(acquire.Phase1, acquire.Phase2);
            }
            else if (coreEvent is SequenceLimitReached limit)
            {
                owner.SequenceLimitReached?.Invoke(limit);
            }

            owner.CoreEvent?.Invoke(coreEvent);
        }
    }
}
