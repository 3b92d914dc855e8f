using System.Net.Sockets;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// The sockets bound on one local address: IKE (500), NAT-T (4500, ESP in UDP) and raw ESP when the kernel allows it.
/// NAT-T has one socket per data-plane worker (SO_REUSEPORT, <see cref="NatTLanes"/>): each has its own reader thread,
/// and worker i sends on socket i; <see cref="NatT"/> is the first, for IKE and keepalives.
/// </summary>
internal sealed record SocketSet(UdpEndpoint Ike, IReadOnlyList<UdpEndpoint> NatTLanes, Socket? Raw)
{
    /// <summary>One NAT-T socket for every worker (one worker, or a test).</summary>
    public SocketSet(UdpEndpoint ike, UdpEndpoint natT, Socket? raw)
        : this(ike, [natT], raw)
    {
    }

    public UdpEndpoint NatT => NatTLanes[0];

    /// <summary>The NAT-T socket worker <paramref name="lane"/> sends on.</summary>
    public UdpEndpoint NatTFor(int lane) => NatTLanes[lane % NatTLanes.Count];
}
