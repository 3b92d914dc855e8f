using System.Net;
using System.Text.Json.Nodes;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Events;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>/metrics (Prometheus text, API token), FortiOS's system/status and vpn/ipsec?vdom=* shapes.</summary>
public sealed class MetricsApiTests
{
    private MetricsSnapshot _snapshot = new(0, 1, 0, 0, [new TunnelTrafficCounters("to-branch", 0, 0, 0, 0, 0, 0)], 0, 0, 0);

    [Fact]
    public async Task Metrics_NeedsTheApiToken_AndFollowsEventsAndDataPlaneCounters()
    {
        var events = new GatewayEvents();
        using var metrics = new GatewayMetrics(events, _ => _snapshot);
        await using var host = await WebTestHost.StartAsync(metrics: metrics);

        using var anonymous = host.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
        using var wrong = host.Api("not-the-key-0123456789");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);

        using var api = host.Api();
        var first = await ScrapeAsync(api);
        Assert.Contains("# TYPE sharpswan_tunnel_rx_bytes_total counter\n", first, StringComparison.Ordinal);
        Assert.Contains("# TYPE sharpswan_tunnels gauge\n", first, StringComparison.Ordinal);
        Assert.Contains("sharpswan_tunnels{state=\"down\"} 1\n", first, StringComparison.Ordinal);
        Assert.Contains("sharpswan_tunnel_rx_bytes_total{tunnel=\"to-branch\"} 0\n", first, StringComparison.Ordinal);

        events.Publish(new DpdFailed { Phase1 = "to-branch", Probes = 3, Reason = "no answer" });
        events.Publish(new TriggerQueueDropped("to-branch", "to-branch-p2", 4, TriggerQueueDropReason.NegotiateTimeout));
        _snapshot = new MetricsSnapshot(1, 0, 1, 1, [new TunnelTrafficCounters("to-branch", 5000, 50, 0, 4200, 42, 0)], 2, 0, 0);
        var second = await ScrapeAsync(api);

        Assert.Contains("sharpswan_dpd_failures_total{phase1=\"to-branch\"} 1\n", second, StringComparison.Ordinal);
        Assert.Contains("sharpswan_errors_total{kind=\"dpd\"} 1\n", second, StringComparison.Ordinal);
        Assert.Contains("sharpswan_trigger_queue_dropped_packets_total{phase1=\"to-branch\",phase2=\"to-branch-p2\",reason=\"negotiatetimeout\"} 4\n", second, StringComparison.Ordinal);
        Assert.Contains("sharpswan_tunnels{state=\"up\"} 1\n", second, StringComparison.Ordinal);
        Assert.Contains("sharpswan_ike_sas 1\n", second, StringComparison.Ordinal);
        Assert.Contains("sharpswan_tunnel_rx_bytes_total{tunnel=\"to-branch\"} 5000\n", second, StringComparison.Ordinal);
        Assert.Contains("sharpswan_tunnel_tx_packets_total{tunnel=\"to-branch\"} 42\n", second, StringComparison.Ordinal);
        Assert.Contains("sharpswan_packet_errors_total{kind=\"invalid\"} 2\n", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_CountWhatHappenedBeforeTheWebServerStarted_AndKeepItAcrossARestart()
    {
        // The gateway's first negotiation runs while the web server is still starting (and a changed admin port
        // restarts it): what the engine counted then must still be on the first scrape.
        var events = new GatewayEvents();
        using var metrics = new GatewayMetrics(events, _ => _snapshot);
        events.Publish(new IkeSaInitSent { Phase1 = "to-branch", DhGroup = 20 });
        events.Publish(new IkeSaInitAnswered { Phase1 = "to-branch", Proposal = "aes256gcm-prfsha384", DhGroup = 20 });

        await using (var first = await WebTestHost.StartAsync(metrics: metrics))
        {
            using var api = first.Api();
            var text = await ScrapeAsync(api);
            Assert.Contains("sharpswan_ike_negotiations_started_total{phase1=\"to-branch\",role=\"initiator\"} 1\n", text, StringComparison.Ordinal);
            Assert.Contains("sharpswan_ike_negotiations_started_total{phase1=\"to-branch\",role=\"responder\"} 1\n", text, StringComparison.Ordinal);
        }

        events.Publish(new IkeSaInitSent { Phase1 = "to-branch", DhGroup = 20 });
        await using var second = await WebTestHost.StartAsync(metrics: metrics);
        using var again = second.Api();
        Assert.Contains("sharpswan_ike_negotiations_started_total{phase1=\"to-branch\",role=\"initiator\"} 2\n", await ScrapeAsync(again), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutMetrics_ThereIsNoMetricsEndpoint()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(new Uri("/metrics", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task SystemStatus_HasTheShapeFortigateExporterReads()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        var response = await api.GetAsync(new Uri("/api/v2/monitor/system/status", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        Assert.Equal("success", body["status"]!.GetValue<string>());
        Assert.Equal("system", body["path"]!.GetValue<string>());
        Assert.Equal("status", body["name"]!.GetValue<string>());
        Assert.Equal("root", body["vdom"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(body["serial"]!.GetValue<string>()));
        Assert.Matches(@"^v\d+\.\d+\.\d+$", body["version"]!.GetValue<string>());
        _ = body["build"]!.GetValue<int>();
        Assert.Equal("hq-gw", body["results"]!["hostname"]!.GetValue<string>());
        Assert.NotNull(body["results"]!["model"]);

        using var anonymous = host.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri("/api/v2/monitor/system/status", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task IpsecMonitor_WithVdomStar_IsAnArrayOfVdomEnvelopes()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        var text = await api.GetStringAsync(new Uri("/api/v2/monitor/vpn/ipsec?vdom=*", UriKind.Relative));
        var array = JsonNode.Parse(text)!.AsArray();

        var envelope = Assert.Single(array)!.AsObject();
        Assert.Equal("root", envelope["vdom"]!.GetValue<string>());
        Assert.Equal("success", envelope["status"]!.GetValue<string>());
        Assert.Contains(envelope["results"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "to-branch");
    }

    private static async Task<string> ScrapeAsync(HttpClient api)
    {
        var response = await api.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        return await response.Content.ReadAsStringAsync();
    }
}
