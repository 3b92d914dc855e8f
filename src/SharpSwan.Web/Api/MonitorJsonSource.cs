using System.Text.Json.Nodes;
using SharpSwan.Config;
using SharpSwan.Gateway.Control;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Api;

/// <summary>
/// The REST monitor's answers for the control socket (<c>sharpswan cli --json</c>), written by the same code as the
/// endpoints from the same <see cref="ITunnelMonitor"/> (statistics resets included), so the fields are the same.
/// </summary>
public sealed class MonitorJsonSource(ITunnelMonitor monitor, Func<GatewayConfiguration> configuration) : IMonitorJson
{
    /// <summary>What the answers say they answer: the REST request they stand for.</summary>
    private const string Method = "GET";

    public async Task<JsonObject> IpsecAsync(string? phase1, CancellationToken cancellation) =>
        MonitorEndpoints.IpsecBody(Method, await monitor.GetSnapshotAsync(cancellation), phase1);

    public JsonObject SystemStatus() => StatusEndpoints.Body(Method, configuration());
}
