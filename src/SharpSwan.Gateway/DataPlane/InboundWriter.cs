namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Per receive thread: joins the TCP segments (and, on a TUN device with UDP offload, the UDP datagrams) of one batch
/// for the tunnel they belong to, keeping packet order: at most one joined packet is pending, and anything that does
/// not join writes it out first.
/// </summary>
internal sealed class InboundWriter
{
    private const byte ProtocolTcp = 6;
    private const byte ProtocolUdp = 17;

    private readonly TcpCoalescer _tcp = new();
    private readonly UdpCoalescer _udp = new();
    private TunnelPath? _pendingTunnel;

    public void Write(TunnelPath tunnel, ReadOnlySpan<byte> packet)
    {
        if (_pendingTunnel != tunnel)
        {
            Flush();
        }

        var protocol = packet.Length > 9 ? packet[9] : (byte)0;
        var joined = protocol switch
        {
            ProtocolTcp => JoinTcp(tunnel, packet),
            ProtocolUdp when tunnel.Tun.UdpOffloadEnabled => JoinUdp(tunnel, packet),
            _ => false,
        };

        if (!joined)
        {
            Flush();
            tunnel.Tun.Write(packet);
            return;
        }

        _pendingTunnel = tunnel;
    }

    /// <summary>Writes out the packet being joined; called at the end of every receive batch.</summary>
    public void Flush()
    {
        if (_pendingTunnel is { } tunnel)
        {
            if (_tcp.HasPending)
            {
                tunnel.Tun.WriteFrame(_tcp.TakeFrame());
            }

            if (_udp.HasPending)
            {
                tunnel.Tun.WriteFrame(_udp.TakeFrame());
            }
        }

        _pendingTunnel = null;
    }

    private bool JoinTcp(TunnelPath tunnel, ReadOnlySpan<byte> packet)
    {
        if (_udp.HasPending)
        {
            tunnel.Tun.WriteFrame(_udp.TakeFrame());
        }

        if (_tcp.TryAdd(packet))
        {
            return true;
        }

        if (_tcp.HasPending)
        {
            tunnel.Tun.WriteFrame(_tcp.TakeFrame());
        }

        return _tcp.TryAdd(packet);
    }

    private bool JoinUdp(TunnelPath tunnel, ReadOnlySpan<byte> packet)
    {
        if (_tcp.HasPending)
        {
            tunnel.Tun.WriteFrame(_tcp.TakeFrame());
        }

        if (_udp.TryAdd(packet))
        {
            return true;
        }

        if (_udp.HasPending)
        {
            tunnel.Tun.WriteFrame(_udp.TakeFrame());
        }

        return _udp.TryAdd(packet);
    }
}
