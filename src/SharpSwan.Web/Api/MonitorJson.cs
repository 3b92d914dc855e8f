using System.Text.Json.Nodes;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Api;

/// <summary>
/// The <c>monitor/vpn/ipsec</c> result shape: FortiOS's fields (<c>name</c>, <c>rgwy</c>, <c>incoming_bytes</c>,
/// <c>proxyid</c> with <c>p2name</c>, <c>status</c>, <c>expire</c>...) plus a few SharpSwan ones the GUI needs
/// (<c>hard_expire</c>, <c>keylife</c>, <c>last_rekey</c>, <c>auto_negotiate</c>, <c>keepalive</c>).
/// Dial-up: the template and each connected peer's instance are entries of their own; an instance has
/// <c>"type": "dialup"</c> and <c>"parent": "&lt;template&gt;"</c>, its peer's address as <c>rgwy</c>, and SharpSwan's
/// <c>assigned_ip</c> (the mode-cfg address; fortios.md names no FortiOS field for it) and <c>index</c>; a template has
/// <c>instances</c>, its number of connected peers.
/// </summary>
internal static class MonitorJson
{
    public static JsonArray Tunnels(MonitorSnapshot snapshot)
    {
        var now = snapshot.CapturedAt;
        var results = new JsonArray();
        foreach (var tunnel in snapshot.Tunnels)
        {
            var proxies = new JsonArray();
            foreach (var selector in tunnel.Selectors)
            {
                proxies.Add(new JsonObject
                {
                    ["p2name"] = selector.Name,
                    ["status"] = selector.IsUp ? "up" : "down",
                    ["proxy_src"] = new JsonArray(Endpoint(selector.Source, selector.SourcePort, selector.Protocol)),
                    ["proxy_dst"] = new JsonArray(Endpoint(selector.Destination, selector.DestinationPort, selector.Protocol)),
                    ["expire"] = Remaining(selector.SoftExpiry, now),
                    ["hard_expire"] = Remaining(selector.HardExpiry, now),
                    ["keylife"] = selector.KeyLifeSeconds,
                    ["incoming_bytes"] = selector.IncomingBytes,
                    ["outgoing_bytes"] = selector.OutgoingBytes,
                    ["spi_in"] = selector.InboundSpi is { } spiIn ? spiIn.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) : null,
                    ["spi_out"] = selector.OutboundSpi is { } spiOut ? spiOut.ToString("x8", System.Globalization.CultureInfo.InvariantCulture) : null,
                    ["installed"] = Unix(selector.InstalledAt),
                    ["last_rekey"] = Unix(selector.LastRekeyAt),
                    ["auto_negotiate"] = selector.AutoNegotiate,
                    ["keepalive"] = selector.Keepalive,
                });
            }

            results.Add(new JsonObject
            {
                ["name"] = tunnel.Name,
                ["type"] = tunnel.IsDialUp ? "dialup" : "automatic",
                ["rgwy"] = tunnel.RemoteGateway,
                ["tun_id"] = tunnel.RemoteGateway,
                ["interface"] = tunnel.Interface,
                ["ike_version"] = tunnel.IkeVersion,
                ["status"] = tunnel.IsUp ? "up" : "down",
                ["ike_status"] = tunnel.IkeEstablished ? "established" : "connecting",
                ["peer"] = tunnel.Peer,
                ["peer_id"] = tunnel.PeerId,
                ["creation_time"] = tunnel.EstablishedAt is { } established ? (long)Math.Max(0, (now - established).TotalSeconds) : 0,
                ["connection_count"] = tunnel.IkeEstablished ? 1 : 0,
                ["incoming_bytes"] = tunnel.IncomingBytes,
                ["outgoing_bytes"] = tunnel.OutgoingBytes,
                ["selectors_up"] = tunnel.SelectorsUp,
                ["selectors_total"] = tunnel.Selectors.Count,
                ["policy_based"] = tunnel.IsPolicyBased,
                ["proxyid"] = proxies,
            });
            var entry = results[^1]!.AsObject();
            if (tunnel.IsDialUpInstance)
            {
                entry["parent"] = tunnel.Parent;
                entry["index"] = tunnel.InstanceIndex;
                entry["assigned_ip"] = tunnel.AssignedAddress;
                entry["xauth_user"] = tunnel.XauthUser;
            }
            else if (tunnel.IsDialUp)
            {
                entry["instances"] = tunnel.InstanceCount;
            }
        }

        return results;
    }

    private static JsonObject Endpoint(string subnet, int port, int protocol) => new()
    {
        ["subnet"] = subnet,
        ["port"] = port,
        ["protocol"] = protocol,
        ["protocol_name"] = protocol switch { 0 => "", 1 => "icmp", 6 => "tcp", 17 => "udp", _ => protocol.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    private static long? Remaining(DateTimeOffset? at, DateTimeOffset now) =>
        at is { } when ? (long)Math.Max(0, Math.Floor((when - now).TotalSeconds)) : null;

    private static long? Unix(DateTimeOffset? at) => at?.ToUnixTimeSeconds();
}
