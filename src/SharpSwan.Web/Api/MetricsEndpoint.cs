using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Web.Security;

namespace SharpSwan.Web.Api;

/// <summary>
/// <c>GET /metrics</c>: the gateway's instruments in Prometheus text format, for an API user's bearer token (as the REST
/// API) or a logged-in GUI session whose profile may read <c>sysgrp</c>; a scrape refreshes the engine-side gauges first.
/// </summary>
internal static class MetricsEndpoint
{
    private static readonly TimeSpan EngineWait = TimeSpan.FromSeconds(2);

    public static void Map(WebApplication app, AdminAuthenticator authentication, GatewayMetrics metrics)
    {
        app.MapGet("/metrics", (HttpContext context) =>
        {
            var caller = authentication.AuthorizeApi(context);
            if (!caller.Succeeded)
            {
                return Results.Text(caller.Failure + "\n", "text/plain; charset=utf-8", statusCode: caller.FailureStatus);
            }

            metrics.Refresh(EngineWait);
            return Results.Text(metrics.Exporter.Scrape(), PrometheusExporter.ContentType);
        });
    }
}
