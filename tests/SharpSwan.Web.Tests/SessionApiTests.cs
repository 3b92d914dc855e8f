using System.Net;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Platform;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>The REST form of `diagnose sys session filter` and `clear`: what reaches the session table, and who may.</summary>
public sealed class SessionApiTests
{
    private const string Url = "/api/v2/monitor/firewall/session";

    private static readonly ConnectionEntry Dns = new(17, 0x0a010005, 0xc000024d, 20000, 53, true, []);
    private static readonly ConnectionEntry Web = new(6, 0x0a010005, 0xc000024d, 40000, 443, true, []);

    [Fact]
    public async Task CloseAll_ClearsEverySession_AndCloseMultiple_OnlyWhatItsParametersMatch()
    {
        var cleared = new List<SessionFilter>();
        await using var host = await WebTestHost.StartAsync(clearSessions: filter =>
        {
            cleared.Add(filter);
            return 0;
        });
        using var api = host.Api();

        using var all = await api.PostAsync($"{Url}/close-all", null);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("close-all", (string?)(await WebTestHost.JsonOf(all))["action"]);
        Assert.True(Assert.Single(cleared).IsEmpty);

        // FortiOS's own example passes the parameters in the query string; a JSON body works too.
        using var some = await api.PostAsync($"{Url}/close-multiple?pro=udp&saddr=10.1.0.5&dport=53", null);
        Assert.Equal(HttpStatusCode.OK, some.StatusCode);
        Assert.True(cleared[1].Matches(Dns));
        Assert.False(cleared[1].Matches(Web));
        using var json = await api.PostAsync($"{Url}/close-multiple", WebTestHost.Json("""{"pro": "tcp", "dport": "443"}"""));
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.True(cleared[2].Matches(Web));
        Assert.False(cleared[2].Matches(Dns));
        using var byPolicy = await api.PostAsync($"{Url}/close-multiple?policyid=3", null);
        Assert.Equal(HttpStatusCode.OK, byPolicy.StatusCode);
        Assert.True(cleared[3].Matches(Web with { PolicyId = 3 }));
        Assert.False(cleared[3].Matches(Web with { PolicyId = 1 }));
    }

    [Fact]
    public async Task BadRequests_AreRefusedWithTheReason_AndClearNothing()
    {
        var cleared = 0;
        await using var host = await WebTestHost.StartAsync(clearSessions: _ => cleared++);
        using var api = host.Api();

        using var none = await api.PostAsync($"{Url}/close-multiple", null);
        Assert.Equal(HttpStatusCode.BadRequest, none.StatusCode);
        Assert.Contains("at least one of", (string?)(await WebTestHost.JsonOf(none))["message"], StringComparison.Ordinal);
        using var badPort = await api.PostAsync($"{Url}/close-multiple?dport=70000", null);
        Assert.Equal(HttpStatusCode.BadRequest, badPort.StatusCode);
        Assert.Contains("dport: '70000'", (string?)(await WebTestHost.JsonOf(badPort))["message"], StringComparison.Ordinal);
        using var policy = await api.PostAsync($"{Url}/close-multiple?pro=tcp&policyid=x", null);
        Assert.Equal(HttpStatusCode.BadRequest, policy.StatusCode);
        Assert.Contains("policyid: 'x' is not a policy id", (string?)(await WebTestHost.JsonOf(policy))["message"], StringComparison.Ordinal);
        using var other = await api.PostAsync($"{Url}/close-multiple?pro=tcp&srcintf=port1", null);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
        Assert.Contains("srcintf: not a filter", (string?)(await WebTestHost.JsonOf(other))["message"], StringComparison.Ordinal);
        using var withVdom = await api.PostAsync($"{Url}/close-multiple?vdom=root&pro=tcp", null);
        Assert.Equal(HttpStatusCode.OK, withVdom.StatusCode);
        Assert.Equal(1, cleared);
        cleared = 0;
        using var unknown = await api.PostAsync($"{Url}/close-everything", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(0, cleared);
    }

    [Fact]
    public async Task ClearingSessionsNeedsFwgrpReadWrite()
    {
        var cleared = 0;
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration, clearSessions: _ => cleared++);

        // auditor: read on every group.
        using var auditor = host.Api(HardeningConfig.ReadOnlyKey);
        using var refused = await auditor.PostAsync($"{Url}/close-all", null);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("fwgrp", (string?)(await WebTestHost.JsonOf(refused))["message"], StringComparison.Ordinal);
        Assert.Equal(0, cleared);

        // watcher: fwgrp read-write.
        using var watcher = host.Api(HardeningConfig.WatcherKey);
        using var allowed = await watcher.PostAsync($"{Url}/close-all", null);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(1, cleared);
    }

