using System.Buffers.Binary;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>The outbound half: TUN workers (each serving many devices), from frames read to ESP datagrams sent.</summary>
public sealed partial class EspDataPlane
{
    // One ESP packet per slot: a segment or packet of at most the TUN MTU (jumbo included) plus ESP overhead.
    private const int SendSlotSize = 16384;
    private const int SendBatchCapacity = 128;

    // Frames read from the TUN device before what they produced is sent: bounds the delay the first one sees.
    private const int FramesPerSend = 32;

    // SHARPSWAN_TUN_READ_RING=0 reads TUN frames one read(2) at a time, to measure what the io_uring batch saves.
    private static readonly bool BatchedTunReads = Environment.GetEnvironmentVariable("SHARPSWAN_TUN_READ_RING") != "0";
    private int _readRingRefusalLogged;

    /// <summary>
    /// A TUN device's queue is readable (on its worker, the one thread that ever reads that queue): held packets go first,
    /// then up to <see cref="FramesPerSend"/> frames (read in one io_uring submission where the kernel allows, else one read
    /// each) leave in one sendmmsg; what is left is read at the worker's next turn.
    /// </summary>
    /// <returns>True while packets wait in a trigger queue for an SA.</returns>
    private bool ReadTunnel(TunnelPath tunnel, int queue, byte[] frame, OutboundBatch batch, TunReadRing? ring)
    {
        ServiceTriggerQueues(tunnel, batch);
        if (ring is { Usable: true })
        {
            var count = ring.Read(tunnel.Tun, queue);
            for (var i = 0; i < count; i++)
            {
                HandleFrame(tunnel, ring.Frame(i), batch);
            }
        }
        else
        {
            for (var frames = 0; frames < FramesPerSend; frames++)
            {
                var length = tunnel.Tun.TryReadFrame(frame, queue);
                if (length <= 0)
                {
                    break;
                }

                HandleFrame(tunnel, frame.AsSpan(0, length), batch);
            }
        }

        batch.Flush();
        return HoldsPackets(tunnel);
    }

    private void HandleFrame(TunnelPath tunnel, Span<byte> frame, OutboundBatch batch)
    {
        try
        {
            Fault(frame);
            SendFrame(tunnel, frame, batch);
        }
        catch (Exception ex) when (ex is not ObjectDisposedException)
        {
            batch.Discard();
            PacketFailed(ex);
        }
    }

