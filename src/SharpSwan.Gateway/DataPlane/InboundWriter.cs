using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Per receive thread: joins the TCP segments (and, on a TUN device with UDP offload, the UDP datagrams) of one batch
/// for the tunnel they belong to, keeping packet order: at most one joined packet is pending, and anything that does
/// not join writes it out first. IPv4 fragments that arrive back to back are made whole first (<see cref="FragmentJoiner"/>),
/// so a fragmented datagram costs one write and can join its flow; fragments that do not complete are written as they came.
/// With a <see cref="TunWriteRing"/>, packets and small frames are queued and the whole batch is written with one system
/// call at <see cref="Flush"/> (a large super-packet submits what is queued before it, so order is kept).
/// </summary>
internal sealed class InboundWriter(TunWriteRing? ring = null) : IDisposable
{
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;

    private readonly TcpCoalescer _tcp = new();
    private readonly UdpCoalescer _udp = new();
    private readonly FragmentJoiner _fragments = new();
    private TunnelPath? _pendingTunnel;

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

            if (_tcp.HasPending)
            {
                WriteFrame(tunnel, _tcp.TakeFrame());
            }

            if (_udp.HasPending)
            {
                WriteFrame(tunnel, _udp.TakeFrame());
            }
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

    private void WriteFrame(TunnelPath tunnel, ReadOnlySpan<byte> frame)
    {
        if (ring is null || !ring.TryQueue(tunnel.Tun, frame, hasHeader: true))
        {
            ring?.Submit();
            tunnel.Tun.WriteFrame(frame);
        }
    }

    // Held fragments stay behind the joined packet they follow; a completed datagram goes on as a whole packet.
    private void WriteFragment(TunnelPath tunnel, ReadOnlySpan<byte> fragment)
    {
        if (!_fragments.TryAdd(fragment))
        {
            if (_fragments.HeldCount > 0)
            {
                ReleaseFragments(tunnel);
            }

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
        if (_tcp.HasPending)
        {
            WriteFrame(tunnel, _tcp.TakeFrame());
        }

        if (_udp.HasPending)
        {
            WriteFrame(tunnel, _udp.TakeFrame());
        }

        for (var i = 0; i < _fragments.HeldCount; i++)
        {
            WritePacket(tunnel, _fragments.Held(i));
        }

        _fragments.Clear();
    }

    private bool JoinTcp(TunnelPath tunnel, ReadOnlySpan<byte> packet)
    {
        if (_udp.HasPending)
        {
            WriteFrame(tunnel, _udp.TakeFrame());
        }

        if (_tcp.TryAdd(packet))
        {
            return true;
        }

        if (_tcp.HasPending)
        {
            WriteFrame(tunnel, _tcp.TakeFrame());
        }

        return _tcp.TryAdd(packet);
    }

    private bool JoinUdp(TunnelPath tunnel, ReadOnlySpan<byte> packet)
    {
        if (_tcp.HasPending)
        {
            WriteFrame(tunnel, _tcp.TakeFrame());
        }

        if (_udp.TryAdd(packet))
        {
            return true;
        }

        if (_udp.HasPending)
        {
            WriteFrame(tunnel, _udp.TakeFrame());
        }

        return _udp.TryAdd(packet);
    }
}
