using System.Net;
using System.Text.Json.Nodes;
using SharpSwan.Testing;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>
/// The REST monitor and the IPsec Monitor page over a real dial-up hub engine with two peers connecting and leaving:
/// each peer's instance is its own entry (parent, index, peer, identity, mode-cfg address) right after its template.
/// </summary>
public sealed class DialupMonitorApiTests
{
    private const string MonitorUrl = "/api/v2/monitor/vpn/ipsec";

    [Fact]
    public async Task Instances_AreListedUnderTheirTemplate_WithPeerIdentityAndAssignedAddress()
    {
        await using var rig = await DialupWebRig.StartAsync();
        using var api = rig.Api();
        var before = await ResultsAsync(api);
        var lonely = Assert.Single(before);
        Assert.Equal(("dialup", "dialup", 0), ((string?)lonely["name"], (string?)lonely["type"], (int?)lonely["instances"]));
        Assert.Null(lonely["parent"]);

        await rig.ConnectAsync(1, expectedInstances: 1);
        await rig.ConnectAsync(2, expectedInstances: 2);
        var results = await ResultsAsync(api);
        Assert.Equal(["dialup", "dialup_0", "dialup_1"], results.Select(r => (string?)r["name"]));

        var template = results[0];
        Assert.Equal(2, (int?)template["instances"]);
        Assert.Equal("0.0.0.0", (string?)template["rgwy"]);
        Assert.Equal("down", (string?)template["status"]);

        var first = results[1];
        Assert.Equal("dialup", (string?)first["type"]);
        Assert.Equal("dialup", (string?)first["parent"]);
        Assert.Equal(0, (int?)first["index"]);
        Assert.Equal(DialupWebRig.Client1Address, (string?)first["rgwy"]);
        Assert.Equal($"{DialupWebRig.Client1Address}:500", (string?)first["peer"]);
        Assert.Equal("client1.example", (string?)first["peer_id"]);
        Assert.Equal("10.10.10.1", (string?)first["assigned_ip"]);
        Assert.Equal(("up", "established", 1, 1), ((string?)first["status"], (string?)first["ike_status"], (int?)first["selectors_up"], (int?)first["selectors_total"]));
        var proxy = first["proxyid"]![0]!;
        Assert.Equal("up", (string?)proxy["status"]);
        Assert.Equal("10.1.0.0/255.255.255.0", (string?)proxy["proxy_src"]![0]!["subnet"]);
        Assert.Equal("10.10.10.1/255.255.255.255", (string?)proxy["proxy_dst"]![0]!["subnet"]);
        Assert.False((bool?)proxy["auto_negotiate"]);

        var second = results[2];
        Assert.Equal(("dialup", 1, "client2.example"), ((string?)second["parent"], (int?)second["index"], (string?)second["peer_id"]));
        Assert.Null(second["assigned_ip"]);
        Assert.Equal("10.2.0.0/255.255.255.0", (string?)second["proxyid"]![0]!["proxy_dst"]![0]!["subnet"]);

        // The page rendered on the server has the same rows: the template's peer count, then one row per instance.
        using var client = await LoginAsync(rig);
        var page = await client.GetStringAsync("/ipsec/monitor");
        Assert.Contains("<tr class=\"tunnel template\" data-tunnel=\"dialup\">", page, StringComparison.Ordinal);
        Assert.Contains(">2 peers</span>", page, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"tunnel instance\" data-tunnel=\"dialup_0\" data-parent=\"dialup\">", page, StringComparison.Ordinal);
        Assert.Contains("<span class=\"peer-id\">client1.example</span> <span class=\"assigned-ip muted\">10.10.10.1</span>", page, StringComparison.Ordinal);
        Assert.Contains($"<td class=\"remote\">{DialupWebRig.Client2Address}:500</td>", page, StringComparison.Ordinal);
        Assert.True(page.IndexOf("data-tunnel=\"dialup_0\"", StringComparison.Ordinal) < page.IndexOf("data-tunnel=\"dialup_1\"", StringComparison.Ordinal));

        // A peer that leaves is gone; the other keeps its entry.
        await rig.DisconnectAsync(2, remainingInstances: 1);
        var after = await ResultsAsync(api);
        Assert.Equal(["dialup", "dialup_0"], after.Select(r => (string?)r["name"]));
        Assert.Equal(1, (int?)after[0]["instances"]);
    }

