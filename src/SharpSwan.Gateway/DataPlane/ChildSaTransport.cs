using System.Net;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>What the gateway keeps per installed SA to carry its packets: the owning tunnel, where to send, keepalive time.</summary>
public sealed class ChildSaTransport(TunnelPath tunnel, SocketAddress remoteAddress, IPEndPoint local)
{
    private SocketAddress _remoteAddress = remoteAddress;

    /// <summary>The tunnel (or dial-up instance) whose counters and TUN device the SA's packets use.</summary>
    public TunnelPath Tunnel { get; } = tunnel;

    /// <summary>Where the SA's ESP goes; replaced (never changed in place) when the peer's NAT mapping moves.</summary>
    public SocketAddress RemoteAddress
    {
        get => Volatile.Read(ref _remoteAddress);
        set => Volatile.Write(ref _remoteAddress, value);
    }

    public IPEndPoint Local { get; } = local;

    /// <summary><see cref="RemoteAddress"/> as an endpoint (allocates: for diagnostics, not the packet path).</summary>
    public IPEndPoint Remote => (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(RemoteAddress);

    /// <summary>Environment.TickCount64 of the last NAT-T keepalive sent for this SA.</summary>
    public long LastKeepaliveTicks;
}
