using System.Net;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>Where a tunnel talks from and to right now: the IKE SA's endpoints, else the configured gateways.</summary>
public sealed record TunnelEndpoints(IPEndPoint Local, IPEndPoint Remote, string Interface)
{
    private const int IkePort = 500;

    /// <summary>Reads engine state: call on the engine thread only.</summary>
    public static TunnelEndpoints Of(TunnelRuntime tunnel)
    {
        var sa = tunnel.Current;
        var local = sa?.Local ?? new IPEndPoint(tunnel.LocalAddress ?? tunnel.Settings.LocalGateway, IkePort);
        var remote = sa?.Remote ?? new IPEndPoint(tunnel.Settings.RemoteGateway, IkePort);
        return new TunnelEndpoints(local, remote, tunnel.Settings.Interface);
    }
}
