using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp;
using SharpSwan.Ike.Engine;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// User-space ESP. SAs are installed and removed by the engine thread; the packet threads only read the tables, and all
/// per-packet work uses buffers owned by each thread, so nothing is allocated per packet.
/// Outbound, one thread per TUN device: read a frame (with TSO on, a TCP super-packet of up to 64 KB) → match a phase 2 →
/// cut it into MSS-sized segments with their checksums → encrypt each into a slot of a datagram batch → one sendmmsg.
/// Inbound, one thread per socket (UDP 500, UDP 4500, raw ESP): one recvmmsg → decrypt each in place → inbound policy
/// check → join consecutive segments of a TCP stream (GRO) → one TUN write per joined packet.
/// </summary>
public sealed class EspDataPlane : IDisposable
{
    private const int BufferSize = 65536;

    // One ESP packet per slot: a segment or packet of at most the TUN MTU (jumbo included) plus ESP overhead.
    private const int SendSlotSize = 16384;
    private const int SendBatchCapacity = 128;
    private const int ReceiveBatchCapacity = 64;
    private readonly ConcurrentDictionary<uint, ChildSaPath> inbound = new();
    private readonly Dictionary<string, TunnelPath> tunnels = new(StringComparer.Ordinal);
    private readonly Dictionary<IPAddress, SocketSet> sockets = [];
    private readonly List<Thread> threads = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly IRandomSource random;
    private readonly TimeProvider time;
    private long generation;

    public EspDataPlane(IRandomSource random, TimeProvider time)
    {
        this.random = random;
        this.time = time;
    }

    /// <summary>Called with IKE datagrams (marker removed): local, remote, bytes. Runs on a socket thread.</summary>
    public Action<IPEndPoint, IPEndPoint, byte[]>? IkeReceived { get; set; }

    /// <summary>Called when a packet needs a phase 2 that has no SA (on-demand negotiation).</summary>
    public Action<string, string>? AcquireRequested { get; set; }

    public long InvalidPackets;

    public IReadOnlyCollection<TunnelPath> Tunnels => tunnels.Values;

    public TunnelPath? FindTunnel(string name) => tunnels.GetValueOrDefault(name);

    /// <summary>Starts the once-a-second housekeeping: NAT-T keepalives for SAs behind a NAT.</summary>
    public void StartKeepalives() => StartThread("natt-keepalive", KeepaliveLoop);

    public void AddTunnel(TunnelPath tunnel)
    {
        tunnels[tunnel.Name] = tunnel;
        StartThread($"tun-{tunnel.Name}", () => TunReader(tunnel));
    }

    /// <summary>Stops a tunnel's packet path and closes its TUN device (its routes vanish with it).</summary>
    public void RemoveTunnel(string name)
    {
        if (tunnels.Remove(name, out var tunnel))
        {
            foreach (var instance in tunnel.Instances)
            {
                tunnels.Remove(instance.Name);
            }

            tunnel.Instances = [];
            tunnel.Tun.Dispose();
        }
    }

    /// <summary>A dial-up peer's own path: its counters and SAs, on the template's TUN device (no reader of its own).</summary>
    public TunnelPath? AddInstance(string template, string instanceName)
    {
        if (!tunnels.TryGetValue(template, out var parent))
        {
            return null;
        }

        var instance = new TunnelPath(parent.Settings, parent.Tun, parent.Phase2.Select(p => new Phase2Path(p.Settings)).ToList())
        {
            InstanceName = instanceName,
            Template = parent,
        };
        tunnels[instanceName] = instance;
        parent.Instances = [.. parent.Instances.Where(i => i.Name != instanceName), instance];
        return instance;
    }

    public void RemoveInstance(string template, string instanceName)
    {
        if (tunnels.TryGetValue(instanceName, out var instance) && instance.Template is not null)
        {
            tunnels.Remove(instanceName);
            instance.Template.Instances = [.. instance.Template.Instances.Where(i => i != instance)];
        }
    }

