using Microsoft.Playwright;
using SharpSwan.Web.Monitoring;
using SharpSwan.Web.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace SharpSwan.Web.Tests;

/// <summary>
/// Policy-based tunnels and firewall policies in a real browser (headless Chromium): policy-based tunnels are listed,
/// monitored and edited beside route-based ones, marked as policy-based; the Policies page lists the policies in matching
/// order with their hit counts. The gateway is a fake (its hit counts are given); the pages and script are real.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PolicyBrowserTests(BrowserFixture fixture)
{
    /// <summary>A policy-based tunnel and three policies written in the order 3, 1, 2 (file order is match order).</summary>
    private const string PolicyConfiguration = """
        config firewall address
            edit "hq-lan"
                set subnet 10.1.0.0 255.255.255.0
            next
            edit "branch-lan"
                set subnet 10.2.0.0 255.255.255.0
            next
        end
        config vpn ipsec phase1
            edit "pb"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.9
                set proposal aes256gcm-prfsha384
                set dhgrp 20
                set psksecret "policy-based-psk"
            next
        end
        config vpn ipsec phase2
            edit "pb-p2"
                set phase1name "pb"
                set proposal aes256gcm
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
            next
        end
        config firewall policy
            edit 3
                set name "block-guest"
                set srcintf "lan"
                set dstintf "eth0"
                set srcaddr "all"
                set dstaddr "branch-lan"
                set action deny
                set schedule "always"
                set service "ALL"
                set status disable
            next
            edit 1
                set name "hq-to-branch"
                set srcintf "lan"
                set dstintf "eth0"
                set srcaddr "hq-lan"
                set dstaddr "branch-lan"
                set action ipsec
                set schedule "always"
                set service "ALL"
                set inbound enable
                set vpntunnel "pb"
            next
            edit 2
                set name "to-route-based"
                set srcintf "any"
                set dstintf "to-branch"
                set srcaddr "all"
                set dstaddr "all"
                set action accept
                set schedule "always"
                set service "ALL"
            next
        end
        """;

    private static readonly Lazy<SharpSwan.Config.GatewayConfiguration> Parsed =
        new(() => WebTestHost.Parse(WebTestHost.BaseConfiguration + "\n" + PolicyConfiguration));

    private static readonly Dictionary<long, PolicyHitCount> Hits = new()
    {
        [1] = new PolicyHitCount(42, 3_360),
        [2] = new PolicyHitCount(7, 588),
        [0] = new PolicyHitCount(5, 420),
    };

    [Fact]
    public async Task PolicyBasedTunnel_IsListedMonitoredAndEdited_MarkedAsPolicyBased()
    {
        await using var host = await WebTestHost.StartAsync(configuration: Parsed.Value, policyHits: Hits);
        var page = await LoggedInPage(host);

        // The list: both kinds, only the policy-based one marked.
        await Expect(page.Locator("#tunnels tr[data-tunnel=\"pb\"] .badge.policy-based")).ToHaveTextAsync("Policy-based");
        await Expect(page.Locator("#tunnels tr[data-tunnel=\"pb\"] .selectors")).ToHaveTextAsync("0/1");
        await Expect(page.Locator("#tunnels tr[data-tunnel=\"to-branch\"] .badge")).ToHaveCountAsync(0);

        // The monitor: marked when drawn by the server and still after the script redraws it from the REST monitor.
        await page.GotoAsync(new Uri(host.BaseAddress, "/ipsec/monitor").ToString());
        var tunnelRow = page.Locator("#monitor tr.tunnel[data-tunnel=\"pb\"]");
        await Expect(tunnelRow.Locator(".badge.policy-based")).ToBeVisibleAsync();
        await page.Locator("#monitor tr.selector[data-tunnel=\"pb\"][data-selector=\"pb-p2\"] button.bring-up").ClickAsync();
        await Expect(tunnelRow.Locator(".status")).ToHaveTextAsync("Up");
        await Expect(tunnelRow.Locator(".badge.policy-based")).ToBeVisibleAsync();
        await Expect(page.Locator("#monitor tr.tunnel[data-tunnel=\"to-branch\"] .badge")).ToHaveCountAsync(0);
        Assert.Contains("up pb pb-p2", host.Monitor.Actions);

        // The edit page: marked, the mode fixed, and a save writes config vpn ipsec phase1/phase2, not the -interface tables.
        await page.GotoAsync(new Uri(host.BaseAddress, "/ipsec/tunnels/pb/edit").ToString());
        await Expect(page.Locator("h1 .badge.policy-based")).ToBeVisibleAsync();
        await Expect(page.Locator("#p1-kind")).ToHaveValueAsync("Policy-based (config vpn ipsec phase1)");
        await page.FillAsync("#p1-comments", "branch office");
        await page.FillAsync("#p2-0-remote", "10.2.0.0/16");
        await page.ClickAsync("#save");
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Tunnel pb saved and applied.");
        var phase1 = host.Applier.Current.FindPhase1("pb")!;
        Assert.False(phase1.IsInterfaceMode);
        Assert.Equal("branch office", phase1.Comments);
        var phase2 = Assert.Single(host.Applier.Current.Phase2For("pb"));
        Assert.Equal("10.2.0.0/255.255.0.0", SelectorText.Describe(phase2.Destination));
        var show = SharpSwan.Config.ConfigurationWriter.Write(host.Applier.Current, fullConfiguration: false);
        var policyPhase2 = show[show.IndexOf("config vpn ipsec phase2\n", StringComparison.Ordinal)..];
        Assert.Contains("edit \"pb-p2\"", policyPhase2[..policyPhase2.IndexOf("\nend", StringComparison.Ordinal)], StringComparison.Ordinal);
        Assert.Single(host.Applier.Current.FirewallPolicies, p => p.VpnTunnel == "pb");
        await BrowserFixture.ScreenshotAsync(page, "policy-based-tunnels");
    }

    [Fact]
    public async Task NewTunnel_CanBeCreatedPolicyBased()
    {
        await using var host = await WebTestHost.StartAsync(configuration: Parsed.Value, policyHits: Hits);
        var page = await LoggedInPage(host);
        await page.ClickAsync("#create-new");
        await page.FillAsync("#p1-name", "pb2");
        await page.SelectOptionAsync("#p1-kind", "policy");
        await page.FillAsync("#p1-remote-gw", "192.0.2.60");
        await page.FillAsync("#p1-interface", "eth0");
        await page.FillAsync("#p1-psksecret", "second-policy-psk");
        await page.FillAsync("#p2-0-name", "pb2-p2");
        await page.FillAsync("#p2-0-local", "10.1.0.0/24");
        await page.FillAsync("#p2-0-remote", "10.60.0.0/16");
        await page.ClickAsync("#save");
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Tunnel pb2 saved and applied.");
        await Expect(page.Locator("#tunnels tr[data-tunnel=\"pb2\"] .badge.policy-based")).ToBeVisibleAsync();
        Assert.False(host.Applier.Current.FindPhase1("pb2")!.IsInterfaceMode);
        Assert.Equal("pb2", Assert.Single(host.Applier.Current.Phase2, p => p.Name == "pb2-p2").Phase1Name);
    }

    [Fact]
    public async Task PoliciesPage_ListsPoliciesInMatchingOrder_WithTheirHitCounts()
    {
        await using var host = await WebTestHost.StartAsync(configuration: Parsed.Value, policyHits: Hits);
        var page = await LoggedInPage(host);
        await page.ClickAsync("#nav-policies");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Firewall Policies");

        var rows = page.Locator("#policies tbody tr");
        await Expect(rows).ToHaveCountAsync(4);
        Assert.Equal(["3", "1", "2", "0"], await page.Locator("#policies tbody tr td.id").AllTextContentsAsync());
        await Expect(page.Locator("#policies tr[data-policy=\"1\"] td.hits")).ToHaveTextAsync("42");
        await Expect(page.Locator("#policies tr[data-policy=\"1\"] td.action")).ToContainTextAsync("IPsec: pb");
        await Expect(page.Locator("#policies tr[data-policy=\"2\"] td.hits")).ToHaveTextAsync("7");
        await Expect(page.Locator("#policies tr[data-policy=\"3\"] td.hits")).ToHaveTextAsync("0");
        await Expect(page.Locator("#policies tr[data-policy=\"3\"] td.status")).ToHaveTextAsync("disabled");
        await Expect(page.Locator("#policies tr[data-policy=\"0\"] td.hits")).ToHaveTextAsync("5");
        await BrowserFixture.ScreenshotAsync(page, "firewall-policies");
    }

    private async Task<IPage> LoggedInPage(WebTestHost host)
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(host.BaseAddress.ToString());
        await BrowserFixture.LogInAsync(page);
        return page;
    }
}
