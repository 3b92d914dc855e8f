using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Api;

/// <summary>
/// <c>GET /api/v2/monitor/vpn/ipsec</c> and <c>POST .../tunnel_up</c>, <c>tunnel_down</c>, <c>tunnel_reset_stats</c>
/// with <c>phase1_name</c> and an optional <c>phase2_name</c> (FortiOS's <c>p1name</c>/<c>p2name</c> are accepted too).
/// </summary>
internal static class MonitorEndpoints
{
    private const string Path = "vpn";
    private const string Name = "ipsec";

    public static void Map(RouteGroupBuilder api, ITunnelMonitor monitor)
    {
        api.MapGet("/monitor/vpn/ipsec", async (HttpContext context) =>
        {
            var body = IpsecBody(context.Request.Method, await monitor.GetSnapshotAsync(context.RequestAborted), phase1: null);

            // ?vdom=* asks for every VDOM: FortiOS answers with an array of per-VDOM envelopes (fortigate_exporter uses it).
            if (context.Request.Query["vdom"].ToString() == "*")
            {
                return Results.Text(new JsonArray(body).ToJsonString(), "application/json");
            }

            return FortiEnvelope.Json(body);
        });

        api.MapPost("/monitor/vpn/ipsec/{action}", async (HttpContext context, string action) =>
        {
            if (action is not ("tunnel_up" or "tunnel_down" or "tunnel_reset_stats"))
            {
                return FortiEnvelope.Json(FortiEnvelope.Error(context, Path, Name, 404, -3, $"unknown action {action}: tunnel_up, tunnel_down or tunnel_reset_stats"));
            }

            var arguments = await ReadArguments(context);
            var phase1 = Text(arguments, "phase1_name") ?? Text(arguments, "p1name");
            var phase2 = Text(arguments, "phase2_name") ?? Text(arguments, "p2name");
            if (phase1 is null)
            {
                return FortiEnvelope.Json(FortiEnvelope.Error(context, Path, Name, 400, -651, "phase1_name is required"));
            }

            var result = action switch
            {
                "tunnel_up" => await monitor.BringUpAsync(phase1, phase2, context.RequestAborted),
                "tunnel_down" => await monitor.BringDownAsync(phase1, phase2, context.RequestAborted),
                _ => await monitor.ResetStatisticsAsync(phase1, phase2, context.RequestAborted),
            };

            if (!result.Succeeded)
            {
                var notFound = result.Error == "entry not found in datasource";
                var error = FortiEnvelope.Error(context, Path, Name, notFound ? 404 : 500, notFound ? -3 : -1, result.Error ?? "failed");
                error["action"] = action;
                return FortiEnvelope.Json(error);
            }

            var body = FortiEnvelope.Create(context, Path, Name, 200);
            body["action"] = action;
            body["results"] = new JsonObject();
            return FortiEnvelope.Json(body);
        });
    }

    /// <summary>
    /// The answer of <c>GET /api/v2/monitor/vpn/ipsec</c>, for the endpoint and for <c>sharpswan cli --json</c> (which
    /// may narrow it to one phase 1's entry, as <c>diagnose vpn tunnel list name</c> does).
    /// </summary>
    public static JsonObject IpsecBody(string method, MonitorSnapshot snapshot, string? phase1)
    {
        var body = FortiEnvelope.Create(method, Path, Name, 200);
        body["action"] = "";
        var results = MonitorJson.Tunnels(snapshot);
        if (phase1 is not null)
        {
            results = new JsonArray([.. results.Where(t => t!["name"]!.GetValue<string>() == phase1).Select(t => t!.DeepClone())]);
        }

        body["results"] = results;
        return body;
    }

    /// <summary>Arguments from a JSON body, or the query string as FortiOS also allows.</summary>
    internal static async Task<JsonObject> ReadArguments(HttpContext context)
    {
        var arguments = new JsonObject();
        foreach (var (key, value) in context.Request.Query)
        {
            arguments[key] = value.ToString();
        }

        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                if (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) is JsonObject body)
                {
                    foreach (var (key, value) in body)
                    {
                        arguments[key] = value?.DeepClone();
                    }
                }
            }
            catch (JsonException)
            {
                // A body that is not JSON carries no arguments; phase1_name is then reported missing.
            }
        }

        return arguments;
    }

    internal static string? Text(JsonObject arguments, string name) =>
        arguments[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text ? text : null;
}
