using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Per receive thread: joins the TCP segments (and, on a TUN device with UDP offload, the UDP datagrams) of one batch
/// for the tunnel they belong to, keeping packet order: at most one joined packet is pending, and anything that does
/// not join writes it out first. IPv4 fragments that arrive back to back are made whole first (<see cref="FragmentJoiner"/>),
/// so a fragmented datagram costs one write and can join its flow; fragments that do not complete are written as they came.
/// With a <see cref="TunWriteRing"/>, packets and small frames are queued and the whole batch is written with one system
/// call at <see cref="Flush"/> (a large super-packet submits what is queued before it, so order is kept).
/// Gathering (<paramref name="gather"/>), a joined frame is written as pieces (its headers, then each segment's payload
/// where it lies, writev or IORING_OP_WRITEV) instead of being copied into one buffer: every packet given to
/// <see cref="Write"/> must then lie in native or pinned memory that stays unchanged until the next <see cref="Flush"/>
/// returns (the receive batch's slots, which are refilled only after it). Fragments joined in the meantime stay in the
/// joiner's arena until everything that may reference them is written.
/// </summary>
internal sealed class InboundWriter(TunWriteRing? ring = null, bool gather = false) : IDisposable
{
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;

    private readonly TcpCoalescer _tcp = new(gather);
    private readonly UdpCoalescer _udp = new(gather);
    private readonly FragmentJoiner _fragments = new(gather);
    private TunnelPath? _pendingTunnel;

    /// <summary>True when joined frames are written as pieces rather than copied.</summary>
    public bool Gathers => gather;

    /// <summary>Fragmented datagrams written whole.</summary>
    public long JoinedDatagrams => _fragments.JoinedDatagrams;

    public void Write(TunnelPath tunnel, ReadOnlySpan<byte> packet)
    {
        if (_pendingTunnel != tunnel)
        {
            WritePending();
        }

        if (FragmentJoiner.IsFragment(packet))
        {
            WriteFragment(tunnel, packet);
            return;
        }

        if (_fragments.HeldCount > 0)
        {
            ReleaseFragments(tunnel);
        }

        WriteWhole(tunnel, packet);
    }

    private void WriteWhole(TunnelPath tunnel, ReadOnlySpan<byte> packet)
    {
        var protocol = packet.Length > 9 ? packet[9] : (byte)0;
        var joined = protocol switch
        {
            ProtocolTcp => JoinTcp(tunnel, packet),
            ProtocolUdp when tunnel.Tun.UdpOffloadEnabled => JoinUdp(tunnel, packet),
            _ => false,
        };

        if (!joined)
        {
            WritePending();
            WritePacket(tunnel, packet);
            return;
        }

        _pendingTunnel = tunnel;
    }

    /// <summary>Writes out the packet being joined, any fragments held and what the ring holds; called at the end of every receive batch.</summary>
    public void Flush()
    {
        WritePending();
        ring?.Submit();
        _fragments.Recycle();
    }

    public void Dispose() => ring?.Dispose();

    // What is joined or held goes out (into the ring, when there is one) before anything that comes after it.
    private void WritePending()
    {
        if (_pendingTunnel is { } tunnel)
        {
            if (_fragments.HeldCount > 0)
            {
                ReleaseFragments(tunnel);
            }

            WriteJoined(tunnel);
        }

        _pendingTunnel = null;
    }

    private void WritePacket(TunnelPath tunnel, ReadOnlySpan<byte> packet)
    {
        if (ring is null || !ring.TryQueue(tunnel.Tun, packet, hasHeader: false))
        {
            ring?.Submit();
            tunnel.Tun.Write(packet);
        }
    }

    // Whichever coalescer holds a frame writes it out (at most one does).
    private void WriteJoined(TunnelPath tunnel)
    {
        WriteTcpFrame(tunnel);
        WriteUdpFrame(tunnel);
    }

    private void WriteTcpFrame(TunnelPath tunnel)
    {
        if (!_tcp.HasPending)
        {
            return;
        }

        if (gather)
        {
            WriteGather(tunnel, _tcp.TakeGather());
        }
        else
        {
            WriteFrame(tunnel, _tcp.TakeFrame());
        }
    }

    private void WriteUdpFrame(TunnelPath tunnel)
    {
        if (!_udp.HasPending)
        {
            return;
        }

        if (gather)
        {
            WriteGather(tunnel, _udp.TakeGather());
        }
        else
        {
            WriteFrame(tunnel, _udp.TakeFrame());
        }
    }

    private void WriteFrame(TunnelPath tunnel, ReadOnlySpan<byte> frame)
    {
        if (ring is null || !ring.TryQueue(tunnel.Tun, frame, hasHeader: true))
        {
            ring?.Submit();
            tunnel.Tun.WriteFrame(frame);
        }
    }

    // The ring copies the header piece at once; the payload pieces stay where they are until its Submit has returned.
    private void WriteGather(TunnelPath tunnel, TunGatherFrame frame)
    {
        if (ring is null || !ring.TryQueue(tunnel.Tun, frame))
        {
            ring?.Submit();
            tunnel.Tun.WriteFrame(frame);
        }
    }

    // A full arena (gathering) is reused only after what may reference it is written and the ring's writes completed.
    private void MakeFragmentRoom()
    {
        if (_fragments.HeldCount == 0 && !_fragments.HasRoom)
        {
            WritePending();
            ring?.Submit();
            _fragments.Recycle();
        }
    }

    // Held fragments stay behind the joined packet they follow; a completed datagram goes on as a whole packet.
    private void WriteFragment(TunnelPath tunnel, ReadOnlySpan<byte> fragment)
    {
        MakeFragmentRoom();
        if (!_fragments.TryAdd(fragment))
        {
            if (_fragments.HeldCount > 0)
            {
                ReleaseFragments(tunnel);
            }

            MakeFragmentRoom();
            if (!_fragments.TryAdd(fragment))
            {
                WritePending();
                WritePacket(tunnel, fragment);
                return;
            }
        }

        _pendingTunnel = tunnel;
        if (_fragments.IsComplete)
        {
            WriteWhole(tunnel, _fragments.TakeJoined());
        }
    }

    // The fragments held did not make a datagram: what is pending goes first, then each fragment as it came.
    private void ReleaseFragments(TunnelPath tunnel)
    {
        WriteJoined(tunnel);

        for (var i = 0; i < _fragments.HeldCount; i++)
        {
            WritePacket(tunnel, _fragments.Held(i));
        }

        _fragments.Clear();
    }

    private bool JoinTcp(TunnelPath tunnel, ReadOnlySpan<byte> packet)
    {
        WriteUdpFrame(tunnel);
        if (_tcp.TryAdd(packet))
        {
            return true;
        }

        WriteTcpFrame(tunnel);

        return _tcp.TryAdd(packet);
    }

    private bool JoinUdp(TunnelPath tunnel, ReadOnlySpan<byte> packet)
    {
        WriteTcpFrame(tunnel);
        if (_udp.TryAdd(packet))
        {
            return true;
        }

        WriteUdpFrame(tunnel);

        return _udp.TryAdd(packet);
    }
}