    /// <summary>Binds UDP 500, UDP 4500 and raw ESP on a local address (once per address).</summary>
    public void BindLocal(IPAddress address, int ikePort, int nattPort)
    {
        if (sockets.ContainsKey(address))
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
        sockets[address] = set;
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
        if (!sockets.TryGetValue(local.Address, out var set))
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
        if (!tunnels.TryGetValue(install.Phase1, out var tunnel) || tunnel.Phase2.FirstOrDefault(p => p.Settings.Name == install.Phase2) is not { } phase2)
        {
            return;
        }

        var transform = new EspTransform(install.Suite.Encryption, install.Suite.KeyBits, install.Suite.Integrity);
        var inboundSa = EspSecurityAssociation.CreateInbound(install.InboundSpi, transform, install.InboundEncryptionKey, install.InboundIntegrityKey, install.ReplayProtection, 1024, random, time);
        var outboundSa = EspSecurityAssociation.CreateOutbound(install.OutboundSpi, transform, install.OutboundEncryptionKey, install.OutboundIntegrityKey, random, time);
        var remote = install.UdpEncapsulation ? install.RemoteEndPoint : new IPEndPoint(install.RemoteEndPoint.Address, 0);
        var path = new ChildSaPath
        {
            Install = install,
            Inbound = inboundSa,
            Outbound = outboundSa,
            Tunnel = tunnel,
            Phase2 = phase2,
            RemoteAddress = remote.Serialize(),
            Local = install.LocalEndPoint,
            RemoteStart = Ipv4Math.ToUInt32(install.RemoteSelector.StartAddress),
            RemoteEnd = Ipv4Math.ToUInt32(install.RemoteSelector.EndAddress),
            LocalStart = Ipv4Math.ToUInt32(install.LocalSelector.StartAddress),
            LocalEnd = Ipv4Math.ToUInt32(install.LocalSelector.EndAddress),
            Generation = Interlocked.Increment(ref generation),
        };
        lock (phase2.Installed)
        {
            phase2.Installed.Add(path);
        }

        inbound[install.InboundSpi] = path;
        if (install.ActivateOutbound || phase2.Active is null)
        {
            phase2.Active = path;
        }
    }

    public void ActivateOutbound(string phase1, string phase2Name, uint outboundSpi)
    {
        if (tunnels.TryGetValue(phase1, out var tunnel) && tunnel.Phase2.FirstOrDefault(p => p.Settings.Name == phase2Name) is { } phase2)
        {
            lock (phase2.Installed)
            {
                if (phase2.Installed.FirstOrDefault(p => p.Install.OutboundSpi == outboundSpi) is { } path)
                {
                    phase2.Active = path;
                }
            }
        }
    }

    public void Remove(string phase1, string phase2Name, uint inboundSpi, uint outboundSpi)
    {
        if (!inbound.TryRemove(inboundSpi, out var path))
        {
            return;
        }

        path.Removed = true;
        var phase2 = path.Phase2;
        lock (phase2.Installed)
        {
            phase2.Installed.Remove(path);
            if (phase2.Active == path)
            {
                // Fall back to the newest remaining SA, if any.
                phase2.Active = phase2.Installed.Count > 0 ? phase2.Installed[^1] : null;
            }
        }

        // The packet threads may still hold the path for a moment; let them finish before freeing the ciphers.
        _ = Task.Delay(TimeSpan.FromSeconds(2)).ContinueWith(_ =>
        {
            path.Inbound.Dispose();
            path.Outbound.Dispose();
        }, TaskScheduler.Default);
    }

    public ChildSaActivity Activity(uint inboundSpi)
    {
        if (!inbound.TryGetValue(inboundSpi, out var path))
        {
            return default;
        }

        return new ChildSaActivity(
            ToTime(path.Inbound.LastActivityTimestamp, path.Inbound.CreatedTimestamp),
            ToTime(path.Outbound.LastActivityTimestamp, path.Outbound.CreatedTimestamp),
            path.Inbound.Bytes,
            path.Outbound.Bytes);
    }

    public ChildSaPath? FindByInboundSpi(uint spi) => inbound.GetValueOrDefault(spi);

