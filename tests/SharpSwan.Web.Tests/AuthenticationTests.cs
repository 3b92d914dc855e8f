using System.Net;
using Microsoft.Extensions.Time.Testing;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

public sealed class AuthenticationTests
{
    private const string Phase1Url = "/api/v2/cmdb/vpn.ipsec/phase1-interface";

    [Fact]
    public async Task ApiWithoutToken_Is401()
    {
        await using var host = await WebTestHost.StartAsync();
        using var client = host.Anonymous();
        using var response = await client.GetAsync(Phase1Url);
        var body = await WebTestHost.JsonOf(response);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("error", (string?)body["status"]);
        Assert.Equal(401, (int?)body["http_status"]);
        Assert.Null(body["results"]);
    }

    [Fact]
    public async Task ApiWithWrongToken_Is401_AndChangesNothing()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api("not-the-right-key-at-all");
        using var response = await api.DeleteAsync($"{Phase1Url}/to-branch");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid API key", (string?)(await WebTestHost.JsonOf(response))["message"]);
        Assert.NotNull(host.Applier.Current.FindPhase1("to-branch"));
    }

    [Fact]
    public async Task TokenInTheUrl_IsRefusedEvenWhenValid()
    {
        await using var host = await WebTestHost.StartAsync();
        using var client = host.Anonymous();
        using var response = await client.GetAsync($"{Phase1Url}?access_token={WebTestHost.ApiKey}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("never in the URL", (string?)(await WebTestHost.JsonOf(response))["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepeatedWrongTokens_LockTheAddressOut_EvenForTheRightToken()
    {
        await using var host = await WebTestHost.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            using var wrong = host.Api($"wrong-key-number-{i}-xxxxxxxx");
            using var refused = await wrong.GetAsync(Phase1Url);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var api = host.Api();
        using var locked = await api.GetAsync(Phase1Url);
        Assert.Equal(HttpStatusCode.TooManyRequests, locked.StatusCode);
        Assert.Contains("locked out", (string?)(await WebTestHost.JsonOf(locked))["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_SetsAnHttpOnlySameSiteCookie_AndOpensTheGui()
    {
        await using var host = await WebTestHost.StartAsync();
        using var client = host.Anonymous(new CookieContainer());
        using var login = await WebTestHost.PostLoginAsync(client, WebTestHost.AdminUser, WebTestHost.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/ipsec/tunnels", login.Headers.Location?.OriginalString);
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("sharpswan_session=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        using var page = await client.GetAsync("/ipsec/tunnels");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("to-branch", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PagesWithoutASession_RedirectToLogin()
    {
        await using var host = await WebTestHost.StartAsync();
        using var client = host.Anonymous();
        foreach (var path in new[] { "/ipsec/tunnels", "/ipsec/monitor", "/ipsec/tunnels/to-branch/edit", "/ipsec/timeline/to-branch" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/login", response.Headers.Location?.OriginalString);
        }
    }

    [Fact]
    public async Task WrongPassword_IsRefused_AndRepeatedFailuresLockOutUntilTheDurationPasses()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await WebTestHost.StartAsync(time);
        using var client = host.Anonymous(new CookieContainer());

        using var first = await WebTestHost.PostLoginAsync(client, "admin", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Contains("Authentication failure", await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var unknownUser = await WebTestHost.PostLoginAsync(client, "nobody", "x");
        using var third = await WebTestHost.PostLoginAsync(client, "admin", "wrong again");
        Assert.Contains("locked out", await third.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var right = await WebTestHost.PostLoginAsync(client, "admin", WebTestHost.AdminPassword);
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("locked out", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // admin-lockout-duration defaults to 60 s.
        time.Advance(TimeSpan.FromSeconds(61));
        using var later = await WebTestHost.PostLoginAsync(client, "admin", WebTestHost.AdminPassword);
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }

    [Fact]
    public async Task ExpiredSession_IsRefusedByApiAndPages()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await WebTestHost.StartAsync(time);
        var (client, _) = await host.LoginAsync();
        using (client)
        {
            using var fresh = await client.GetAsync("/api/v2/monitor/vpn/ipsec");
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);

            // admintimeout defaults to 5 minutes of inactivity.
            time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
            using var expired = await client.GetAsync("/api/v2/monitor/vpn/ipsec");
            Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
            Assert.Contains("session expired", (string?)(await WebTestHost.JsonOf(expired))["message"], StringComparison.Ordinal);

            using var page = await client.GetAsync("/ipsec/tunnels");
            Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        }
    }

    [Fact]
    public async Task ActivityKeepsTheSessionAlive()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var host = await WebTestHost.StartAsync(time);
        var (client, _) = await host.LoginAsync();
        using (client)
        {
            for (var i = 0; i < 3; i++)
            {
                time.Advance(TimeSpan.FromMinutes(4));
                using var response = await client.GetAsync("/api/v2/monitor/vpn/ipsec");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    [Fact]
    public async Task SessionApiChanges_NeedTheCsrfHeader()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var missing = await client.PostAsync("/api/v2/monitor/vpn/ipsec/tunnel_up", WebTestHost.Json("""{"phase1_name": "to-branch"}"""));
            Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
            Assert.Contains("CSRF", (string?)(await WebTestHost.JsonOf(missing))["message"], StringComparison.Ordinal);

            using var wrongRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v2/monitor/vpn/ipsec/tunnel_up") { Content = WebTestHost.Json("""{"phase1_name": "to-branch"}""") };
            wrongRequest.Headers.Add("X-CSRFTOKEN", "forged-token");
            using var wrong = await client.SendAsync(wrongRequest);
            Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
            Assert.Empty(host.Monitor.Actions);

            using var rightRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v2/monitor/vpn/ipsec/tunnel_up") { Content = WebTestHost.Json("""{"phase1_name": "to-branch"}""") };
            rightRequest.Headers.Add("X-CSRFTOKEN", csrf);
            using var right = await client.SendAsync(rightRequest);
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
            Assert.Equal(["up to-branch *"], host.Monitor.Actions);
        }
    }

    [Fact]
    public async Task GuiFormPostWithoutCsrfToken_IsRefusedAndChangesNothing()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, _) = await host.LoginAsync();
        using (client)
        {
            using var response = await client.PostAsync("/ipsec/tunnels/to-branch/delete", WebTestHost.Form(("csrf_token", "not-it")));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.NotNull(host.Applier.Current.FindPhase1("to-branch"));

            using var noToken = await client.PostAsync("/ipsec/tunnels/to-branch/delete", WebTestHost.Form());
            Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
            Assert.Empty(host.Applier.Applied);
        }
    }

    [Fact]
    public async Task Logout_EndsTheSession()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var logout = await client.PostAsync("/logout", WebTestHost.Form(("csrf_token", csrf)));
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
            Assert.Equal("/login", logout.Headers.Location?.OriginalString);

            using var after = await client.GetAsync("/api/v2/monitor/vpn/ipsec");
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        }
    }

    [Fact]
    public async Task LoginPostedFromAnotherSite_IsRefused()
    {
        await using var host = await WebTestHost.StartAsync();
        using var client = host.Anonymous(new CookieContainer());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/logincheck")
        {
            Content = WebTestHost.Form(("username", WebTestHost.AdminUser), ("secretkey", WebTestHost.AdminPassword)),
        };
        request.Headers.Add("Origin", "https://evil.example");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task DeletedAdmin_LosesTheirSession()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, _) = await host.LoginAsync();
        using (client)
        {
            await host.Applier.ApplyAsync(host.Applier.Current with { Admins = [] }, TestAuthors.Test, CancellationToken.None);
            using var response = await client.GetAsync("/api/v2/monitor/vpn/ipsec");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }
}
