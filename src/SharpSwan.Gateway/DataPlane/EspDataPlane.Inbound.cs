using System.Net.Sockets;
using SharpSwan.Esp;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>The inbound half: one thread per socket, from datagrams received to packets written to the TUN devices.</summary>
public sealed partial class EspDataPlane
{
    private const int ReceiveBatchCapacity = 64;

    // Small frames queued for one TUN write submission: a whole receive batch, each up to two full-size segments.
    private const int WriteSlotSize = 4096;

    // SHARPSWAN_TUN_WRITE_RING=0 writes each packet with its own write(2), to measure what the io_uring batch saves.
    private static readonly bool BatchedTunWrites = Environment.GetEnvironmentVariable("SHARPSWAN_TUN_WRITE_RING") != "0";
    private int _writeRingRefusalLogged;

    // SHARPSWAN_TUN_WRITE_GATHER=0 copies every joined segment's payload into one frame before writing it, to measure
    // what writing the payloads where they lie after decryption (writev / IORING_OP_WRITEV) saves.
    private static readonly bool GatheredTunWrites = Environment.GetEnvironmentVariable("SHARPSWAN_TUN_WRITE_GATHER") != "0";

    /// <summary>A receive thread's io_uring for batched TUN writes, or null (said once) where the kernel will not give one.</summary>
    private TunWriteRing? CreateWriteRing()
    {
        if (!BatchedTunWrites)
        {
            return null;
        }

        var ring = TunWriteRing.TryCreate(ReceiveBatchCapacity, WriteSlotSize, out var reason);
        if (ring is null && Interlocked.Exchange(ref _writeRingRefusalLogged, 1) == 0)
        {
            Log($"ike 0: batched TUN writes unavailable ({reason}); decrypted packets are written one per system call");
        }

        return ring;
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

    /// <summary>
    /// UDP 4500: one recvmmsg per turn. With UDP GRO a slot can hold a train of equal-size datagrams from one sender;
    /// each is handled on its own, in order, and the whole batch shares one TUN writer (TCP segments are joined again).
    /// </summary>
    private void NatTraversalReader(UdpEndpoint endpoint)
    {
        // Decrypted in place in the batch's native slots, which stay put until writer.Flush (before the next receive).
        using var batch = new DatagramBatch(ReceiveBatchCapacity, BufferSize);
        using var writer = new InboundWriter(CreateWriteRing(), GatheredTunWrites);
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
                foreach (var datagram in new GroTrain(batch.Received(i), batch.SegmentSize(i)))
                {
                    try
                    {
                        NatTraversalDatagram(endpoint, batch, i, datagram, remote, arrival, writer);
                    }
                    catch (Exception ex) when (ex is not ObjectDisposedException)
                    {
                        PacketFailed(ex);
                    }
                }
            }

            writer.Flush();
        }
    }

    private void NatTraversalDatagram(UdpEndpoint endpoint, DatagramBatch batch, int index, Span<byte> datagram, System.Net.SocketAddress remote, EspArrival arrival, InboundWriter writer)
    {
        Fault(datagram);
        switch (UdpEncapsulation.Classify(datagram))
        {
            case UdpPayloadKind.Ike:
                batch.CopySource(index, remote);
                DeliverIke(endpoint, remote, datagram[UdpEncapsulation.NonEspMarkerLength..]);
                break;
            case UdpPayloadKind.Esp:
                ReceiveEsp(datagram, arrival, batch.Tos(index), writer);
                break;
            case UdpPayloadKind.NatKeepalive:
                break;
            default:
                Interlocked.Increment(ref InvalidPackets);
                break;
        }
    }

    private void RawReader(Socket raw, System.Net.IPAddress local)
    {
        // Decrypted in place in the batch's native slots, which stay put until writer.Flush (before the next receive).
        using var batch = new DatagramBatch(ReceiveBatchCapacity, BufferSize);
        using var writer = new InboundWriter(CreateWriteRing(), GatheredTunWrites);
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

        ReceiveEsp(datagram[headerLength..], arrival, datagram[1], writer);
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

    /// <param name="outerTos">The TOS of the IP header the ESP came in, for inbound-dscp-copy; -1 when unknown.</param>
    private void ReceiveEsp(Span<byte> esp, EspArrival arrival, int outerTos, InboundWriter writer)
    {
        var result = _core.Inbound(esp, arrival, outerTos, out var path, out var offset, out var length);
        if (path is null)
        {
            Interlocked.Increment(ref InvalidPackets);
            return;
        }

        var tunnel = Transport(path).Tunnel;
        if (Probe is { } probe && result is InboundResult.Delivered or InboundResult.OutsideSelectors && probe.Wants(esp.Slice(offset, length)))
        {
            ReportInbound(probe, esp.Slice(offset, length), tunnel, path, result);
        }

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

    /// <summary>Only while a flow trace runs, for the decrypted packets it follows (allocates, unlike the path it describes).</summary>
    private static void ReportInbound(FlowProbe probe, ReadOnlySpan<byte> inner, TunnelPath tunnel, ChildSaPath sa, InboundResult result)
    {
        var transport = Transport(sa);
        var outcome = result == InboundResult.Delivered ? TunnelOutcome.Decrypted : TunnelOutcome.DecryptedOutsideSelectors;
        probe.Report(inner, tunnel.Name, outcome, sa.Phase2.Name, sa.Install.InboundSpi, transport.Local, transport.Remote);
    }
}
