using System.Net;
using Microsoft.Extensions.Time.Testing;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

public sealed class MonitorApiTests
{
    private const string MonitorUrl = "/api/v2/monitor/vpn/ipsec";

    [Fact]
    public async Task Get_ListsTunnelsAndSelectorsInTheFortiOsShape()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var response = await api.GetAsync(MonitorUrl);
        var body = await WebTestHost.JsonOf(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("vpn", (string?)body["path"]);
        Assert.Equal("ipsec", (string?)body["name"]);
        var branch = body["results"]!.AsArray().Single(t => (string?)t!["name"] == "to-branch")!;
        Assert.Equal("198.51.100.2", (string?)branch["rgwy"]);
        Assert.Equal("automatic", (string?)branch["type"]);
        Assert.Equal("down", (string?)branch["status"]);
        var proxy = branch["proxyid"]!.AsArray().Single()!;
        Assert.Equal("to-branch-p2", (string?)proxy["p2name"]);
        Assert.Equal("down", (string?)proxy["status"]);
        Assert.Equal("10.1.0.0/255.255.255.0", (string?)proxy["proxy_src"]![0]!["subnet"]);
        Assert.Equal("10.2.0.0/255.255.255.0", (string?)proxy["proxy_dst"]![0]!["subnet"]);
        Assert.Null(proxy["expire"]);
        Assert.Equal("dialup", (string?)body["results"]!.AsArray().Single(t => (string?)t!["name"] == "dialup")!["type"]);
    }

    [Fact]
    public async Task TunnelUp_ThenTheSelectorIsUpWithItsLifetimes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await WebTestHost.StartAsync(time);
        using var api = host.Api();
        using var up = await api.PostAsync($"{MonitorUrl}/tunnel_up", WebTestHost.Json("""{"phase1_name": "to-branch", "phase2_name": "to-branch-p2"}"""));
        var answer = await WebTestHost.JsonOf(up);
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
        Assert.Equal("tunnel_up", (string?)answer["action"]);
        Assert.Equal(["up to-branch to-branch-p2"], host.Monitor.Actions);

        time.Advance(TimeSpan.FromSeconds(100));
        var branch = (await WebTestHost.JsonOf(await api.GetAsync(MonitorUrl)))["results"]!.AsArray().Single(t => (string?)t!["name"] == "to-branch")!;
        var proxy = branch["proxyid"]![0]!;
        Assert.Equal("up", (string?)branch["status"]);
        Assert.Equal("up", (string?)proxy["status"]);
        Assert.Equal(43200 - 100, (long?)proxy["hard_expire"]);
        Assert.Equal(43200 - 300 - 100, (long?)proxy["expire"]);
        Assert.Equal(43200, (long?)proxy["keylife"]);
        Assert.Equal("c0ffee00", (string?)proxy["spi_in"]);
        Assert.Equal(123_456, (long?)branch["incoming_bytes"]);
    }

    [Fact]
    public async Task TunnelDownAndResetStats_ReachTheMonitor_FortiOsArgumentNamesToo()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var down = await api.PostAsync($"{MonitorUrl}/tunnel_down", WebTestHost.Json("""{"p1name": "to-branch"}"""));
        using var reset = await api.PostAsync($"{MonitorUrl}/tunnel_reset_stats", WebTestHost.Json("""{"phase1_name": "to-branch"}"""));
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        Assert.Equal(["down to-branch *", "reset to-branch"], host.Monitor.Actions);
    }

    [Fact]
    public async Task BadActions_AreRefusedWithReasons()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();

        using var missing = await api.PostAsync($"{MonitorUrl}/tunnel_up", WebTestHost.Json("{}"));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("phase1_name is required", (string?)(await WebTestHost.JsonOf(missing))["message"]);

        using var unknown = await api.PostAsync($"{MonitorUrl}/tunnel_up", WebTestHost.Json("""{"phase1_name": "nope"}"""));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(-3, (int?)(await WebTestHost.JsonOf(unknown))["error"]);

        using var dialUp = await api.PostAsync($"{MonitorUrl}/tunnel_up", WebTestHost.Json("""{"phase1_name": "dialup"}"""));
        Assert.Equal(HttpStatusCode.InternalServerError, dialUp.StatusCode);
        Assert.Contains("dial-up", (string?)(await WebTestHost.JsonOf(dialUp))["message"], StringComparison.Ordinal);

        using var action = await api.PostAsync($"{MonitorUrl}/tunnel_sideways", WebTestHost.Json("""{"phase1_name": "to-branch"}"""));
        Assert.Equal(HttpStatusCode.NotFound, action.StatusCode);
    }
}
