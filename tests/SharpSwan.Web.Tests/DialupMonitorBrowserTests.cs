using Microsoft.Playwright;
using SharpSwan.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SharpSwan.Web.Tests;

/// <summary>
/// The IPsec Monitor in a real browser over a real dial-up hub: a peer's instance row appears under its template without a
/// reload, shows its address, identity and mode-cfg address, and Bring Down on it disconnects that peer (the row goes).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DialupMonitorBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task InstanceRows_FollowPeersLive_AndBringDownDisconnectsOne()
    {
        await using var rig = await DialupWebRig.StartAsync();
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(rig.BaseAddress.ToString());
        await BrowserFixture.LogInAsync(page);
        await page.GotoAsync(new Uri(rig.BaseAddress, "/ipsec/monitor").ToString());
        await Expect(page.Locator("tr.template[data-tunnel=\"dialup\"]")).ToContainTextAsync("0 peers");
        await Expect(page.Locator("tr.instance")).ToHaveCountAsync(0);

        // Peers connect while the page is open: the poll redraws the table in place.
        await rig.ConnectAsync(1, expectedInstances: 1);
        await rig.ConnectAsync(2, expectedInstances: 2);
        var first = page.Locator("tr.instance[data-tunnel=\"dialup_0\"][data-parent=\"dialup\"]");
        await Expect(first).ToBeVisibleAsync();
        await Expect(first.Locator("td.remote")).ToHaveTextAsync($"{DialupWebRig.Client1Address}:500");
        await Expect(first.Locator(".peer-id")).ToHaveTextAsync("client1.example");
        await Expect(first.Locator(".assigned-ip")).ToHaveTextAsync("10.10.10.1");
        await Expect(page.Locator("tr.instance[data-tunnel=\"dialup_1\"] .peer-id")).ToHaveTextAsync("client2.example");
        await Expect(page.Locator("tr.template[data-tunnel=\"dialup\"]")).ToContainTextAsync("2 peers");
        await Expect(first.Locator("button.bring-up")).ToBeDisabledAsync();
        var path = Path.Combine(BrowserFixture.ScreenshotDirectory, "monitor-dialup.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });

        await first.Locator("button.bring-down").ClickAsync();
        await Expect(page.Locator("#action-result")).ToHaveTextAsync("Bring Down: dialup_0 done");
        await Expect(page.Locator("tr.instance[data-tunnel=\"dialup_0\"]")).ToHaveCountAsync(0);
        await Expect(page.Locator("tr.instance[data-tunnel=\"dialup_1\"]")).ToBeVisibleAsync();
        await Expect(page.Locator("tr.template[data-tunnel=\"dialup\"]")).ToContainTextAsync("1 peer");
    }
}
