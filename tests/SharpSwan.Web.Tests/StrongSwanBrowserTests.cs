using System.Text.RegularExpressions;
using Microsoft.Playwright;
using SharpSwan.Interop.Tests.Harness;
using SharpSwan.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SharpSwan.Web.Tests;

/// <summary>
/// The whole path with real processes: the gateway (./sharpswan run) in namespace A with only its GUI configured, a
/// strongSwan peer in namespace B, and Chromium started inside A (where the GUI listens on 127.0.0.1). The admin
/// creates the tunnel in the browser with Auto-negotiate and Keep Alive, watches it come up in the monitor, brings the
/// selector down (auto-negotiate brings it back with new SPIs) and up, and the CLI shows the saved settings. Needs root.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class StrongSwanBrowserTests(BrowserFixture fixture)
{
    private const string AdminPassword = "interop-admin-password";
    private const float WaitForNetwork = 60_000;

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task TunnelCreatedInTheBrowser_ComesUpWithStrongSwan_AndObeysBringDownAndUp()
    {
        using var scenario = InteropScenario.Create(nameof(TunnelCreatedInTheBrowser_ComesUpWithStrongSwan_AndObeysBringDownAndUp));
        scenario.StartStrongSwan(scenario.B, scenario.BranchConnection(), "branch");
        var configuration = $$"""
            config system global
                set hostname "hq-interop"
                set admin-sport 8443
            end
            config system admin
                edit "admin"
                    set password "{{AdminPassword}}"
                next
            end
            """;
        using var gateway = SharpSwanGateway.Start(scenario.A, configuration, "hq", scenario.DiagnosticsDirectory);
        Assert.True(gateway.WaitUntilReady(TimeSpan.FromSeconds(30)), "gateway did not start:\n" + string.Join('\n', gateway.Tail(40)));

        // Chromium must run where the GUI listens: a wrapper enters namespace A and keeps Playwright's pipes.
        var wrapper = Path.Combine(scenario.WorkDirectory, "chromium-in-a");
        await File.WriteAllTextAsync(wrapper, $"#!/bin/sh\nexec ip netns exec {scenario.A.Name} {BrowserFixture.ChromiumPath} \"$@\"\n");
        File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await using var browser = await fixture.Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = wrapper,
            Headless = true,
            Args = BrowserFixture.ChromiumArguments,
        });

        // The certificate is the gateway's own self-signed one.
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true, ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        try
        {
            await Navigate(page, () => page.GotoAsync("https://127.0.0.1:8443/"), "https://127.0.0.1:8443/");
            await page.FillAsync("#username", "admin");
            await page.FillAsync("#secretkey", AdminPassword);
            await page.ClickAsync("#login");
            await Expect(page.Locator("h1")).ToHaveTextAsync("IPsec Tunnels");

            await page.ClickAsync("#create-new");
            await page.FillAsync("#p1-name", "to-branch");
            await page.FillAsync("#p1-remote-gw", TwoSiteTopology.WanAddressB);
            await page.FillAsync("#p1-interface", TwoSiteTopology.WanInterface);
            await page.FillAsync("#p1-psksecret", scenario.PreSharedKey);
            await page.Locator("#p1-dhgrp-20").CheckAsync();
            await page.Locator("#p1-dhgrp-14").UncheckAsync();
            await page.FillAsync("#p2-0-name", "to-branch-p2");
            await page.FillAsync("#p2-0-local", TwoSiteTopology.LanSubnetA);
            await page.FillAsync("#p2-0-remote", TwoSiteTopology.LanSubnetB);
            await page.ClickAsync("#p2-0-advanced summary");
            await page.Locator("#p2-0-dhgrp-20").CheckAsync();
            await page.Locator("#p2-0-dhgrp-14").UncheckAsync();
            await page.Locator("#p2-0-keepalive").CheckAsync();
            await page.Locator("#p2-0-auto-negotiate").CheckAsync();
            await Expect(page.Locator("#p2-0-keepalive-implied")).ToBeVisibleAsync();
            // Saving creates the tunnel's interface, which Chromium may see as a network change mid-request.
            if (await Navigate(page, () => page.ClickAsync("#save"), "https://127.0.0.1:8443/ipsec/tunnels"))
            {
                await Expect(page.Locator("#notice")).ToHaveTextAsync("Tunnel to-branch saved and applied.");
            }

            await Expect(page.Locator("#tunnels tr[data-tunnel=\"to-branch\"]")).ToBeVisibleAsync();

            // Saved and live: the CLI sees the settings the browser chose.
            var show = gateway.Cli("show vpn ipsec phase2-interface");
            Assert.Contains("edit \"to-branch-p2\"", show, StringComparison.Ordinal);
            Assert.Contains("set auto-negotiate enable", show, StringComparison.Ordinal);
            Assert.Contains("set keepalive enable", show, StringComparison.Ordinal);

            await page.ClickAsync("nav a[href=\"/ipsec/monitor\"]");
            var selector = page.Locator("#monitor tr.selector[data-selector=\"to-branch-p2\"]");
            await Expect(selector.Locator(".status")).ToHaveTextAsync("Up", new() { Timeout = WaitForNetwork });
            await Expect(page.Locator("#monitor tr.tunnel[data-tunnel=\"to-branch\"] td").Nth(3)).ToHaveTextAsync(new Regex($"^{Regex.Escape(TwoSiteTopology.WanAddressB)}:(500|4500)$"));
            var firstSpi = await SpiOf(selector);
            await BrowserFixture.ScreenshotAsync(page, "interop-monitor-up");

            // Bring Down deletes the SA; auto-negotiate then brings the selector back with a new SA.
            await selector.Locator("button.bring-down").ClickAsync();
            await Expect(page.Locator("#action-result")).ToHaveTextAsync("Bring Down: to-branch-p2 done");
            await Expect(selector.Locator("td").Nth(3)).Not.ToHaveTextAsync($"SPI {firstSpi}", new() { Timeout = WaitForNetwork });
            await Expect(selector.Locator(".status")).ToHaveTextAsync("Up", new() { Timeout = WaitForNetwork });

            await selector.Locator("button.bring-up").ClickAsync();
            await Expect(page.Locator("#action-result")).ToHaveTextAsync("Bring Up: to-branch-p2 done");
            await Expect(selector.Locator(".status")).ToHaveTextAsync("Up");
            await BrowserFixture.ScreenshotAsync(page, "interop-monitor");

            // strongSwan agrees: it has the child SA installed.
            Assert.Contains("INSTALLED", scenario.Diagnostics(), StringComparison.Ordinal);

            await Navigate(page, () => page.GotoAsync("https://127.0.0.1:8443/ipsec/timeline/to-branch?hours=1"), "https://127.0.0.1:8443/ipsec/timeline/to-branch?hours=1");
            await Expect(page.Locator("#timeline-chart circle.ev-install")).Not.ToHaveCountAsync(0);
            await Expect(page.Locator("#timeline-chart circle.ev-down")).Not.ToHaveCountAsync(0);
            await BrowserFixture.ScreenshotAsync(page, "interop-timeline");
        }
        catch (Exception ex) when (ex is PlaywrightException or Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n---- gateway ----\n{string.Join('\n', gateway.Tail(60))}\n{scenario.Diagnostics()}");
        }
        finally
        {
            await context.CloseAsync();
        }
    }

    /// <summary>
    /// Runs a navigation; when Chromium aborts it with ERR_NETWORK_CHANGED (charon and the gateway add interfaces in the
    /// namespace), loads <paramref name="fallback"/> instead. True when the navigation itself went through.
    /// </summary>
    private static async Task<bool> Navigate(IPage page, Func<Task> navigation, string fallback)
    {
        try
        {
            await navigation();
            return true;
        }
        catch (PlaywrightException ex) when (IsNetworkChange(ex))
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await page.GotoAsync(fallback);
                    return false;
                }
                catch (PlaywrightException again) when (attempt < 5 && IsNetworkChange(again))
                {
                    // The namespace is still settling; load the page again.
                }
            }
        }
    }

    /// <summary>
    /// Chromium reports a network change as the error itself, as a jump to its error page, or (when it reloads on its
    /// own meanwhile) as our navigation being interrupted by another one.
    /// </summary>
    private static bool IsNetworkChange(PlaywrightException ex) =>
        ex.Message.Contains("ERR_NETWORK_CHANGED", StringComparison.Ordinal) || ex.Message.Contains("chrome-error://", StringComparison.Ordinal) ||
        ex.Message.Contains("is interrupted by another navigation", StringComparison.Ordinal);

    private static async Task<string> SpiOf(ILocator selector)
    {
        var text = await selector.Locator("td").Nth(3).InnerTextAsync();
        return Spi().Match(text) is { Success: true } match ? match.Groups[1].Value : throw new Xunit.Sdk.XunitException($"no SPI in '{text}'");
    }

    [GeneratedRegex("SPI ([0-9a-f]{8})")]
    private static partial Regex Spi();
}