    public void Dispose()
    {
        stopping.Cancel();
        foreach (var set in sockets.Values)
        {
            set.Ike.Dispose();
            set.NatT.Dispose();
            set.Raw?.Dispose();
        }

        foreach (var tunnel in tunnels.Values)
        {
            tunnel.Tun.Dispose();
        }

        foreach (var thread in threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }

        stopping.Dispose();
    }

    private DateTimeOffset? ToTime(long timestamp, long created)
    {
        if (timestamp == 0 || timestamp == created)
        {
            return null;
        }

        return time.GetUtcNow() - time.GetElapsedTime(timestamp);
    }

    private void StartThread(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (ObjectDisposedException)
            {
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                Console.Error.WriteLine($"ike 0: {name} thread failed: {ex}");
            }
        })
        { Name = name, IsBackground = true };
        threads.Add(thread);
        thread.Start();
    }

    private void TunReader(TunnelPath tunnel)
    {
        // With offloads the kernel skips per-segment work and hands us super-packets; without, frames are plain packets.
        tunnel.Tun.EnableOffloads();
        var frame = new byte[VirtioNetHeader.Size + BufferSize];
        var segment = new byte[SendSlotSize];
        using var batch = new DatagramBatch(SendBatchCapacity, SendSlotSize);
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            // While packets wait for an SA, look often so they leave soon after it is installed.
            var waiting = FlushTriggerQueues(tunnel, batch);
            var length = tunnel.Tun.ReadFrame(frame, waiting ? 20 : 500);
            if (length < 0)
            {
                return;
            }

            if (length < VirtioNetHeader.Size + 20 || (frame[VirtioNetHeader.Size] >> 4) != 4)
            {
                // IPv6 (router solicitations and the like) has no selector here.
                continue;
            }

            var header = VirtioNetHeader.Read(frame);
            var ip = frame.AsSpan(VirtioNetHeader.Size, length - VirtioNetHeader.Size);
            var path = OutboundPath(tunnel, ip, queueable: header.GsoKind == VirtioNetHeader.GsoNone && !header.NeedsChecksum);
            if (path is null || !sockets.TryGetValue(path.Local.Address, out var set))
            {
                continue;
            }

            // A dial-up template sends on behalf of the instance the packet belongs to; its counters are the instance's.
            var owner = path.Tunnel;

            if (header.GsoKind == VirtioNetHeader.GsoTcpV4)
            {
                if (!TcpSegmenter.TryCreate(ip, header.GsoSize, out var segmenter) || segmenter.MaxSegmentLength > segment.Length)
                {
                    Interlocked.Increment(ref owner.OffloadDrops);
                    continue;
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
                continue;
            }
            else
            {
                if (header.NeedsChecksum && !PartialChecksum.TryFinish(ip, header.ChecksumStart, header.ChecksumOffset))
                {
                    Interlocked.Increment(ref owner.OffloadDrops);
                    continue;
                }

                Encrypt(batch, path, ip, owner);
            }

            SendBatch(batch, path, set, owner);
        }
    }

    /// <summary>
    /// Sends what the trigger queues hold once their phase 2 has an SA, and drops what waited longer than the phase 1
    /// negotiate-timeout. Returns true while any packet is still waiting.
    /// </summary>
    private bool FlushTriggerQueues(TunnelPath tunnel, DatagramBatch batch)
    {
        var waiting = false;
        foreach (var phase2 in tunnel.Phase2)
        {
            var queue = phase2.Trigger;
            if (queue.Count == 0)
            {
                continue;
            }

            var path = phase2.Active;
            if (path is not null && !path.Removed && sockets.TryGetValue(path.Local.Address, out var set))
            {
                queue.Release(packet =>
                {
                    if (batch.IsFull)
                    {
                        SendBatch(batch, path, set, tunnel);
                    }

                    Encrypt(batch, path, packet, tunnel);
                });
                SendBatch(batch, path, set, tunnel);
                continue;
            }

            var limit = Math.Max(1, tunnel.Settings.NegotiateTimeoutSeconds) * 1000L;
            queue.DiscardOlderThan(Environment.TickCount64 - limit);
            waiting |= queue.Count > 0;
        }

        return waiting;
    }

    private ChildSaPath? OutboundPath(TunnelPath tunnel, ReadOnlySpan<byte> ip, bool queueable)
    {
        var source = BinaryPrimitives.ReadUInt32BigEndian(ip[12..]);
        var destination = BinaryPrimitives.ReadUInt32BigEndian(ip[16..]);
        if (tunnel.Settings.Type == Phase1Type.Dynamic)
        {
            // A dial-up phase 1 never initiates: a packet for a peer that is not connected is dropped.
            var instancePath = tunnel.MatchInstance(source, destination);
            if (instancePath is null)
            {
                Interlocked.Increment(ref tunnel.TxErrors);
            }

            return instancePath;
        }

        var phase2 = tunnel.Match(source, destination);
        if (phase2 is null)
        {
            Interlocked.Increment(ref tunnel.TxErrors);
            return null;
        }

        var path = phase2.Active;
        if (path is null || path.Removed)
        {
            // FortiOS drops the triggering packet and its followers; with `set trigger-queue N` we hold up to N of them.
            if (!queueable || !phase2.Trigger.TryEnqueue(ip, Environment.TickCount64))
            {
                Interlocked.Increment(ref phase2.DroppedWithoutSa);
            }

            var now = Environment.TickCount64;
            if (now - Interlocked.Read(ref phase2.LastAcquireTicks) >= 1000)
            {
                Interlocked.Exchange(ref phase2.LastAcquireTicks, now);
                AcquireRequested?.Invoke(tunnel.Name, phase2.Settings.Name);
            }

            return null;
        }

        return path;
    }

    private static void Encrypt(DatagramBatch batch, ChildSaPath path, ReadOnlySpan<byte> ip, TunnelPath tunnel)
    {
        if (path.Outbound.Encapsulate(ip, batch.NextSlot, out var written) != EspResult.Ok)
        {
            Interlocked.Increment(ref tunnel.TxErrors);
            return;
        }

        batch.Commit(written, path.RemoteAddress);
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
        var token = stopping.Token;
        Span<byte> keepalive = [UdpEncapsulation.NatKeepaliveByte];
        while (!token.WaitHandle.WaitOne(1000))
        {
            var now = Environment.TickCount64;
            foreach (var path in inbound.Values)
            {
                var install = path.Install;
                if (!install.UdpEncapsulation || !install.LocalBehindNat || path.Removed ||
                    now - Math.Max(path.Tunnel.LastTxTicks, path.LastKeepaliveTicks) < install.NatKeepaliveSeconds * 1000L ||
                    !sockets.TryGetValue(path.Local.Address, out var set))
                {
                    continue;
                }

                path.LastKeepaliveTicks = now;
                set.NatT.Send(keepalive, path.RemoteAddress);
            }
        }
    }

    private void IkeReader(UdpEndpoint endpoint)
    {
        var buffer = new byte[BufferSize];
        var remote = endpoint.CreateAddressBuffer();
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            var length = endpoint.Receive(buffer, remote, 500);
            if (length < 0)
            {
                return;
            }

            if (length > 0)
            {
                DeliverIke(endpoint, remote, buffer.AsSpan(0, length));
            }
        }
    }

    private void NatTraversalReader(UdpEndpoint endpoint)
    {
        using var batch = new DatagramBatch(ReceiveBatchCapacity, BufferSize);
        var writer = new InboundWriter();
        var remote = endpoint.CreateAddressBuffer();
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            var count = endpoint.ReceiveBatch(batch, 500);
            if (count < 0)
            {
                return;
            }

            for (var i = 0; i < count; i++)
            {
                var datagram = batch.Received(i);
                switch (UdpEncapsulation.Classify(datagram))
                {
                    case UdpPayloadKind.Ike:
                        batch.CopySource(i, remote);
                        DeliverIke(endpoint, remote, datagram[UdpEncapsulation.NonEspMarkerLength..]);
                        break;
                    case UdpPayloadKind.Esp:
                        ReceiveEsp(datagram, writer);
                        break;
                    case UdpPayloadKind.NatKeepalive:
                        break;
                    default:
                        Interlocked.Increment(ref InvalidPackets);
                        break;
                }
            }

            writer.Flush();
        }
    }

    private void RawReader(Socket raw, IPAddress local)
    {
        using var batch = new DatagramBatch(ReceiveBatchCapacity, BufferSize);
        var writer = new InboundWriter();
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            var count = batch.Receive(raw, 500);
            if (count < 0)
            {
                return;
            }

            for (var i = 0; i < count; i++)
            {
                // A raw IPv4 socket hands us the IP header too.
                var datagram = batch.Received(i);
                if (datagram.Length < 20 || (datagram[0] >> 4) != 4)
                {
                    continue;
                }

                var headerLength = (datagram[0] & 0x0f) * 4;
                if (headerLength < 20 || datagram.Length <= headerLength)
                {
                    continue;
                }

                ReceiveEsp(datagram[headerLength..], writer);
            }

            writer.Flush();
        }
    }

    private void DeliverIke(UdpEndpoint endpoint, System.Net.SocketAddress remote, ReadOnlySpan<byte> message)
    {
        if (IkeReceived is { } handler)
        {
            handler(endpoint.LocalEndPoint, endpoint.ToEndPoint(remote), message.ToArray());
        }
    }

    private void ReceiveEsp(Span<byte> esp, InboundWriter writer)
    {
        if (esp.Length < 8)
        {
            Interlocked.Increment(ref InvalidPackets);
            return;
        }

        var spi = BinaryPrimitives.ReadUInt32BigEndian(esp);
        if (!inbound.TryGetValue(spi, out var path) || path.Removed)
        {
            Interlocked.Increment(ref InvalidPackets);
            return;
        }

        var tunnel = path.Tunnel;
        var result = path.Inbound.Decapsulate(esp, out var offset, out var length, out var nextHeader);
        if (result != EspResult.Ok || nextHeader != 4 || length < 20)
        {
            Interlocked.Increment(ref tunnel.RxErrors);
            return;
        }

        var inner = esp.Slice(offset, length);
        var source = BinaryPrimitives.ReadUInt32BigEndian(inner[12..]);
        var destination = BinaryPrimitives.ReadUInt32BigEndian(inner[16..]);
        if (source < path.RemoteStart || source > path.RemoteEnd || destination < path.LocalStart || destination > path.LocalEnd)
        {
            // Decrypted fine but outside the negotiated selectors: not ours to forward.
            Interlocked.Increment(ref tunnel.RxErrors);
            return;
        }

        var phase2 = path.Phase2;
        if (phase2.Active is { } current && current != path && current.Generation < path.Generation)
        {
            // The peer already sends on the SA it rekeyed: it has it, so we may send on it too (make-before-break).
            phase2.Active = path;
        }

        writer.Write(tunnel, inner);
        Interlocked.Increment(ref tunnel.RxPackets);
        Interlocked.Add(ref tunnel.RxBytes, length);
        tunnel.LastRxTicks = Environment.TickCount64;
    }

    private sealed record SocketSet(UdpEndpoint Ike, UdpEndpoint NatT, Socket? Raw);

    /// <summary>Per receive thread: joins TCP segments of one batch for the tunnel they belong to, keeping packet order.</summary>
    private sealed class InboundWriter
    {
        private readonly TcpCoalescer coalescer = new();
        private TunnelPath? pendingTunnel;

        public void Write(TunnelPath tunnel, ReadOnlySpan<byte> packet)
        {
            if (pendingTunnel != tunnel)
            {
                Flush();
            }

            if (!coalescer.TryAdd(packet))
            {
                Flush();
                if (!coalescer.TryAdd(packet))
                {
                    tunnel.Tun.Write(packet);
                    return;
                }
            }

            pendingTunnel = tunnel;
        }

        /// <summary>Writes out the packet being joined; called at the end of every receive batch.</summary>
        public void Flush()
        {
            if (coalescer.HasPending && pendingTunnel is { } tunnel)
            {
                tunnel.Tun.WriteFrame(coalescer.TakeFrame());
            }

            pendingTunnel = null;
        }
    }
}