    private static bool HoldsPackets(TunnelPath tunnel)
    {
        foreach (var phase2 in tunnel.Phase2)
        {
            if (phase2.Trigger.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One frame read from the TUN device: match its phase 2, cut a TCP super-packet into segments, encrypt into the batch.</summary>
    private void SendFrame(TunnelPath tunnel, Span<byte> frame, OutboundBatch batch)
    {
        if (frame.Length < VirtioNetHeader.Size + 20 || (frame[VirtioNetHeader.Size] >> 4) != 4)
        {
            // IPv6 (router solicitations and the like) has no selector here.
            return;
        }

        var header = VirtioNetHeader.Read(frame);
        var ip = frame[VirtioNetHeader.Size..];
        var path = OutboundPath(tunnel, ip, queueable: header.GsoKind == VirtioNetHeader.GsoNone && !header.NeedsChecksum);
        if (path is null)
        {
            return;
        }

        // A dial-up template sends on behalf of the instance the packet belongs to; its counters are the instance's.
        var owner = Transport(path).Tunnel;
        if (header.GsoKind == VirtioNetHeader.GsoTcpV4)
        {
            if (!TcpSegmenter.TryCreate(ip, header.GsoSize, out var segmenter) ||
                segmenter.MaxSegmentLength + path.Outbound.MaxOverhead > batch.SlotSize)
            {
                Interlocked.Increment(ref owner.OffloadDrops);
                return;
            }

            batch.AddSegments(path, ref segmenter);
        }
        else if (header.GsoKind == VirtioNetHeader.GsoUdpL4)
        {
            if (!UdpSegmenter.TryCreate(ip, header.GsoSize, out var segmenter) ||
                segmenter.MaxSegmentLength + path.Outbound.MaxOverhead > batch.SlotSize)
            {
                Interlocked.Increment(ref owner.OffloadDrops);
                return;
            }

            batch.AddDatagrams(path, ref segmenter);
        }
        else if (header.GsoKind != VirtioNetHeader.GsoNone)
        {
            // Only TCP and UDP segmentation are switched on; anything else would leave as one oversized ESP packet.
            Interlocked.Increment(ref owner.OffloadDrops);
        }
        else if (header.NeedsChecksum && !PartialChecksum.TryFinish(ip, header.ChecksumStart, header.ChecksumOffset))
        {
            Interlocked.Increment(ref owner.OffloadDrops);
        }
        else
        {
            batch.Add(path, ip);
        }
    }

    /// <summary>Lets the packet core run the tunnel's trigger queues (locked: with a multi-queue device every worker of it may). True while packets wait.</summary>
    private bool ServiceTriggerQueues(TunnelPath tunnel, OutboundBatch batch)
    {
        var waiting = false;
        foreach (var phase2 in tunnel.Phase2)
        {
            waiting |= _core.ServiceQueue(phase2, batch);
        }

        batch.Flush();
        return waiting;
    }

    private ChildSaPath? OutboundPath(TunnelPath tunnel, ReadOnlySpan<byte> ip, bool queueable)
    {
        var probe = Probe; // null unless a flow trace runs
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

            if (probe is not null && probe.Wants(ip))
            {
                if (instancePath is null)
                {
                    probe.Report(ip, tunnel.Name, TunnelOutcome.DroppedNoSelector);
                }
                else
                {
                    ReportOutbound(probe, ip, tunnel, instancePath.Phase2, OutboundDecision.Send, instancePath, hadSa: true);
                }
            }

            return instancePath;
        }

        var phase2 = tunnel.Match(flow);
        if (phase2 is null)
        {
            Interlocked.Increment(ref tunnel.TxErrors);
            if (probe is not null && probe.Wants(ip))
            {
                probe.Report(ip, tunnel.Name, TunnelOutcome.DroppedNoSelector);
            }

            return null;
        }

        // FortiOS drops the triggering packet and its followers; with `set trigger-queue N` the core holds up to N of them.
        var hadSa = probe is not null && phase2.Active is not null;
        var decision = _core.Outbound(phase2, ip, queueable, out var sa);
        if (probe is not null && probe.Wants(ip))
        {
            ReportOutbound(probe, ip, tunnel, phase2, decision, sa, hadSa);
        }

        return decision == OutboundDecision.Send ? sa : null;
    }

    /// <summary>Only while a flow trace runs, for the packets it follows (allocates, unlike the path it describes).</summary>
    private static void ReportOutbound(FlowProbe probe, ReadOnlySpan<byte> ip, TunnelPath tunnel, Phase2Path phase2, OutboundDecision decision, ChildSaPath? sa, bool hadSa)
    {
        var outcome = decision switch
        {
            OutboundDecision.Send => TunnelOutcome.Encrypted,
            OutboundDecision.Held => TunnelOutcome.Held,
            _ when hadSa => TunnelOutcome.DroppedOutsideSelectors,
            _ when !phase2.Initiates => TunnelOutcome.DroppedNeverInitiates,
            _ => TunnelOutcome.DroppedNegotiating,
        };
        if (sa is null)
        {
            probe.Report(ip, tunnel.Name, outcome, phase2.Name);
            return;
        }

        var transport = Transport(sa);
        probe.Report(ip, tunnel.Name, outcome, phase2.Name, sa.Install.OutboundSpi, transport.Local, transport.Remote);
    }

    /// <summary>
    /// One TUN worker's state: its frame buffer, read ring and datagram batch, reused for every device (queue) it serves;
    /// its number is its lane on every outbound SA and its NAT-T socket.
    /// </summary>
    private sealed class OutboundWorker(EspDataPlane owner, int lane) : ITunFrameHandler<TunnelPath>
    {
        private readonly byte[] _frame = new byte[VirtioNetHeader.Size + BufferSize];
        private readonly OutboundBatch _batch = new(owner._sockets, SendBatchCapacity, SendSlotSize, lane, () => owner.Probe);
        private readonly TunReadRing? _ring = owner.CreateReadRing();

        public void Turn(string workerName) => owner.LoopFault?.Invoke(workerName);

        public bool Readable(TunnelPath tunnel) => owner.ReadTunnel(tunnel, 0, _frame, _batch, _ring);

        public bool Readable(TunnelPath tunnel, int queue) => owner.ReadTunnel(tunnel, queue, _frame, _batch, _ring);

        // While packets wait for an SA, look often so they leave soon after it is installed.
        public bool Service(TunnelPath tunnel) => owner.ServiceTriggerQueues(tunnel, _batch);

        public void Dispose()
        {
            _batch.Dispose();
            _ring?.Dispose();
        }
    }

    /// <summary>A worker's io_uring for batched TUN reads, or null (said once) where the kernel will not give one.</summary>
    private TunReadRing? CreateReadRing()
    {
        if (!BatchedTunReads)
        {
            return null;
        }

        var ring = TunReadRing.TryCreate(FramesPerSend, VirtioNetHeader.Size + BufferSize, out var reason);
        if (ring is null && Interlocked.Exchange(ref _readRingRefusalLogged, 1) == 0)
        {
            Log($"ike 0: batched TUN reads unavailable ({reason}); TUN frames are read one per system call");
        }

        return ring;
    }
}
