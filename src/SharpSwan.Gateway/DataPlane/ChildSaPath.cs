using System.Net;
using SharpSwan.Esp;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>An installed child SA as the packet path sees it: both ESP directions and where to send.</summary>
public sealed class ChildSaPath
{
    public required ChildSaInstall Install { get; init; }

    public required EspSecurityAssociation Inbound { get; init; }

    public required EspSecurityAssociation Outbound { get; init; }

    public required TunnelPath Tunnel { get; init; }

    public required Phase2Path Phase2 { get; init; }

    public required System.Net.SocketAddress RemoteAddress { get; init; }

    public required IPEndPoint Local { get; init; }

    /// <summary>Inbound selectors, checked on every decrypted packet (RFC 4301 inbound policy check).</summary>
    public required uint RemoteStart { get; init; }

    public required uint RemoteEnd { get; init; }

    public required uint LocalStart { get; init; }

    public required uint LocalEnd { get; init; }

    /// <summary>Install order: a packet arriving on a newer SA proves the peer has it, so outbound may move to it.</summary>
    public required long Generation { get; init; }

    public volatile bool Removed;

    /// <summary>Environment.TickCount64 of the last NAT-T keepalive sent for this SA.</summary>
    public long LastKeepaliveTicks;
}
