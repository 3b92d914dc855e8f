namespace SharpSwan.Gateway.DataPlane;

/// <summary>Per receive thread: joins TCP segments of one batch for the tunnel they belong to, keeping packet order.</summary>
internal sealed class InboundWriter
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
