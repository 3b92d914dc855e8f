using System.Net;
using Microsoft.Extensions.Time.Testing;
using SharpSwan.Config;
using SharpSwan.Web.Hosting;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>
/// Issue 11 item 12 through the HTTP API: password hashing and its upgrade, escalating lock-out per source and per
/// account, sessions ended by admin changes, access profiles, the HTTPS redirect target and the login form's CSRF token.
/// </summary>
public sealed class WebHardeningTests
{
    private const string Phase1Url = "/api/v2/cmdb/vpn.ipsec/phase1-interface";
    private const string RoutesUrl = "/api/v2/cmdb/router/static";

    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task OldPasswordHash_IsUpgradedOnTheNextLogin_AndThatSessionStaysValid()
    {
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration);
        Assert.Equal(100_000, host.Applier.Current.Admins.Single(a => a.Name == "legacy").Password!.Iterations);

        var (client, _) = await host.LoginAsync("legacy", HardeningConfig.LegacyPassword);
        using (client)
        {
            var upgraded = host.Applier.Current.Admins.Single(a => a.Name == "legacy").Password!;
            Assert.Equal(600_000, upgraded.Iterations);
            Assert.True(upgraded.Verify(HardeningConfig.LegacyPassword));
            Assert.Contains(upgraded.ToConfigString(), host.Persistence.Saved[^1], StringComparison.Ordinal);

            using var page = await client.GetAsync("/ipsec/tunnels");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }

