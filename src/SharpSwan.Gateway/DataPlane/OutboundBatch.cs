using System.Net;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Per TUN thread: the ESP datagrams waiting to leave, all on one SA, encrypted straight into the slots of a
/// <see cref="DatagramBatch"/>. A datagram for another SA, or a full batch, sends what is queued first, so one
/// <see cref="Flush"/> is one sendmmsg; on the NAT-T socket, runs of equal-size datagrams (the segments of one TCP
/// super-packet, a UDP flow of one size) leave as one segmented message each. Also takes the packets the packet core
/// releases from a trigger queue. Nothing is allocated per packet. Each worker's batch seals on its own lane of the SA
/// and sends on its own NAT-T socket (<paramref name="lane"/>: the worker's number).
/// </summary>
/// <param name="probe">The running flow trace's probe, if any, asked only for released packets (`diagnose debug flow`).</param>
internal sealed class OutboundBatch(
    IReadOnlyDictionary<IPAddress, SocketSet> sockets, int capacity, int slotSize, int lane = 0, Func<FlowProbe?>? probe = null) : IHeldPacketSender, IDisposable
{
    private readonly DatagramBatch _batch = new(capacity, slotSize);
    private ChildSaPath? _pending;
    private SocketSet? _pendingSockets;

    /// <summary>Datagrams queued.</summary>
    public int Count => _batch.Count;

    public int SlotSize => _batch.SlotSize;

    /// <summary>Messages the last flush handed to sendmmsg (a segmented run counts once).</summary>
    public int LastSendMessages => _batch.LastSendMessages;

    /// <summary>Encrypts one inner packet on <paramref name="sa"/> into the next slot.</summary>
    public void Add(ChildSaPath sa, ReadOnlySpan<byte> ip)
    {
        if (!Prepare(sa))
        {
            return;
        }

        Seal(sa, ip, _batch.NextSlot);
    }

    /// <summary>
    /// Cuts a TCP super-packet into segments, each written straight where ESP wants its payload in the next slot and
    /// encrypted in place. The caller checked that a segment with its ESP overhead fits a slot.
    /// </summary>
    public void AddSegments(ChildSaPath sa, ref TcpSegmenter segmenter)
    {
        var offset = sa.Outbound.PayloadOffset;
        while (Prepare(sa))
        {
            var slot = _batch.NextSlot;
            if (!segmenter.TryWriteNext(slot[offset..], out var length))
            {
                return;
            }

            Seal(sa, slot.Slice(offset, length), slot);
        }
    }

    /// <summary>The same for a UDP super-packet (TUN USO): each datagram is written and encrypted in its slot.</summary>
    public void AddDatagrams(ChildSaPath sa, ref UdpSegmenter segmenter)
    {
        var offset = sa.Outbound.PayloadOffset;
        while (Prepare(sa))
        {
            var slot = _batch.NextSlot;
            if (!segmenter.TryWriteNext(slot[offset..], out var length))
            {
                return;
            }

            Seal(sa, slot.Slice(offset, length), slot);
        }
    }

    void IHeldPacketSender.SendHeld(ChildSaPath sa, ReadOnlySpan<byte> packet)
    {
        if (probe?.Invoke() is { } traced && traced.Wants(packet))
        {
            var transport = Transport(sa);
            traced.Report(packet, transport.Tunnel.Name, TunnelOutcome.Released, sa.Phase2.Name, sa.Install.OutboundSpi, transport.Local, transport.Remote);
        }

        Add(sa, packet);
    }

    /// <summary>Sends what is queued (one sendmmsg) and counts it on the SA's tunnel.</summary>
    public void Flush()
    {
        if (_pending is { } sa && _pendingSockets is { } set)
        {
            Send(sa, set);
        }

        _batch.Clear();
        _pending = null;
        _pendingSockets = null;
    }

    /// <summary>Forgets what is queued without sending it (after a packet whose handling failed).</summary>
    public void Discard()
    {
        _batch.Clear();
        _pending = null;
        _pendingSockets = null;
    }

    public void Dispose() => _batch.Dispose();

    private static ChildSaTransport Transport(ChildSaPath sa) => (ChildSaTransport)sa.HostState!;

    /// <summary>Makes the batch ready for a datagram of <paramref name="sa"/>; false when it has no socket to leave by.</summary>
    private bool Prepare(ChildSaPath sa)
    {
        if (_pending == sa && !_batch.IsFull)
        {
            return true;
        }

        Flush();
        var transport = Transport(sa);
        if (!sockets.TryGetValue(transport.Local.Address, out var set))
        {
            Interlocked.Increment(ref transport.Tunnel.TxErrors);
            return false;
        }

        _pending = sa;
        _pendingSockets = set;
        return true;
    }

    private void Seal(ChildSaPath sa, ReadOnlySpan<byte> ip, Span<byte> slot)
    {
        var transport = Transport(sa);
        if (!PacketCore.Seal(sa, ip, slot, out var written, lane))
        {
            Interlocked.Increment(ref transport.Tunnel.TxErrors);
            return;
        }

        _batch.Commit(written, transport.RemoteAddress);
        Interlocked.Add(ref transport.Tunnel.TxBytes, ip.Length);
    }

    private void Send(ChildSaPath sa, SocketSet set)
    {
        var queued = _batch.Count;
        if (queued == 0)
        {
            return;
        }

        int sent;
        if (sa.Install.UdpEncapsulation)
        {
            sent = set.NatTFor(lane).SendBatch(_batch);
        }
        else
        {
            // Raw ESP has no segmentation offload: plain sendmmsg.
            sent = set.Raw is { } raw ? _batch.Send(raw) : 0;
        }

        var tunnel = Transport(sa).Tunnel;
        Interlocked.Add(ref tunnel.TxPackets, sent);
        if (sent < queued)
        {
            Interlocked.Add(ref tunnel.TxErrors, queued - sent);
        }

        tunnel.LastTxTicks = Environment.TickCount64;
    }
}
