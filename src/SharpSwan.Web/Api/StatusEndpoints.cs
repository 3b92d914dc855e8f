using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SharpSwan.Config;

namespace SharpSwan.Web.Api;

/// <summary>
/// <c>GET /api/v2/monitor/system/status</c> in FortiOS's shape: monitoring written for FortiGates (prometheus-community's
/// fortigate_exporter calls it first on every scrape and needs <c>status</c>, <c>serial</c>, <c>version</c> "vX.Y.Z"
/// and an integer <c>build</c>) works unchanged.
/// </summary>
internal static class StatusEndpoints
{
    public static void Map(RouteGroupBuilder api, Func<GatewayConfiguration> configuration)
    {
        api.MapGet("/monitor/system/status", (HttpContext context) =>
        {
            return FortiEnvelope.Json(Body(context.Request.Method, configuration()));
        });
    }

    /// <summary>The whole answer, for the endpoint and for <c>sharpswan cli --json -c "get system status"</c>.</summary>
    public static JsonObject Body(string method, GatewayConfiguration configuration)
    {
        var body = FortiEnvelope.Create(method, "system", "status", 200);
        body["results"] = new JsonObject
        {
            ["model_name"] = "SharpSwan",
            ["model_number"] = "",
            ["model"] = "SharpSwan",
            ["hostname"] = configuration.Global.Hostname,
            ["log_disk_status"] = "not_available",
        };
        return body;
    }
}
