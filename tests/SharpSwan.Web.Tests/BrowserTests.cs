using Microsoft.Playwright;
using SharpSwan.Config;
using SharpSwan.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SharpSwan.Web.Tests;

/// <summary>
/// The GUI in a real browser (headless Chromium): log in, create a tunnel with Auto-negotiate and Keep Alive, see field
/// errors, watch the monitor update without a reload, bring selectors up and down, read the timeline, log out.
/// Each page's screenshot is kept in .test-output/screenshots. The gateway is a fake; the pages and script are real.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task LogIn_CreateATunnelWithAutoNegotiateAndKeepAlive_SeeItInTheConfiguration()
    {
        await using var host = await WebTestHost.StartAsync();
        var page = await LoggedInPage(host, screenshotLogin: true);

        await Expect(page.Locator("#tunnels tr[data-tunnel=\"to-branch\"]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "ipsec-tunnels");

        await page.ClickAsync("#create-new");
        await page.FillAsync("#p1-name", "to-lab");
        await page.FillAsync("#p1-remote-gw", "192.0.2.50");
        await page.FillAsync("#p1-interface", "eth0");
        await page.FillAsync("#p1-psksecret", "lab-secret-psk");
        await page.FillAsync("#p2-0-name", "to-lab-p2");
        await page.FillAsync("#p2-0-local", "10.1.0.0/24");
        await page.FillAsync("#p2-0-remote", "10.50.0.0/16");
        await page.ClickAsync("#p2-0-advanced summary");
        await page.FillAsync("#p2-0-keylifeseconds", "3600");

        var keepAlive = page.Locator("#p2-0-keepalive");
        var autoNegotiate = page.Locator("#p2-0-auto-negotiate");
        await keepAlive.CheckAsync();
        await Expect(page.Locator("#p2-0-keepalive-implied")).ToBeHiddenAsync();
        await autoNegotiate.CheckAsync();

        // Auto-negotiate implies Keep Alive: shown ticked, locked, and labelled so.
        await Expect(keepAlive).ToBeCheckedAsync();
        await Expect(keepAlive).ToBeDisabledAsync();
        await Expect(page.Locator("#p2-0-keepalive-implied")).ToBeVisibleAsync();
        await Expect(page.Locator("#p2-0-keepalive-implied")).ToHaveTextAsync("Implied by Auto-negotiate");
        await BrowserFixture.ScreenshotAsync(page, "edit-tunnel");

        await page.ClickAsync("#save");
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Tunnel to-lab saved and applied.");
        await Expect(page.Locator("#tunnels tr[data-tunnel=\"to-lab\"] .selectors")).ToHaveTextAsync("0/1");

        // The saved configuration is what `show vpn ipsec phase2-interface` prints.
        var phase2 = host.Applier.Current.Phase2.Single(p => p.Name == "to-lab-p2");
        Assert.True(phase2.AutoNegotiate);
        Assert.True(phase2.Keepalive);
        Assert.Equal(3600, phase2.KeyLifeSeconds);
        var show = ConfigurationWriter.Write(host.Applier.Current, fullConfiguration: false);
        Assert.Contains("edit \"to-lab-p2\"", show, StringComparison.Ordinal);
        Assert.Contains("set auto-negotiate enable", show, StringComparison.Ordinal);
        Assert.Contains("set keepalive enable", show, StringComparison.Ordinal);
        Assert.Equal(show, host.Persistence.Saved[^1]);
    }

    [Fact]
    public async Task FieldErrors_AppearNextToTheField_WithTheCliWording()
    {
        await using var host = await WebTestHost.StartAsync();
        var page = await LoggedInPage(host);
        await page.GotoAsync(new Uri(host.BaseAddress, "/ipsec/tunnels/to-branch/edit").ToString());
        await page.ClickAsync("#p2-0-advanced summary");
        await page.FillAsync("#p2-0-keylifeseconds", "100");
        await page.FillAsync("#p1-remote-gw", "300.1.1.1");
        await page.ClickAsync("#save");

        // The error is inside the Advanced section, which opens to show it.
        var lifetimeError = page.Locator(".field.keylife-seconds .field-error");
        await Expect(lifetimeError).ToBeVisibleAsync();
        await Expect(lifetimeError.Locator(".cli")).ToHaveTextAsync("value parse error before '100'");
        await Expect(lifetimeError.Locator(".reason")).ToHaveTextAsync("keylifeseconds must be 120-172800");
        await Expect(page.Locator(".field.static-only .field-error .cli")).ToHaveTextAsync("value parse error before '300.1.1.1'");
        await Expect(page.Locator("#error-summary")).ToContainTextAsync("The tunnel was not saved: 2 error(s).");
        await page.Locator("#p2-0-keylifeseconds").ScrollIntoViewIfNeededAsync();
        await BrowserFixture.ScreenshotAsync(page, "edit-tunnel-errors");
        Assert.Equal(43200, host.Applier.Current.Phase2.Single(p => p.Name == "to-branch-p2").KeyLifeSeconds);
    }

    [Fact]
    public async Task DialUp_DisablesAutoNegotiateWithTheReason()
    {
        await using var host = await WebTestHost.StartAsync();
        var page = await LoggedInPage(host);
        await page.ClickAsync("#create-new");
        await page.ClickAsync("#p2-0-advanced summary");
        await page.Locator("#p2-0-auto-negotiate").CheckAsync();
        await page.SelectOptionAsync("#p1-type", "dynamic");

        await Expect(page.Locator("#p2-0-auto-negotiate")).ToBeDisabledAsync();
        await Expect(page.Locator("#p2-0-auto-negotiate")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("#p2-0-auto-negotiate-reason")).ToBeVisibleAsync();
        await Expect(page.Locator("#p2-0-auto-negotiate-reason")).ToContainTextAsync("dial-up (type dynamic) phase 1");
        await Expect(page.Locator("#p1-remote-gw")).ToBeHiddenAsync();
        await BrowserFixture.ScreenshotAsync(page, "edit-tunnel-dialup");

        await page.SelectOptionAsync("#p1-type", "static");
        await Expect(page.Locator("#p2-0-auto-negotiate")).ToBeEnabledAsync();
    }

    [Fact]
    public async Task Ikev1DialUp_XauthServerFieldsAppearAndAreSaved()
    {
        await using var host = await WebTestHost.StartAsync(configuration: XauthWebConfig.Configuration);
        var page = await LoggedInPage(host);
        await page.GotoAsync(new Uri(host.BaseAddress, "/ipsec/tunnels/rw/edit").ToString());
        await Expect(page.Locator("#p1-xauthtype")).ToBeVisibleAsync();
        await Expect(page.Locator("#p1-authusrgrp")).ToBeHiddenAsync();

        // The server's group on a dial-up phase 1; the client's user name and password stay hidden.
        await page.SelectOptionAsync("#p1-xauthtype", "auto");
        await Expect(page.Locator("#p1-authusrgrp")).ToBeVisibleAsync();
        await Expect(page.Locator("#p1-authusr")).ToBeHiddenAsync();
        await page.FillAsync("#p1-authusrgrp", "vpn-users");
        await BrowserFixture.ScreenshotAsync(page, "edit-tunnel-xauth");
        await page.ClickAsync("#save");
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Tunnel rw saved and applied.");

        var phase1 = host.Applier.Current.FindPhase1("rw")!;
        Assert.Equal(XauthType.Auto, phase1.XauthType);
        Assert.Equal("vpn-users", phase1.AuthUserGroup);
        Assert.Contains("set xauthtype auto", host.Persistence.Saved[^1], StringComparison.Ordinal);
        Assert.Contains("set authusrgrp \"vpn-users\"", host.Persistence.Saved[^1], StringComparison.Ordinal);

        // IKE version 2 hides the IKEv1-only fields.
        await page.GotoAsync(new Uri(host.BaseAddress, "/ipsec/tunnels/rw/edit").ToString());
        await page.SelectOptionAsync("#p1-ike-version", "2");
        await Expect(page.Locator("#p1-xauthtype")).ToBeHiddenAsync();
        await Expect(page.Locator("#p1-authusrgrp")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Monitor_BringUpAndBringDown_UpdateWithoutReload()
    {
        await using var host = await WebTestHost.StartAsync();
        var page = await LoggedInPage(host);
        await page.ClickAsync("nav a[href=\"/ipsec/monitor\"]");
        var selectorRow = page.Locator("#monitor tr.selector[data-selector=\"to-branch-p2\"]");
        await Expect(selectorRow.Locator(".status")).ToHaveTextAsync("Down");

        // A marker on the window survives only if the page is never reloaded.
        await page.EvaluateAsync("() => { window.sharpswanMarker = 'same page'; }");
        await selectorRow.Locator("button.bring-up").ClickAsync();
        await Expect(selectorRow.Locator(".status")).ToHaveTextAsync("Up");
        await Expect(page.Locator("#monitor tr.tunnel[data-tunnel=\"to-branch\"] .status")).ToHaveTextAsync("Up");
        await Expect(selectorRow.Locator(".countdown.lifetime")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+:\d\d:\d\d$"));
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("Bring Up: to-branch-p2 done");
        Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.sharpswanMarker"));
        await BrowserFixture.ScreenshotAsync(page, "ipsec-monitor");

        // A change the page did not make (the peer, a rekey...) arrives by polling alone.
        await host.Monitor.BringDownAsync("to-branch", "to-branch-p2", CancellationToken.None);
        await Expect(selectorRow.Locator(".status")).ToHaveTextAsync("Down");
        await host.Monitor.BringUpAsync("to-branch", "to-branch-p2", CancellationToken.None);
        await Expect(selectorRow.Locator(".status")).ToHaveTextAsync("Up");

        await page.Locator("#monitor tr.tunnel[data-tunnel=\"to-branch\"] button.bring-down").ClickAsync();
        await Expect(selectorRow.Locator(".status")).ToHaveTextAsync("Down");
        Assert.Equal("same page", await page.EvaluateAsync<string>("() => window.sharpswanMarker"));
        Assert.Equal(["up to-branch to-branch-p2", "down to-branch to-branch-p2", "up to-branch to-branch-p2", "down to-branch *"], host.Monitor.Actions);
    }

    [Fact]
    public async Task Timeline_ShowsTheTunnelsEvents()
    {
        await using var host = await WebTestHost.StartAsync();
        // Real engines over the last five hours: up, two rekeys by the peer, a refused rekey, the last SA expiring.
        using (var scenario = new TimelineScenario(host.Timeline, "to-branch", "to-branch-p2", TimeSpan.FromHours(1), DateTimeOffset.UtcNow.AddHours(-5)))
        {
            scenario.BringUp();
            scenario.Wait(TimeSpan.FromMinutes(40));
            scenario.PeerRekeys();
            scenario.Wait(TimeSpan.FromMinutes(40));
            scenario.PeerRekeys();
            scenario.Wait(TimeSpan.FromMinutes(40));
            scenario.RekeyIsRefused();
            scenario.Wait(TimeSpan.FromMinutes(25));
        }

        var page = await LoggedInPage(host);
        await page.GotoAsync(new Uri(host.BaseAddress, "/ipsec/timeline/to-branch").ToString());
        await Expect(page.Locator("#timeline-chart circle.ev-rekey")).ToHaveCountAsync(2);
        await Expect(page.Locator("#timeline-chart circle.ev-install")).ToHaveCountAsync(1);
        await Expect(page.Locator("#timeline-chart circle.ev-failure")).ToHaveCountAsync(1);
        await Expect(page.Locator("#timeline-chart circle.ev-expiry")).ToHaveCountAsync(1);
        // IKE up, install, two rekeys, the failure, the expiry and the selector going down with its last SA.
        await Expect(page.Locator("#timeline-events tr.event-row")).ToHaveCountAsync(7);
        await BrowserFixture.ScreenshotAsync(page, "timeline");
    }

    [Fact]
    public async Task DeleteFromTheList_AndLogOut()
    {
        await using var host = await WebTestHost.StartAsync();
        var page = await LoggedInPage(host);
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await page.Locator("#tunnels tr[data-tunnel=\"to-branch\"] button.danger").ClickAsync();
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Tunnel to-branch deleted.");
        await Expect(page.Locator("#tunnels tr[data-tunnel=\"to-branch\"]")).ToHaveCountAsync(0);
        Assert.Null(host.Applier.Current.FindPhase1("to-branch"));

        await page.ClickAsync("#logout");
        await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "/ipsec/monitor").ToString());
        await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task WrongPassword_ShowsTheError()
    {
        await using var host = await WebTestHost.StartAsync();
        var context = await fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(host.BaseAddress, "/login").ToString());
        await page.FillAsync("#username", WebTestHost.AdminUser);
        await page.FillAsync("#secretkey", "not the password");
        await page.ClickAsync("#login");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("Authentication failure: wrong user name or password.");
        await context.CloseAsync();
    }

    private async Task<IPage> LoggedInPage(WebTestHost host, bool screenshotLogin = false)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseAddress.ToString());
        await Expect(page.Locator("#login-form")).ToBeVisibleAsync();
        if (screenshotLogin)
        {
            await BrowserFixture.ScreenshotAsync(page, "login");
        }

        await BrowserFixture.LogInAsync(page);
        return page;
    }
}