    [Fact]
    public async Task BringDown_OnAnInstance_DisconnectsThatPeerOnly_AndBringUpIsRefused()
    {
        await using var rig = await DialupWebRig.StartAsync();
        await rig.ConnectAsync(1, expectedInstances: 1);
        await rig.ConnectAsync(2, expectedInstances: 2);
        using var api = rig.Api();

        using var up = await api.PostAsync($"{MonitorUrl}/tunnel_up", WebTestHost.Json("""{"phase1_name": "dialup_0"}"""));
        Assert.Equal(HttpStatusCode.InternalServerError, up.StatusCode);
        Assert.Contains("dial-up", (string?)(await WebTestHost.JsonOf(up))["message"], StringComparison.Ordinal);

        using var down = await api.PostAsync($"{MonitorUrl}/tunnel_down", WebTestHost.Json("""{"phase1_name": "dialup_0"}"""));
        Assert.Equal(HttpStatusCode.OK, down.StatusCode);
        await rig.WaitForInstancesAsync(1, withChildSa: true);
        var results = await ResultsAsync(api);
        Assert.Equal(["dialup", "dialup_1"], results.Select(r => (string?)r["name"]));
        Assert.Equal("client2.example", (string?)results[1]["peer_id"]);

        using var gone = await api.PostAsync($"{MonitorUrl}/tunnel_down", WebTestHost.Json("""{"phase1_name": "dialup_0"}"""));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // Bring Down on the template takes every remaining peer down.
        using var all = await api.PostAsync($"{MonitorUrl}/tunnel_down", WebTestHost.Json("""{"phase1_name": "dialup"}"""));
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        await rig.WaitForInstancesAsync(0, withChildSa: false);
        Assert.Equal(["dialup"], (await ResultsAsync(api)).Select(r => (string?)r["name"]));
    }

    [Fact]
    public async Task ResetStats_WithAnUnknownPhase2_IsNotFound_AndAKnownOneSucceeds()
    {
        await using var rig = await DialupWebRig.StartAsync();
        using var api = rig.Api();

        using var unknown = await api.PostAsync($"{MonitorUrl}/tunnel_reset_stats", WebTestHost.Json("""{"phase1_name": "dialup", "phase2_name": "nope"}"""));
        var error = await WebTestHost.JsonOf(unknown);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(-3, (int?)error["error"]);
        Assert.Equal("tunnel_reset_stats", (string?)error["action"]);

        using var known = await api.PostAsync($"{MonitorUrl}/tunnel_reset_stats", WebTestHost.Json($$"""{"phase1_name": "dialup", "phase2_name": "{{DialupTriangle.TemplatePhase2}}"}"""));
        Assert.Equal(HttpStatusCode.OK, known.StatusCode);
    }

