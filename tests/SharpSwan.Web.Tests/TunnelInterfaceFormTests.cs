using System.Net;
using System.Text.RegularExpressions;
using SharpSwan.Config;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>
/// The Edit tunnel page's Tunnel Interface section: the phase1-interface's <c>config system interface</c> entry (ip,
/// remote-ip, mtu-override, mtu), saved under the rules the CLI and REST API apply.
/// </summary>
public sealed class TunnelInterfaceFormTests
{
    private const string Port1 = "    edit \"port1\"\n        set vdom \"root\"\n        set ip 192.0.2.1 255.255.255.0\n        set type physical\n        set alias \"wan\"\n    next\n";

    private const string Tunnel = "    edit \"to-branch\"\n        set vdom \"root\"\n        set allowaccess ping\n        set type tunnel\n        set ip 169.254.21.2 255.255.255.255\n        set remote-ip 169.254.21.1 255.255.255.252\n        set interface \"eth0\"\n        set alias \"branch\"\n        set mtu-override enable\n        set mtu 1380\n    next\n";

    private static readonly Lazy<GatewayConfiguration> PortOnly = new(() =>
        WebTestHost.Parse(WebTestHost.BaseConfiguration + "\nconfig system interface\n" + Port1 + "end\n"));

    private static readonly Lazy<GatewayConfiguration> WithTunnel = new(() =>
        WebTestHost.Parse(WebTestHost.BaseConfiguration + "\nconfig system interface\n" + Port1 + Tunnel + "end\n"));

    /// <summary>
    /// Admins who may edit tunnels (vpngrp read-write) but not interfaces: <c>tunnels-only</c> has no netgrp,
    /// <c>net-reader</c> netgrp read.
    /// </summary>
    private static readonly Lazy<GatewayConfiguration> VpnButNotNetwork = new(() => WebTestHost.Parse(
        WebTestHost.BaseConfiguration.Replace("config system admin\n", """
            config system accprofile
                edit "tunnels-only"
                    set vpngrp read-write
                    set netgrp none
                next
                edit "net-reader"
                    set vpngrp read-write
                    set netgrp read
                next
            end
            config system admin
                edit "tunnels-only"
                    set accprofile "tunnels-only"
                    set password "tunnels-only-password"
                next
                edit "net-reader"
                    set accprofile "net-reader"
                    set password "net-reader-password"
                next

            """, StringComparison.Ordinal)
        + "\nconfig system interface\n" + Port1 + Tunnel + "end\n"));

    /// <summary>to-branch's own settings as its edit page posts them, then the Tunnel Interface section.</summary>
    private static (string, string)[] EditFields(params (string, string)[] tunnelInterface) =>
    [
        ("type", "static"), ("remote-gw", "198.51.100.2"), ("interface", "eth0"), ("ike-version", "2"), ("authmethod", "psk"), ("psksecret", ""),
        ("proposal", "aes256gcm-prfsha384"), ("proposal", "aes128-sha256"), ("dhgrp", "20"), ("dhgrp", "14"), ("keylife", "86400"),
        ("dpd", "on-demand"), ("dpd-retrycount", "3"), ("dpd-retryinterval", "20"), ("nattraversal", "enable"), ("keepalive", "10"), ("comments", ""),
        ("p2[0].original", "to-branch-p2"), ("p2[0].name", "to-branch-p2"), ("p2[0].local", "10.1.0.0/24"), ("p2[0].remote", "10.2.0.0/24"),
        ("p2[0].enc", "aes256gcm"), ("p2[0].auth", "sha256"), ("p2[0].enc", "aes128"), ("p2[0].auth", "sha256"),
        ("p2[0].replay", "enable"), ("p2[0].pfs", "enable"), ("p2[0].dhgrp", "14"),
        ("p2[0].src-port-all", "enable"), ("p2[0].src-port", "0"), ("p2[0].dst-port-all", "enable"), ("p2[0].dst-port", "0"),
        ("p2[0].protocol-all", "enable"), ("p2[0].protocol", "0"), ("p2[0].keylife-type", "seconds"), ("p2[0].keylifeseconds", "43200"), ("p2[0].keylifekbs", "5120"),
        .. tunnelInterface,
    ];

