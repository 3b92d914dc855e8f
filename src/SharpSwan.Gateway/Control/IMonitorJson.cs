using System.Text.Json.Nodes;

namespace SharpSwan.Gateway.Control;

/// <summary>
/// The REST monitor's JSON answers, for <c>sharpswan cli --json</c>: the web side builds both from one writer, so a
/// script gets the same fields over the control socket as over HTTPS, without an API token.
/// </summary>
public interface IMonitorJson
{
    /// <summary>The body of <c>GET /api/v2/monitor/vpn/ipsec</c>; with <paramref name="phase1"/>, only that tunnel's entry.</summary>
    Task<JsonObject> IpsecAsync(string? phase1, CancellationToken cancellation);

    /// <summary>The body of <c>GET /api/v2/monitor/system/status</c>.</summary>
    JsonObject SystemStatus();
}