    /// <summary>
    /// Reset statistics with traffic counted: each peer's SA has sealed real ESP packets (its data-plane counters), and
    /// its instance's tunnel counted them. Reset with the phase 2 named on one instance zeroes that instance's selector
    /// only (its tunnel total and the other peer's counters go on); on the template it resets every instance, totals included.
    /// </summary>
    [Fact]
    public async Task ResetStats_IsScopedToThePhase2AndTheInstance_AndOnTheTemplateResetsEveryInstance()
    {
        Assert.True(Environment.UserName == "root", "root is required: the rig's template gets a TUN device");
        await using var rig = await DialupWebRig.StartAsync(withDataPlane: true);
        using var api = rig.Api();
        await rig.ConnectAsync(1, expectedInstances: 1);
        await rig.ConnectAsync(2, expectedInstances: 2);
        await SendAsync(rig, "dialup_0", packets: 3);
        await SendAsync(rig, "dialup_1", packets: 5);

        var before = await ResultsAsync(api);
        var (first, second) = (Entry(before, "dialup_0"), Entry(before, "dialup_1"));
        Assert.True(Selector(first) > 0 && Total(first) > 0, $"the first peer's traffic is counted: {first.ToJsonString()}");
        Assert.True(Selector(second) > Selector(first), $"the second peer sent more: {second.ToJsonString()}");

        using var one = await api.PostAsync($"{MonitorUrl}/tunnel_reset_stats", WebTestHost.Json($$"""{"phase1_name": "dialup_0", "phase2_name": "{{DialupTriangle.TemplatePhase2}}"}"""));
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        var afterOne = await ResultsAsync(api);
        Assert.Equal(0, Selector(Entry(afterOne, "dialup_0")));
        Assert.Equal(Total(first), Total(Entry(afterOne, "dialup_0")));
        Assert.Equal((Selector(second), Total(second)), (Selector(Entry(afterOne, "dialup_1")), Total(Entry(afterOne, "dialup_1"))));

        using var all = await api.PostAsync($"{MonitorUrl}/tunnel_reset_stats", WebTestHost.Json("""{"phase1_name": "dialup"}"""));
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        var afterAll = await ResultsAsync(api);
        foreach (var instance in new[] { "dialup_0", "dialup_1" })
        {
            Assert.Equal((0L, 0L), (Selector(Entry(afterAll, instance)), Total(Entry(afterAll, instance))));
        }

        // Counting goes on from the reset.
        await SendAsync(rig, "dialup_1", packets: 1);
        Assert.True(Selector(Entry(await ResultsAsync(api), "dialup_1")) > 0);
    }

    /// <summary>
    /// <paramref name="packets"/> echo requests sealed by the instance's outbound SA (its data-plane counters), counted on the
    /// instance's tunnel as the TUN worker counts what it sends.
    /// </summary>
    private static Task SendAsync(DialupWebRig rig, string instance, int packets) => rig.InvokeAsync((engine, dataPlane) =>
    {
        var child = engine.Tunnels.Single(t => t.Name == instance).Current!.Children.Single();
        var sa = dataPlane.FindByInboundSpi(child.InboundSpi)!;
        var tunnel = dataPlane.FindTunnel(instance)!;
        var inner = new byte[84];
        inner[0] = 0x45;
        inner[3] = 84;
        inner[9] = 1;
        var sealedPacket = new byte[sa.Outbound.GetEncapsulatedLength(inner.Length)];
        for (var i = 0; i < packets; i++)
        {
            Assert.Equal(SharpSwan.Esp.EspResult.Ok, sa.Outbound.Encapsulate(inner, sealedPacket, out _));
            Interlocked.Increment(ref tunnel.TxPackets);
            Interlocked.Add(ref tunnel.TxBytes, inner.Length);
        }

        return true;
    });

    private static JsonNode Entry(List<JsonNode> results, string name) => results.Single(r => (string?)r["name"] == name);

    private static long Selector(JsonNode entry) => (long)entry["proxyid"]![0]!["outgoing_bytes"]!;

    private static long Total(JsonNode entry) => (long)entry["outgoing_bytes"]!;

    private static async Task<List<JsonNode>> ResultsAsync(HttpClient api)
    {
        using var response = await api.GetAsync(MonitorUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await WebTestHost.JsonOf(response))["results"]!.AsArray().Select(r => r!)];
    }

    private static async Task<HttpClient> LoginAsync(DialupWebRig rig)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = rig.BaseAddress };
        using var login = await WebTestHost.PostLoginAsync(client, WebTestHost.AdminUser, WebTestHost.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        return client;
    }
}
