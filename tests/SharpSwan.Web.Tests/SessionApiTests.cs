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
        using var policy = await api.PostAsync($"{Url}/close-multiple?pro=tcp&policyid=3", null);
        Assert.Equal(HttpStatusCode.BadRequest, policy.StatusCode);
        Assert.Contains("policyid: not a filter", (string?)(await WebTestHost.JsonOf(policy))["message"], StringComparison.Ordinal);
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
    public async Task TheKernelsRefusalIsReported()
    {
        await using var host = await WebTestHost.StartAsync(clearSessions: _ => throw new NetlinkException("flush the connection tracking table", 1, "Operation not permitted"));
        using var api = host.Api();
        using var refused = await api.PostAsync($"{Url}/close-all", null);
        Assert.Equal(HttpStatusCode.InternalServerError, refused.StatusCode);
        Assert.Contains("Operation not permitted", (string?)(await WebTestHost.JsonOf(refused))["message"], StringComparison.Ordinal);
    }
}
