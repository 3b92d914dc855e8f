using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp;
using SharpSwan.Esp.Core;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// User-space ESP: the threads, sockets, TUN devices, offloads and batching around the <see cref="PacketCore"/>, which holds
/// the SAs and every packet rule. SAs are installed and removed by the engine thread; the packet threads only read the
/// tables, and all per-packet work uses buffers owned by each thread, so nothing is allocated per packet.
/// Outbound, one thread per TUN device: read a frame (with TSO on, a TCP super-packet of up to 64 KB) → match a phase 2 →
/// cut it into MSS-sized segments with their checksums → encrypt each into a slot of a datagram batch → one sendmmsg.
/// Inbound, one thread per socket (UDP 500, UDP 4500, raw ESP): one recvmmsg → decrypt each in place → inbound policy
/// check → join consecutive segments of a TCP stream (GRO) → one TUN write per joined packet. An SA is decrypted only by
/// the reader of the socket it was negotiated on (the core checks the transport and local address). A packet whose
/// handling throws is dropped and counted; a thread that fails is logged, counted and restarted.
/// </summary>
public sealed class EspDataPlane : IDisposable
{
    private const int BufferSize = 65536;

    // One ESP packet per slot: a segment or packet of at most the TUN MTU (jumbo included) plus ESP overhead.
    private const int SendSlotSize = 16384;
    private const int SendBatchCapacity = 128;
    private const int ReceiveBatchCapacity = 64;
    private readonly PacketCore _core;
    private readonly Dictionary<string, TunnelPath> _tunnels = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, SocketSet> _sockets = [];
    private readonly List<Thread> _threads = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly IRandomSource _random;

    public EspDataPlane(IRandomSource random, TimeProvider time)
    {
        this._random = random;
        _core = new PacketCore(time, new CoreEvents(this));
    }

    /// <summary>Called with IKE datagrams (marker removed): local, remote, bytes. Runs on a socket thread.</summary>
    public Action<IPEndPoint, IPEndPoint, byte[]>? IkeReceived { get; set; }

    /// <summary>Called when a packet needs a phase 2 that has no SA (on-demand negotiation), at most once a second each.</summary>
    public Action<string, string>? AcquireRequested { get; set; }

    /// <summary>Called once per SA when its outbound sequence number passes the soft point or runs out: the engine rekeys it.</summary>
    public Action<SequenceLimitReached>? SequenceLimitReached { get; set; }