    [Fact]
    public async Task EditPage_ShowsTheTunnelInterfacesIpRemoteIpAndMtu()
    {
        await using var host = await WebTestHost.StartAsync(configuration: WithTunnel.Value);
        var (client, _) = await host.LoginAsync();
        using (client)
        {
            var page = await client.GetStringAsync("/ipsec/tunnels/to-branch/edit");
            Assert.Contains("<h2>Tunnel Interface</h2>", page, StringComparison.Ordinal);
            Assert.Contains("name=\"tunnel-ip\" value=\"169.254.21.2 255.255.255.255\"", page, StringComparison.Ordinal);
            Assert.Contains("name=\"tunnel-remote-ip\" value=\"169.254.21.1 255.255.255.252\"", page, StringComparison.Ordinal);
            Assert.Matches("name=\"tunnel-mtu-override\" value=\"enable\" checked", page);
            Assert.Contains("name=\"tunnel-mtu\" inputmode=\"numeric\" value=\"1380\"", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AdministrativeAccess_ShowsTheTickedServices_AndSavingWritesThemKeepingFortiGatesOwn()
    {
        var withFgfm = WebTestHost.Parse(WebTestHost.BaseConfiguration + "\nconfig system interface\n" + Port1 + Tunnel.Replace("set allowaccess ping", "set allowaccess ping fgfm", StringComparison.Ordinal) + "end\n");
        await using var host = await WebTestHost.StartAsync(configuration: withFgfm);
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            var page = await client.GetStringAsync("/ipsec/tunnels/to-branch/edit");
            Assert.Contains("name=\"tunnel-allowaccess\" value=\"ping\" checked", page, StringComparison.Ordinal);
            Assert.Contains("name=\"tunnel-allowaccess\" value=\"ssh\">", page, StringComparison.Ordinal);
            Assert.DoesNotContain("value=\"fgfm\"", page, StringComparison.Ordinal);

            using var response = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), .. EditFields(
                ("tunnel-interface", "shown"), ("tunnel-ip", "169.254.21.2 255.255.255.255"), ("tunnel-remote-ip", "169.254.21.1 255.255.255.252"),
                ("tunnel-mtu-override", "enable"), ("tunnel-mtu", "1380"), ("tunnel-allowaccess", "ssh"), ("tunnel-allowaccess", "https"))]));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());

            Assert.Equal<string>(["https", "ssh"], host.Applier.Current.FindTunnelInterface("to-branch")!.AllowAccess);
            Assert.Contains("        set allowaccess https ssh fgfm\n", host.Persistence.Saved[^1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Saving_GivesAPhase1InterfaceWithoutAnEntryOne_WithFortiOsDefaults_AndLeavesThePortAsWritten()
    {
        await using var host = await WebTestHost.StartAsync(configuration: PortOnly.Value);
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var response = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), .. EditFields(
                ("tunnel-interface", "shown"), ("tunnel-ip", "169.254.1.1 255.255.255.255"), ("tunnel-remote-ip", "169.254.1.2/30"),
                ("tunnel-mtu-override", "enable"), ("tunnel-mtu", "1400"))]));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());

            var tunnel = host.Applier.Current.FindTunnelInterface("to-branch")!;
            Assert.Equal(IPAddress.Parse("169.254.1.1"), tunnel.Local);
            Assert.Equal(IPAddress.Parse("169.254.1.2"), tunnel.Remote);
            Assert.Equal(1400, tunnel.Mtu);
            Assert.Contains(
                "config system interface\n" + Port1 + "    edit \"to-branch\"\n        set vdom \"root\"\n        set type tunnel\n        set interface \"eth0\"\n        set ip 169.254.1.1 255.255.255.255\n        set remote-ip 169.254.1.2/30\n        set mtu-override enable\n        set mtu 1400\n    next\nend\n",
                host.Persistence.Saved.Single(),
                StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Saving_ChangesOnlyWhatTheSectionChanged_AndAPostWithoutTheSectionLeavesTheEntryAlone()
    {
        await using var host = await WebTestHost.StartAsync(configuration: WithTunnel.Value);
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            // A script's post without the section (or an older page's) does not clear the tunnel's addresses.
            using var without = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), .. EditFields()]));
            Assert.Equal(HttpStatusCode.Redirect, without.StatusCode);
            Assert.Contains("config system interface\n" + Port1 + Tunnel + "end\n", host.Persistence.Saved[^1], StringComparison.Ordinal);

            using var response = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), .. EditFields(
                ("tunnel-interface", "shown"), ("tunnel-ip", "169.254.21.6 255.255.255.255"), ("tunnel-remote-ip", "169.254.21.1 255.255.255.252"),
                ("tunnel-mtu", "1380"), ("tunnel-allowaccess", "ping"))]));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());

            var tunnel = host.Applier.Current.FindTunnelInterface("to-branch")!;
            Assert.Equal(IPAddress.Parse("169.254.21.6"), tunnel.Local);
            Assert.Null(tunnel.Mtu);
            Assert.Contains(
                "config system interface\n" + Port1 + "    edit \"to-branch\"\n        set vdom \"root\"\n        set allowaccess ping\n        set type tunnel\n        set ip 169.254.21.6 255.255.255.255\n        set remote-ip 169.254.21.1 255.255.255.252\n        set interface \"eth0\"\n        set alias \"branch\"\n        set mtu 1380\n    next\nend\n",
                host.Persistence.Saved[^1],
                StringComparison.Ordinal);
        }
    }

    /// <summary>A save that leaves a value kept but not applied (an MTU without Override MTU) says so on the page it lands on.</summary>
    [Fact]
    public async Task ASaveThatKeepsAValueNotApplied_SaysSoOnTheTunnelList_AndACleanSaveSaysNothing()
    {
        const string Plain = "    edit \"to-branch\"\n        set vdom \"root\"\n        set type tunnel\n        set allowaccess ping\n        set interface \"eth0\"\n    next\n";
        await using var host = await WebTestHost.StartAsync(configuration: WebTestHost.Parse(WebTestHost.BaseConfiguration + "\nconfig system interface\n" + Port1 + Plain + "end\n"));
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var clean = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), .. EditFields(
                ("tunnel-interface", "shown"), ("tunnel-ip", "169.254.1.1 255.255.255.255"), ("tunnel-allowaccess", "ping"))]));
            Assert.Equal(HttpStatusCode.Redirect, clean.StatusCode);
            var cleanList = await client.GetStringAsync(clean.Headers.Location!);
            Assert.Contains("id=\"notice\"", cleanList, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"save-warnings\"", cleanList, StringComparison.Ordinal);

            using var kept = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), .. EditFields(
                ("tunnel-interface", "shown"), ("tunnel-ip", "169.254.1.1 255.255.255.255"), ("tunnel-mtu", "1380"), ("tunnel-allowaccess", "ping"))]));
            Assert.Equal(HttpStatusCode.Redirect, kept.StatusCode);
            Assert.Null(host.Applier.Current.FindTunnelInterface("to-branch")!.Mtu);
            var list = await client.GetStringAsync(kept.Headers.Location!);
            var warnings = Regex.Match(list, "<div class=\"warning-summary\" id=\"save-warnings\".*?</div>", RegexOptions.Singleline).Value;
            Assert.Contains("<li data-path=\"system interface\" data-field=\"mtu\">", warnings, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ABadMtu_IsShownNextToTheMtuField_AndNothingIsSaved()
    {
        await using var host = await WebTestHost.StartAsync(configuration: WithTunnel.Value);
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var response = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), .. EditFields(
                ("tunnel-interface", "shown"), ("tunnel-ip", "169.254.21.2 255.255.255.255"), ("tunnel-remote-ip", "169.254.21.1 255.255.255.252"),
                ("tunnel-mtu-override", "enable"), ("tunnel-mtu", "100"))]));
            var page = await response.Content.ReadAsStringAsync();
            Assert.Equal((HttpStatusCode)422, response.StatusCode);
            var field = Regex.Match(page, "<div class=\"field\">\\s*<label for=\"if-mtu\">.*?</div>\\s*</div>", RegexOptions.Singleline).Value;
            Assert.Contains("value=\"100\"", field, StringComparison.Ordinal);
            Assert.Contains("the MTU is a number from 576 to 9216", field, StringComparison.Ordinal);
            Assert.Empty(host.Applier.Applied);
            Assert.Empty(host.Persistence.Saved);
        }
    }

    [Fact]
    public async Task AnEntryOfAnotherType_IsRefusedByTheSharedRule_ShownInTheSection()
    {
        var configuration = WebTestHost.Parse(WebTestHost.BaseConfiguration
            + "\nconfig system interface\n" + Port1 + "    edit \"to-branch\"\n        set vdom \"root\"\n        set type loopback\n    next\nend\n");
        await using var host = await WebTestHost.StartAsync(configuration: configuration);
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var response = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), .. EditFields(
                ("tunnel-interface", "shown"), ("tunnel-ip", "169.254.1.1 255.255.255.255"), ("tunnel-allowaccess", "ping"))]));
            var page = await response.Content.ReadAsStringAsync();
            Assert.Equal((HttpStatusCode)422, response.StatusCode);
            var section = Regex.Match(page, "<section class=\"panel\" id=\"tunnel-interface\">.*?</section>", RegexOptions.Singleline).Value;
            Assert.Contains("entry &quot;to-branch&quot; is type loopback, not tunnel", section, StringComparison.Ordinal);
            Assert.Empty(host.Applier.Applied);
        }
    }

    /// <summary>
    /// Deleting a route-based tunnel from its page takes its tunnel interface entry with it (the page edits them together);
    /// an admin without netgrp read-write cannot, and nothing is deleted.
    /// </summary>
    [Fact]
    public async Task DeletingTheTunnel_DeletesItsTunnelInterfaceToo_NotWithoutNetgrp()
    {
        await using var host = await WebTestHost.StartAsync(configuration: VpnButNotNetwork.Value);
        var (limited, limitedCsrf) = await host.LoginAsync("net-reader", "net-reader-password");
        using (limited)
        {
            using var refused = await limited.PostAsync("/ipsec/tunnels/to-branch/delete", WebTestHost.Form(("csrf_token", limitedCsrf)));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("netgrp", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Empty(host.Applier.Applied);
        }

        var (admin, csrf) = await host.LoginAsync();
        using (admin)
        {
            using var deleted = await admin.PostAsync("/ipsec/tunnels/to-branch/delete", WebTestHost.Form(("csrf_token", csrf)));
            Assert.True(deleted.StatusCode == HttpStatusCode.Redirect, await deleted.Content.ReadAsStringAsync());
            Assert.Null(host.Applier.Current.FindPhase1("to-branch"));
            Assert.Null(host.Applier.Current.FindTunnelInterface("to-branch"));
            var saved = host.Persistence.Saved.Single();
            Assert.Contains("config system interface\n" + Port1 + "end\n", saved, StringComparison.Ordinal);
            Assert.DoesNotContain("edit \"to-branch\"", saved, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task TheSectionIsNetgrps_WithoutItTheSectionIsNotShownAndAPostOfItIsRefused_WithReadItIsReadOnly()
    {
        await using var host = await WebTestHost.StartAsync(configuration: VpnButNotNetwork.Value);
        var (client, csrf) = await host.LoginAsync("tunnels-only", "tunnels-only-password");
        using (client)
        {
            var page = await client.GetStringAsync("/ipsec/tunnels/to-branch/edit");
            Assert.DoesNotContain("id=\"tunnel-interface\"", page, StringComparison.Ordinal);

            using var response = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), .. EditFields(
                ("tunnel-interface", "shown"), ("tunnel-ip", "169.254.21.6 255.255.255.255"))]));
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Contains("netgrp", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Empty(host.Applier.Applied);

            // The rest of the tunnel is vpngrp's: saved without the section.
            using var tunnelOnly = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), .. EditFields()]));
            Assert.Equal(HttpStatusCode.Redirect, tunnelOnly.StatusCode);
        }

        var (reader, _) = await host.LoginAsync("net-reader", "net-reader-password");
        using (reader)
        {
            var page = await reader.GetStringAsync("/ipsec/tunnels/to-branch/edit");
            var section = Regex.Match(page, "<section class=\"panel\" id=\"tunnel-interface\">.*?</section>", RegexOptions.Singleline).Value;
            Assert.Contains("value=\"169.254.21.2 255.255.255.255\" placeholder=\"169.254.1.1 255.255.255.255\" disabled>", section, StringComparison.Ordinal);
            Assert.DoesNotContain("name=\"tunnel-interface\"", section, StringComparison.Ordinal);
        }
    }
}
