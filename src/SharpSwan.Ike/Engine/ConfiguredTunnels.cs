using System.Net;
using SharpSwan.Config;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The configured phase 1s indexed for the lookups every new peer needs: static ones by remote gateway, and the dial-up
/// templates. Built from the configured tunnels (never the dial-up instances) and rebuilt after a configuration change;
/// configuration order is kept, so the first match is the one a walk over the configuration finds.
/// </summary>
internal sealed class ConfiguredTunnels
{
    private readonly Dictionary<IPAddress, List<TunnelRuntime>> _byRemote = [];

    public ConfiguredTunnels(IEnumerable<TunnelRuntime> configured)
    {
        foreach (var tunnel in configured.OrderBy(t => t.Sequence))
        {
            if (tunnel.Settings.Type == Phase1Type.Dynamic)
            {
                Templates.Add(tunnel);
                continue;
            }

            if (!_byRemote.TryGetValue(tunnel.Settings.RemoteGateway, out var list))
            {
                list = [];
                _byRemote[tunnel.Settings.RemoteGateway] = list;
            }

            list.Add(tunnel);
        }
    }

    /// <summary>The dial-up templates (<c>type dynamic</c>), in configuration order.</summary>
    public List<TunnelRuntime> Templates { get; } = [];

    /// <summary>The static phase 1s whose remote gateway is this address, in configuration order.</summary>
    public IReadOnlyList<TunnelRuntime> WithRemote(IPAddress remote) => _byRemote.TryGetValue(remote, out var list) ? list : [];
}