    /// <summary>Everything the packet core reports (outbound switches, trigger-queue releases and drops, acquires).</summary>
    public Action<PacketCoreEvent>? CoreEvent { get; set; }

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
        _tunnels[tunnel.Name] = tunnel;
        StartThread($"tun-{tunnel.Name}", () => TunReader(tunnel));
    }

    /// <summary>Stops a tunnel's packet path and closes its TUN device (its routes vanish with it).</summary>
    public void RemoveTunnel(string name)
    {
        if (_tunnels.Remove(name, out var tunnel))
        {
            foreach (var instance in tunnel.Instances)
            {
                _tunnels.Remove(instance.Name);
            }

            tunnel.Instances = [];
            tunnel.Tun.Dispose();
        }
    }

    /// <summary>A dial-up peer's own path: its counters and SAs, on the template's TUN device (no reader of its own).</summary>
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
        parent.Instances = [.. parent.Instances.Where(i => i.Name != instanceName), instance];
        return instance;
    }

    public void RemoveInstance(string template, string instanceName)
    {
        if (_tunnels.TryGetValue(instanceName, out var instance) && instance.Template is not null)
        {
            _tunnels.Remove(instanceName);
            instance.Template.Instances = [.. instance.Template.Instances.Where(i => i != instance)];
        }
    }

    /// <summary>Binds UDP 500, UDP 4500 and raw ESP on a local address (once per address).</summary>
    public void BindLocal(IPAddress address, int ikePort, int nattPort)
    {
        if (_sockets.ContainsKey(address))
        {
            return;
        }

        var ike = UdpEndpoint.Bind(new IPEndPoint(address, ikePort));
        var natt = UdpEndpoint.Bind(new IPEndPoint(address, nattPort));
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

        var set = new SocketSet(ike, natt, raw);
        _sockets[address] = set;
        StartThread($"udp-{ikePort}", () => IkeReader(ike));
        StartThread($"udp-{nattPort}", () => NatTraversalReader(natt));
        if (raw is not null)
        {
            StartThread("esp-raw", () => RawReader(raw, address));
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
        _core.Install(phase2, install, _random, new ChildSaTransport(tunnel, remote.Serialize(), install.LocalEndPoint));
    }

    public void ActivateOutbound(string phase1, string phase2Name, uint outboundSpi)
    {
        if (_tunnels.TryGetValue(phase1, out var tunnel) && FindPhase2(tunnel, phase2Name) is { } phase2)
        {
            _core.ActivateOutbound(phase2, outboundSpi);
        }
    }

    public void Remove(string phase1, string phase2Name, uint inboundSpi, uint outboundSpi) => _core.Remove(inboundSpi);

    /// <summary>The engine reported a failed negotiation: the trigger queues it concerns drop what they hold.</summary>
    public void NegotiationFailed(NegotiationFailed failure)
    {
        if (failure.Phase1 is { } phase1 && _tunnels.TryGetValue(phase1, out var tunnel))
        {
            PacketCore.NegotiationFailed(tunnel.Phase2, failure);
        }
    }

    public ChildSaActivity Activity(uint inboundSpi) => _core.Activity(inboundSpi);

    public ChildSaPath? FindByInboundSpi(uint spi) => _core.Find(spi);

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var set in _sockets.Values)
        {
            set.Ike.Dispose();
            set.NatT.Dispose();
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

    private void TunReader(TunnelPath tunnel)
    {
        // With offloads the kernel skips per-segment work and hands us super-packets; without, frames are plain packets.
        tunnel.Tun.EnableOffloads();
        var frame = new byte[VirtioNetHeader.Size + BufferSize];
        var segment = new byte[SendSlotSize];
        using var batch = new DatagramBatch(SendBatchCapacity, SendSlotSize);
        var held = new HeldPacketSender(this, batch);
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            LoopFault?.Invoke(Thread.CurrentThread.Name!);

            // While packets wait for an SA, look often so they leave soon after it is installed.
            var waiting = ServiceTriggerQueues(tunnel, held);
            var length = tunnel.Tun.ReadFrame(frame, waiting ? 20 : 500);
            if (length < 0)
            {
                return;
            }

            try
            {
                Fault(frame.AsSpan(0, length));
                SendFrame(tunnel, frame, length, segment, batch);
            }
            catch (Exception ex) when (ex is not ObjectDisposedException)
            {
                batch.Clear();
                PacketFailed(ex);
            }
        }
    }

    /// <summary>One frame read from the TUN device: match its phase 2, cut a TCP super-packet into segments, encrypt, send.</summary>
    private void SendFrame(TunnelPath tunnel, byte[] frame, int length, byte[] segment, DatagramBatch batch)
    {
        if (length < VirtioNetHeader.Size + 20 || (frame[VirtioNetHeader.Size] >> 4) != 4)
        {
            // IPv6 (router solicitations and the like) has no selector here.
            return;
        }

        var header = VirtioNetHeader.Read(frame);
        var ip = frame.AsSpan(VirtioNetHeader.Size, length - VirtioNetHeader.Size);
        var path = OutboundPath(tunnel, ip, queueable: header.GsoKind == VirtioNetHeader.GsoNone && !header.NeedsChecksum);
        if (path is null || !_sockets.TryGetValue(Transport(path).Local.Address, out var set))
        {
            return;
        }

        // A dial-up template sends on behalf of the instance the packet belongs to; its counters are the instance's.
        var owner = Transport(path).Tunnel;

        if (header.GsoKind == VirtioNetHeader.GsoTcpV4)
        {
            if (!TcpSegmenter.TryCreate(ip, header.GsoSize, out var segmenter) || segmenter.MaxSegmentLength > segment.Length)
            {
                Interlocked.Increment(ref owner.OffloadDrops);
                return;
            }

            while (segmenter.TryWriteNext(segment, out var segmentLength))
            {
                if (batch.IsFull)
                {
                    SendBatch(batch, path, set, owner);
                }

                Encrypt(batch, path, segment.AsSpan(0, segmentLength), owner);
            }
        }
        else if (header.GsoKind != VirtioNetHeader.GsoNone)
        {
            // Only TCP segmentation is switched on; anything else would leave as one oversized ESP packet.
            Interlocked.Increment(ref owner.OffloadDrops);
            return;
        }
        else
        {
            if (header.NeedsChecksum && !PartialChecksum.TryFinish(ip, header.ChecksumStart, header.ChecksumOffset))
            {
                Interlocked.Increment(ref owner.OffloadDrops);
                return;
            }

            Encrypt(batch, path, ip, owner);
        }

        SendBatch(batch, path, set, owner);
    }

    /// <summary>Lets the packet core run the tunnel's trigger queues (this thread owns them). True while packets wait.</summary>
    private bool ServiceTriggerQueues(TunnelPath tunnel, HeldPacketSender held)
    {
        var waiting = false;
        foreach (var phase2 in tunnel.Phase2)
        {
            waiting |= _core.ServiceQueue(phase2, held);
            held.Flush();
        }

        return waiting;
    }

    private ChildSaPath? OutboundPath(TunnelPath tunnel, ReadOnlySpan<byte> ip, bool queueable)
    {
        if (!PacketFlow.TryRead(ip, out var flow))
        {
            Interlocked.Increment(ref tunnel.TxErrors);
            return null;
        }

        if (tunnel.Settings.Type == Phase1Type.Dynamic)
        {
            // A dial-up phase 1 never initiates: a packet for a peer that is not connected is dropped.
            var instancePath = tunnel.MatchInstance(flow);
            if (instancePath is null)
            {
                Interlocked.Increment(ref tunnel.TxErrors);
            }

            return instancePath;
        }

        var phase2 = tunnel.Match(flow);
        if (phase2 is null)
        {
            Interlocked.Increment(ref tunnel.TxErrors);
            return null;
        }

        // FortiOS drops the triggering packet and its followers; with `set trigger-queue N` the core holds up to N of them.
        return _core.Outbound(phase2, ip, queueable, out var sa) == OutboundDecision.Send ? sa : null;
    }

    private static void Encrypt(DatagramBatch batch, ChildSaPath path, ReadOnlySpan<byte> ip, TunnelPath tunnel)
    {
        if (!PacketCore.Seal(path, ip, batch.NextSlot, out var written))
        {
            Interlocked.Increment(ref tunnel.TxErrors);
            return;
        }

        batch.Commit(written, Transport(path).RemoteAddress);
        Interlocked.Add(ref tunnel.TxBytes, ip.Length);
    }

    private static void SendBatch(DatagramBatch batch, ChildSaPath path, SocketSet set, TunnelPath tunnel)
    {
        var queued = batch.Count;
        if (queued == 0)
        {
            return;
        }

        int sent;
        if (path.Install.UdpEncapsulation)
        {
            sent = set.NatT.SendBatch(batch);
        }
        else if (set.Raw is { } raw)
        {
            sent = batch.Send(raw);
        }
        else
        {
            batch.Clear();
            sent = 0;
        }

        Interlocked.Add(ref tunnel.TxPackets, sent);
        if (sent < queued)
        {
            Interlocked.Add(ref tunnel.TxErrors, queued - sent);
        }

        tunnel.LastTxTicks = Environment.TickCount64;
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

    private void IkeReader(UdpEndpoint endpoint)
    {
        var buffer = new byte[BufferSize];
        var remote = endpoint.CreateAddressBuffer();
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            LoopFault?.Invoke(Thread.CurrentThread.Name!);
            var length = endpoint.Receive(buffer, remote, 500);
            if (length < 0)
            {
                return;
            }

            if (length > 0)
            {
                try
                {
                    Fault(buffer.AsSpan(0, length));
                    DeliverIke(endpoint, remote, buffer.AsSpan(0, length));
                }
                catch (Exception ex) when (ex is not ObjectDisposedException)
                {
                    PacketFailed(ex);
                }
            }
        }
    }

    private void NatTraversalReader(UdpEndpoint endpoint)
    {
        using var batch = new DatagramBatch(ReceiveBatchCapacity, BufferSize);
        var writer = new InboundWriter();
        var remote = endpoint.CreateAddressBuffer();
        var arrival = EspArrival.Udp(endpoint.LocalEndPoint.Address);
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            LoopFault?.Invoke(Thread.CurrentThread.Name!);
            var count = endpoint.ReceiveBatch(batch, 500);
            if (count < 0)
            {
                return;
            }

            for (var i = 0; i < count; i++)
            {
                try
                {
                    NatTraversalDatagram(endpoint, batch, i, remote, arrival, writer);
                }
                catch (Exception ex) when (ex is not ObjectDisposedException)
                {
                    PacketFailed(ex);
                }
            }

            writer.Flush();
        }
    }

    private void NatTraversalDatagram(UdpEndpoint endpoint, DatagramBatch batch, int index, System.Net.SocketAddress remote, EspArrival arrival, InboundWriter writer)
    {
        var datagram = batch.Received(index);
        Fault(datagram);
        switch (UdpEncapsulation.Classify(datagram))
        {
            case UdpPayloadKind.Ike:
                batch.CopySource(index, remote);
                DeliverIke(endpoint, remote, datagram[UdpEncapsulation.NonEspMarkerLength..]);
                break;
            case UdpPayloadKind.Esp:
                ReceiveEsp(datagram, arrival, writer);
                break;
            case UdpPayloadKind.NatKeepalive:
                break;
            default:
                Interlocked.Increment(ref InvalidPackets);
                break;
        }
    }

    private void RawReader(Socket raw, IPAddress local)
    {
        using var batch = new DatagramBatch(ReceiveBatchCapacity, BufferSize);
        var writer = new InboundWriter();
        var arrival = EspArrival.Raw(local);
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            LoopFault?.Invoke(Thread.CurrentThread.Name!);
            var count = batch.Receive(raw, 500);
            if (count < 0)
            {
                return;
            }

            for (var i = 0; i < count; i++)
            {
                try
                {
                    RawDatagram(batch.Received(i), arrival, writer);
                }
                catch (Exception ex) when (ex is not ObjectDisposedException)
                {
                    PacketFailed(ex);
                }
            }

            writer.Flush();
        }
    }

    private void RawDatagram(Span<byte> datagram, EspArrival arrival, InboundWriter writer)
    {
        // A raw IPv4 socket hands us the IP header too.
        Fault(datagram);
        if (datagram.Length < 20 || (datagram[0] >> 4) != 4)
        {
            return;
        }

        var headerLength = (datagram[0] & 0x0f) * 4;
        if (headerLength < 20 || datagram.Length <= headerLength)
        {
            return;
        }

        ReceiveEsp(datagram[headerLength..], arrival, writer);
    }

    /// <summary>The test hook, if set, sees the datagram (a copy only then: nothing is allocated otherwise).</summary>
    private void Fault(ReadOnlySpan<byte> datagram)
    {
        if (PacketFault is { } fault)
        {
            fault(datagram.ToArray());
        }
    }

    private void DeliverIke(UdpEndpoint endpoint, System.Net.SocketAddress remote, ReadOnlySpan<byte> message)
    {
        if (IkeReceived is { } handler)
        {
            handler(endpoint.LocalEndPoint, endpoint.ToEndPoint(remote), message.ToArray());
        }
    }

    private void ReceiveEsp(Span<byte> esp, EspArrival arrival, InboundWriter writer)
    {
        var result = _core.Inbound(esp, arrival, out var path, out var offset, out var length);
        if (path is null)
        {
            Interlocked.Increment(ref InvalidPackets);
            return;
        }

        var tunnel = Transport(path).Tunnel;
        if (result != InboundResult.Delivered)
        {
            Interlocked.Increment(ref tunnel.RxErrors);
            return;
        }

        writer.Write(tunnel, esp.Slice(offset, length));
        Interlocked.Increment(ref tunnel.RxPackets);
        Interlocked.Add(ref tunnel.RxBytes, length);
        tunnel.LastRxTicks = Environment.TickCount64;
    }

    private sealed record SocketSet(UdpEndpoint Ike, UdpEndpoint NatT, Socket? Raw);

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

    /// <summary>Per TUN thread: puts released trigger-queue packets into the thread's send batch.</summary>
    private sealed class HeldPacketSender(EspDataPlane owner, DatagramBatch batch) : IHeldPacketSender
    {
        private ChildSaPath? _pending;
        private SocketSet? _pendingSockets;

        public void SendHeld(ChildSaPath sa, ReadOnlySpan<byte> packet)
        {
            var transport = Transport(sa);
            if (!owner._sockets.TryGetValue(transport.Local.Address, out var set))
            {
                Interlocked.Increment(ref transport.Tunnel.TxErrors);
                return;
            }

            if (batch.IsFull || (_pending is not null && _pending != sa))
            {
                Flush();
            }

            _pending = sa;
            _pendingSockets = set;
            Encrypt(batch, sa, packet, transport.Tunnel);
        }

        public void Flush()
        {
            if (_pending is { } sa && _pendingSockets is { } set)
            {
                SendBatch(batch, sa, set, Transport(sa).Tunnel);
            }

            _pending = null;
            _pendingSockets = null;
        }
    }

    /// <summary>Per receive thread: joins TCP segments of one batch for the tunnel they belong to, keeping packet order.</summary>
    private sealed class InboundWriter
    {
        private readonly TcpCoalescer _coalescer = new();
        private TunnelPath? _pendingTunnel;

        public void Write(TunnelPath tunnel, ReadOnlySpan<byte> packet)
        {
            if (_pendingTunnel != tunnel)
            {
                Flush();
            }

            if (!_coalescer.TryAdd(packet))
            {
                Flush();
                if (!_coalescer.TryAdd(packet))
                {
                    tunnel.Tun.Write(packet);
                    return;
                }
            }

            _pendingTunnel = tunnel;
        }

        /// <summary>Writes out the packet being joined; called at the end of every receive batch.</summary>
        public void Flush()
        {
            if (_coalescer.HasPending && _pendingTunnel is { } tunnel)
            {
                tunnel.Tun.WriteFrame(_coalescer.TakeFrame());
            }

            _pendingTunnel = null;
        }
    }
}