        // A hash already at 600,000 rounds is left alone: logging in changes nothing.
        var saves = host.Persistence.Saved.Count;
        var (again, _) = await host.LoginAsync("legacy", HardeningConfig.LegacyPassword);
        again.Dispose();
        Assert.Equal(saves, host.Persistence.Saved.Count);
    }

    [Fact]
    public async Task WrongPassword_DoesNotUpgradeTheHash()
    {
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration);
        using var client = host.Anonymous(new CookieContainer());
        using var refused = await WebTestHost.PostLoginAsync(client, "legacy", "not-the-password");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(host.Applier.Applied);
        Assert.Equal(100_000, host.Applier.Current.Admins.Single(a => a.Name == "legacy").Password!.Iterations);
    }

    [Fact]
    public async Task SourceLockout_DoublesEachTime()
    {
        var time = new FakeTimeProvider(Start);
        await using var host = await WebTestHost.StartAsync(time);
        using var client = host.Anonymous(new CookieContainer());

        await FailThreeTimes(client);
        time.Advance(TimeSpan.FromSeconds(61));
        await FailThreeTimes(client);

        // The second lock-out lasts 120 s: still locked after 61 s, open after 121 s.
        time.Advance(TimeSpan.FromSeconds(61));
        using (var stillLocked = await WebTestHost.PostLoginAsync(client, WebTestHost.AdminUser, WebTestHost.AdminPassword))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, stillLocked.StatusCode);
            Assert.Contains("locked out", await stillLocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        time.Advance(TimeSpan.FromSeconds(60));
        using var open = await WebTestHost.PostLoginAsync(client, WebTestHost.AdminUser, WebTestHost.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
    }

    [Fact]
    public async Task AccountLockout_CountsFailuresFromEverySource_AndSparesOtherAccounts()
    {
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration);

        // Three failures from each of three addresses: each address is locked, and so is the account (9 = 3 x threshold).
        for (var source = 2; source <= 4; source++)
        {
            using var attacker = HardeningConfig.ClientFrom(host, IPAddress.Parse($"127.0.0.{source}"));
            await FailThreeTimes(attacker);
        }

        using var fresh = HardeningConfig.ClientFrom(host, IPAddress.Parse("127.0.0.5"));
        using (var refused = await WebTestHost.PostLoginAsync(fresh, WebTestHost.AdminUser, WebTestHost.AdminPassword))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("locked out", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var other = await WebTestHost.PostLoginAsync(fresh, "reader", HardeningConfig.ReaderPassword);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
    }

    [Fact]
    public async Task PasswordChange_EndsTheAdminsSessions_ForPagesAndApi()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, _) = await host.LoginAsync();
        using (client)
        {
            var current = host.Applier.Current;
            var changed = current.Admins.Select(a => a with { Password = PasswordHash.Create("a-brand-new-password", 1000) }).ToArray();
            await host.Applier.ApplyAsync(current with { Admins = [.. changed] }, TestAuthors.Test, CancellationToken.None);

            using var api = await client.GetAsync("/api/v2/monitor/vpn/ipsec");
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
            using var page = await client.GetAsync("/ipsec/tunnels");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
            Assert.Equal("/login", page.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task ProfileChange_EndsTheSession_WhileAnUnrelatedChangeDoesNot()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            // A tunnel edit re-reads the whole configuration: the admin entry is equal, so the session lives on.
            using var delete = await client.PostAsync("/ipsec/tunnels/dialup/delete", WebTestHost.Form(("csrf_token", csrf)));
            Assert.Equal(HttpStatusCode.Redirect, delete.StatusCode);
            using var stillIn = await client.GetAsync("/ipsec/tunnels");
            Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);

            var current = host.Applier.Current;
            var demoted = current.Admins.Select(a => a with { OtherSettings = [new ConfigSetting("accprofile", ["super_admin_readonly"], 0)] }).ToArray();
            await host.Applier.ApplyAsync(current with { Admins = [.. demoted] }, TestAuthors.Test, CancellationToken.None);
            using var after = await client.GetAsync("/ipsec/tunnels");
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        }
    }

    [Fact]
    public async Task ReadOnlyApiUser_ReadsButChangesNothing()
    {
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration);
        using var api = host.Api(HardeningConfig.ReadOnlyKey);

        using var read = await api.GetAsync(Phase1Url);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var routes = await api.GetAsync(RoutesUrl);
        Assert.Equal(HttpStatusCode.OK, routes.StatusCode);

        using var delete = await api.DeleteAsync($"{Phase1Url}/to-branch");
        using var put = await api.PutAsync($"{Phase1Url}/to-branch", WebTestHost.Json("""{"remote-gw": "198.51.100.9"}"""));
        using var post = await api.PostAsync(RoutesUrl, WebTestHost.Json("""{"seq-num": 7, "dst": "10.9.0.0 255.255.255.0", "device": "to-branch"}"""));
        using var up = await api.PostAsync("/api/v2/monitor/vpn/ipsec/tunnel_up", WebTestHost.Json("""{"phase1_name": "to-branch"}"""));
        foreach (var refused in new[] { delete, put, post, up })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal(-37, (int?)(await WebTestHost.JsonOf(refused))["error"]);
        }

        Assert.Empty(host.Applier.Applied);
        Assert.Empty(host.Monitor.Actions);
    }

    [Fact]
    public async Task CustomProfile_IsEnforcedGroupByGroup()
    {
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration);
        using var api = host.Api(HardeningConfig.WatcherKey);

        using var vpnRead = await api.GetAsync(Phase1Url);
        Assert.Equal(HttpStatusCode.OK, vpnRead.StatusCode);
        using var vpnWrite = await api.DeleteAsync($"{Phase1Url}/to-branch");
        Assert.Equal(HttpStatusCode.Forbidden, vpnWrite.StatusCode);
        using var routeRead = await api.GetAsync(RoutesUrl);
        Assert.Equal(HttpStatusCode.Forbidden, routeRead.StatusCode);
        Assert.Empty(host.Applier.Applied);

        // fwgrp read-write: a firewall address may be created.
        using var address = await api.PostAsync("/api/v2/cmdb/firewall/address", WebTestHost.Json("""{"name": "lab", "subnet": "10.77.0.0 255.255.0.0"}"""));
        Assert.Equal(HttpStatusCode.OK, address.StatusCode);
        Assert.Contains(host.Applier.Current.FirewallAddresses, a => a.Name == "lab");
    }

    [Fact]
    public async Task ReadOnlyAdmin_CannotChangeThroughGuiFormsOrSessionApi()
    {
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration);
        var (client, csrf) = await host.LoginAsync("reader", HardeningConfig.ReaderPassword);
        using (client)
        {
            var list = await client.GetStringAsync("/ipsec/tunnels");
            Assert.DoesNotContain("id=\"create-new\"", list, StringComparison.Ordinal);
            Assert.DoesNotContain("/delete\"", list, StringComparison.Ordinal);

            using var delete = await client.PostAsync("/ipsec/tunnels/to-branch/delete", WebTestHost.Form(("csrf_token", csrf)));
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
            using var create = await client.PostAsync("/ipsec/tunnels/new", WebTestHost.Form(("csrf_token", csrf), ("p1.name", "sneaky")));
            Assert.Equal(HttpStatusCode.Forbidden, create.StatusCode);

            using var request = new HttpRequestMessage(HttpMethod.Delete, $"{Phase1Url}/to-branch");
            request.Headers.Add("X-CSRFTOKEN", csrf);
            using var apiDelete = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, apiDelete.StatusCode);

            Assert.Empty(host.Applier.Applied);
            Assert.NotNull(host.Applier.Current.FindPhase1("to-branch"));
        }
    }

    [Fact]
    public async Task LoginWithoutTheFormToken_IsRefusedBeforeThePasswordIsChecked()
    {
        await using var host = await WebTestHost.StartAsync();
        using var client = host.Anonymous(new CookieContainer());

        using var bare = await client.PostAsync("/logincheck", WebTestHost.Form(("username", WebTestHost.AdminUser), ("secretkey", WebTestHost.AdminPassword)));
        Assert.Equal(HttpStatusCode.Forbidden, bare.StatusCode);
        Assert.DoesNotContain(bare.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies : [], c => c.StartsWith("sharpswan_session=", StringComparison.Ordinal));

        // A token from another browser's login page does not match this browser's cookie.
        using var otherBrowser = host.Anonymous(new CookieContainer());
        var foreignToken = WebTestHost.LoginTokenOf(await otherBrowser.GetStringAsync("/login"));
        await client.GetStringAsync("/login");
        using var foreign = await client.PostAsync("/logincheck", WebTestHost.Form(("username", WebTestHost.AdminUser), ("secretkey", WebTestHost.AdminPassword), ("login_token", foreignToken)));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);

        using var proper = await WebTestHost.PostLoginAsync(client, WebTestHost.AdminUser, WebTestHost.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, proper.StatusCode);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task HttpRedirect_GoesToTheConfiguredAddress_NotTheHostHeader()
    {
        var directory = Directory.CreateTempSubdirectory("sharpswan-redirect-");
        try
        {
            await using var server = await StartBothAsync(Path.Combine(directory.FullName, "admin.pfx"));
            var http = server.Addresses.Single(a => a.Scheme == Uri.UriSchemeHttp);
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = http };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/login?x=1");
            request.Headers.Host = "evil.example";
            using var response = await client.SendAsync(request);

            Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
            Assert.Equal(new Uri($"https://127.0.0.1:{server.BaseAddress.Port}/login?x=1"), response.Headers.Location);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    internal static async Task<AdminWebServer> StartBothAsync(string certificatePath)
    {
        var applier = new FakeConfigurationApplier(WebTestHost.Parse("config system global\n    set hostname \"tls\"\nend\n"));
        var options = new AdminWebOptions { HttpsPort = 0, HttpPort = 0, CertificatePath = certificatePath };
        return await AdminWebServer.StartAsync(
            options,
            new AdminWebServices(applier, new FakeTunnelMonitor(applier, TimeProvider.System), new RecordingPersistence(), new Monitoring.TunnelTimeline()));
    }

    private static async Task FailThreeTimes(HttpClient client)
    {
        await FailTwice(client);
        using var third = await WebTestHost.PostLoginAsync(client, WebTestHost.AdminUser, "wrong-3");
        Assert.Contains("locked out", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task FailTwice(HttpClient client)
    {
        for (var i = 0; i < 2; i++)
        {
            using var wrong = await WebTestHost.PostLoginAsync(client, WebTestHost.AdminUser, $"wrong-{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.DoesNotContain("locked out", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
