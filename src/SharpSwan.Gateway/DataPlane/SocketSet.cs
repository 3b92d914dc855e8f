using System.Net.Sockets;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>The sockets bound on one local address: IKE (500), NAT-T (4500, ESP in UDP) and raw ESP when the kernel allows it.</summary>
internal sealed record SocketSet(UdpEndpoint Ike, UdpEndpoint NatT, Socket? Raw);