    [Fact]
    public async Task TheListGivesEachSessionsTuplePolicyAndNat_FilteredAndPaged()
    {
        var masqueraded = Dns with
        {
            Id = 0x07bea924,
            PolicyId = 1,
            ReplySource = 0xc000024d,
            ReplyDestination = 0xc6336401,
            ReplySourcePort = 53,
            ReplyDestinationPort = 61000,
            ExpiresInSeconds = 170,
            OriginalCounters = (2, 120),
            ReplyCounters = (2, 300),
        };
        var tunneled = Web with { PolicyId = 3, ReplySource = 0xc000024d, ReplyDestination = 0x0a010005, ReplySourcePort = 443, ReplyDestinationPort = 40000 };
        await using var host = await WebTestHost.StartAsync(listSessions: () => [masqueraded, tunneled]);
        using var api = host.Api();

        var all = await WebTestHost.JsonOf(await api.GetAsync(Url));
        Assert.Equal(2, (int?)all["results"]!["total"]);
        var first = all["results"]!["details"]![0]!;
        Assert.Equal(("udp", "10.1.0.5", 20000, "192.0.2.77", 53), ((string?)first["proto"], (string?)first["saddr"], (int?)first["sport"], (string?)first["daddr"], (int?)first["dport"]));
        Assert.Equal(("198.51.100.1", 61000, 1L, 170, "07bea924"), ((string?)first["snaddr"], (int?)first["snport"], (long?)first["policyid"], (int?)first["expiry"], (string?)first["serial"]));
        Assert.Equal((120UL, 300UL), ((ulong?)first["sentbyte"], (ulong?)first["rcvdbyte"]));
        var second = all["results"]!["details"]![1]!;
        Assert.Null(second["snaddr"]);
        Assert.Equal(3L, (long?)second["policyid"]);

        var byPolicy = await WebTestHost.JsonOf(await api.GetAsync($"{Url}?policyid=3"));
        Assert.Equal(1, (int?)byPolicy["results"]!["total"]);
        Assert.Equal("tcp", (string?)byPolicy["results"]!["details"]![0]!["proto"]);
        var paged = await WebTestHost.JsonOf(await api.GetAsync($"{Url}?start=1&count=1"));
        Assert.Equal((2, 1), ((int?)paged["results"]!["total"], ((System.Text.Json.Nodes.JsonArray)paged["results"]!["details"]!).Count));
        Assert.Equal(443, (int?)paged["results"]!["details"]![0]!["dport"]);

        using var badCount = await api.GetAsync($"{Url}?count=5000");
        Assert.Equal(HttpStatusCode.BadRequest, badCount.StatusCode);
        await using var without = await WebTestHost.StartAsync();
        using var none = await without.Api().GetAsync(Url);
        Assert.Equal(HttpStatusCode.NotImplemented, none.StatusCode);
    }

    [Fact]
    public async Task TheKernelsRefusalIsReported()
    {
        await using var host = await WebTestHost.StartAsync(clearSessions: _ => throw new NetlinkException("flush the connection tracking table", 1, "Operation not permitted"));
        using var api = host.Api();
        using var refused = await api.PostAsync($"{Url}/close-all", null);
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Contains("Operation not permitted", (string?)(await WebTestHost.JsonOf(refused))["message"], StringComparison.Ordinal);
    }
}
