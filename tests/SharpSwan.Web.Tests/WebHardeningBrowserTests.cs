using System.Net;
using Microsoft.Playwright;
using SharpSwan.Config;
using SharpSwan.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SharpSwan.Web.Tests;

/// <summary>
/// Issue 11 item 12 in a real browser (headless Chromium): a read-only admin sees no way to change tunnels and a forced
/// save is refused, an old hash is upgraded by a browser login, a password change logs the browser out, repeated failures
/// lock the browser out, a login without the page's token is refused, and plain HTTP lands on the configured HTTPS address.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class WebHardeningBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task ReadOnlyAdmin_SeesNoChangeControls_AndAForcedSaveIsRefused()
    {
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration);
        var (context, page) = await LogIn(host, "reader", HardeningConfig.ReaderPassword);

        await Expect(page.Locator("#read-only")).ToBeVisibleAsync();
        await Expect(page.Locator("#create-new")).ToHaveCountAsync(0);
        await Expect(page.Locator("#tunnels button.danger")).ToHaveCountAsync(0);

        // The edit page still opens for reading; saving it is refused by the server.
        await page.GotoAsync(new Uri(host.BaseAddress, "/ipsec/tunnels/to-branch/edit").ToString());
        await page.FillAsync("#p1-remote-gw", "192.0.2.99");
        await page.ClickAsync("#save");
        await Expect(page.Locator("#access-denied")).ToBeVisibleAsync();
        Assert.Empty(host.Applier.Applied);
        Assert.Equal(IPAddress.Parse("198.51.100.2"), host.Applier.Current.FindPhase1("to-branch")!.RemoteGateway);

        // The monitor's bring-up button goes through the REST API, which refuses it too.
        await page.GotoAsync(new Uri(host.BaseAddress, "/ipsec/monitor").ToString());
        var response = await page.EvaluateAsync<int>("""
            async () => (await fetch('/api/v2/monitor/vpn/ipsec/tunnel_up', {
                method: 'POST',
                headers: { 'Content-Type': 'application/json', 'X-CSRFTOKEN': document.querySelector('meta[name=csrf-token]').content },
                body: JSON.stringify({ phase1_name: 'to-branch' }) })).status
            """);
        Assert.Equal(403, response);
        Assert.Empty(host.Monitor.Actions);
        await context.CloseAsync();
    }

    [Fact]
    public async Task FullAdmin_StillSeesTheChangeControls()
    {
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration);
        var (context, page) = await LogIn(host, WebTestHost.AdminUser, WebTestHost.AdminPassword);
        await Expect(page.Locator("#create-new")).ToBeVisibleAsync();
        await Expect(page.Locator("#read-only")).ToHaveCountAsync(0);
        await context.CloseAsync();
    }

    [Fact]
    public async Task BrowserLogin_UpgradesAnOldHash()
    {
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration);
        var (context, _) = await LogIn(host, "legacy", HardeningConfig.LegacyPassword);
        var admin = host.Applier.Current.Admins.Single(a => a.Name == "legacy");
        Assert.Equal(PasswordHash.PasswordIterations, admin.Password!.Iterations);
        Assert.True(admin.Password.Verify(HardeningConfig.LegacyPassword));
        await context.CloseAsync();
    }

    [Fact]
    public async Task PasswordChange_LogsTheBrowserOut()
    {
        await using var host = await WebTestHost.StartAsync();
        var (context, page) = await LogIn(host, WebTestHost.AdminUser, WebTestHost.AdminPassword);

        var current = host.Applier.Current;
        await host.Applier.ApplyAsync(
            current with { Admins = [.. current.Admins.Select(a => a with { Password = PasswordHash.Create("changed-password", 1000) })] },
            TestAuthors.Test,
            CancellationToken.None);
        await page.ReloadAsync();
        await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task RepeatedFailures_LockTheBrowserOut_EvenForTheRightPassword()
    {
        await using var host = await WebTestHost.StartAsync();
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "/login").ToString());
        for (var i = 0; i < 3; i++)
        {
            await Submit(page, WebTestHost.AdminUser, $"wrong-{i}");
            await Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        }

        await Submit(page, WebTestHost.AdminUser, WebTestHost.AdminPassword);
        await Expect(page.Locator("#login-error")).ToContainTextAsync("locked out");
        await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task LoginForm_WithoutItsCookie_IsRefused()
    {
        await using var host = await WebTestHost.StartAsync();
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "/login").ToString());
        Assert.NotEmpty(await page.Locator("input[name=login_token]").GetAttributeAsync("value") ?? "");

        // As if the form had been copied to another site: the token is there, this browser's nonce cookie is not.
        await context.ClearCookiesAsync();
        await Submit(page, WebTestHost.AdminUser, WebTestHost.AdminPassword);
        await Expect(page.Locator("#login-error")).ToBeVisibleAsync();
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "sharpswan_session");

        // The refusal page carries a fresh token and cookie: logging in from it works.
        await Submit(page, WebTestHost.AdminUser, WebTestHost.AdminPassword);
        await Expect(page.Locator("h1")).ToHaveTextAsync("IPsec Tunnels");
        await context.CloseAsync();
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task PlainHttp_LandsOnTheConfiguredHttpsAddress()
    {
        var directory = Directory.CreateTempSubdirectory("sharpswan-redirect-");
        try
        {
            await using var server = await WebHardeningTests.StartBothAsync(Path.Combine(directory.FullName, "admin.pfx"));
            var http = server.Addresses.Single(a => a.Scheme == Uri.UriSchemeHttp);
            var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
            var page = await context.NewPageAsync();

            // "localhost" is what the browser asked for; the redirect names the configured address instead.
            await page.GotoAsync($"http://localhost:{http.Port}/login");
            Assert.Equal($"https://127.0.0.1:{server.BaseAddress.Port}/login", page.Url);
            await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
            await context.CloseAsync();
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private async Task<(IBrowserContext Context, IPage Page)> LogIn(WebTestHost host, string user, string password)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "/login").ToString());
        await Submit(page, user, password);
        await Expect(page.Locator("h1")).ToHaveTextAsync("IPsec Tunnels");
        return (context, page);
    }

    private static async Task Submit(IPage page, string user, string password)
    {
        await page.FillAsync("#username", user);
        await page.FillAsync("#secretkey", password);
        await page.ClickAsync("#login");
    }
}
