using System.Net;
using System.Text.RegularExpressions;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>The Edit tunnel form over plain HTTP (the browser tests drive the same pages with their script).</summary>
public sealed class TunnelFormTests
{
    private static (string, string)[] NewTunnelFields(string keyLifeSeconds = "3600", string autoNegotiate = "enable", string keepalive = "") =>
    [
        ("name", "to-lab"), ("type", "static"), ("remote-gw", "192.0.2.50"), ("interface", "eth0"), ("ike-version", "2"),
        ("authmethod", "psk"), ("psksecret", "lab-secret-psk"), ("proposal", "aes256gcm-prfsha384"), ("proposal", "aes128-sha256"),
        ("dhgrp", "20"), ("keylife", "86400"), ("dpd", "on-demand"), ("dpd-retrycount", "3"), ("dpd-retryinterval", "20"),
        ("nattraversal", "enable"), ("keepalive", "10"), ("comments", ""),
        ("p2[0].original", ""), ("p2[0].name", "to-lab-p2"), ("p2[0].local", "10.1.0.0/24"), ("p2[0].remote", "10.50.0.0/16"),
        ("p2[0].enc", "aes256gcm"), ("p2[0].auth", "sha256"), ("p2[0].enc", "aes128"), ("p2[0].auth", "sha256"), ("p2[0].enc", ""), ("p2[0].auth", "sha256"),
        ("p2[0].replay", "enable"), ("p2[0].pfs", "enable"), ("p2[0].dhgrp", "20"),
        ("p2[0].src-port-all", "enable"), ("p2[0].src-port", "0"), ("p2[0].dst-port-all", "enable"), ("p2[0].dst-port", "0"),
        ("p2[0].protocol-all", "enable"), ("p2[0].protocol", "0"), ("p2[0].auto-negotiate", autoNegotiate), ("p2[0].keepalive", keepalive),
        ("p2[0].keylife-type", "seconds"), ("p2[0].keylifeseconds", keyLifeSeconds), ("p2[0].keylifekbs", "5120"),
    ];

    [Fact]
    public async Task NewTunnel_IsValidatedAppliedAndSaved_WithKeepAliveImpliedByAutoNegotiate()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var response = await client.PostAsync("/ipsec/tunnels/new", WebTestHost.Form([("csrf_token", csrf), .. NewTunnelFields()]));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/ipsec/tunnels?saved=to-lab", response.Headers.Location?.OriginalString);

            var phase1 = host.Applier.Current.FindPhase1("to-lab")!;
            Assert.Equal("192.0.2.50", phase1.RemoteGateway.ToString());
            Assert.Equal(["aes256gcm-prfsha384", "aes128-sha256"], phase1.Proposals.Select(p => p.Name));
            var phase2 = host.Applier.Current.Phase2.Single(p => p.Name == "to-lab-p2");
            Assert.True(phase2.AutoNegotiate);
            Assert.True(phase2.Keepalive);
            Assert.Equal(3600, phase2.KeyLifeSeconds);
            Assert.Equal("10.50.0.0-10.50.255.255", phase2.Destination.ToString());
            Assert.Equal(["aes256gcm", "aes128-sha256"], phase2.Proposals.Select(p => p.Name));
            Assert.Contains("set keepalive enable", host.Persistence.Saved.Single(), StringComparison.Ordinal);

            var list = await client.GetStringAsync("/ipsec/tunnels?saved=to-lab");
            Assert.Contains("Tunnel to-lab saved and applied.", list, StringComparison.Ordinal);
            Assert.Contains("data-tunnel=\"to-lab\"", list, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task BadValue_IsShownNextToItsField_WithTheCliWording()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var response = await client.PostAsync("/ipsec/tunnels/new", WebTestHost.Form([("csrf_token", csrf), .. NewTunnelFields(keyLifeSeconds: "100")]));
            var page = await response.Content.ReadAsStringAsync();

            Assert.Equal((HttpStatusCode)422, response.StatusCode);
            Assert.Null(host.Applier.Current.FindPhase1("to-lab"));
            var field = Regex.Match(page, "<div class=\"field keylife-seconds\".*?</div>\\s*</div>", RegexOptions.Singleline).Value;
            Assert.Contains("id=\"p2-0-keylifeseconds\"", field, StringComparison.Ordinal);
            Assert.Contains("value parse error before &#39;100&#39;", field, StringComparison.Ordinal);
            Assert.Contains("keylifeseconds must be 120-172800", field, StringComparison.Ordinal);
            Assert.Contains("The tunnel was not saved: 1 error(s).", page, StringComparison.Ordinal);

            // What was typed is kept, so the admin only fixes the one field.
            Assert.Contains("value=\"192.0.2.50\"", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MissingRemoteGateway_IsPlacedOnItsField()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            var fields = NewTunnelFields().Select(f => f.Item1 == "remote-gw" ? (f.Item1, "") : f);
            using var response = await client.PostAsync("/ipsec/tunnels/new", WebTestHost.Form([("csrf_token", csrf), .. fields]));
            var page = await response.Content.ReadAsStringAsync();
            var field = Regex.Match(page, "<div class=\"field static-only\".*?</div>\\s*</div>", RegexOptions.Singleline).Value;
            Assert.Contains("Attribute &#39;remote-gw&#39; MUST be set.", field, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EditPage_ShowsTheSettingsAndTheAdvancedSection()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, _) = await host.LoginAsync();
        using (client)
        {
            var page = await client.GetStringAsync("/ipsec/tunnels/to-branch/edit");
            Assert.Contains("value=\"198.51.100.2\"", page, StringComparison.Ordinal);
            Assert.Contains("value=\"10.1.0.0/24\"", page, StringComparison.Ordinal);
            Assert.Contains("<summary>Advanced</summary>", page, StringComparison.Ordinal);
            Assert.Contains("Autokey Keep Alive", page, StringComparison.Ordinal);
            Assert.Contains("Enable Replay Detection", page, StringComparison.Ordinal);
            Assert.Matches("id=\"p2-0-auto-negotiate\"[^>]*class=\"auto-negotiate\">", page);
            Assert.DoesNotContain("s3cret", page, StringComparison.Ordinal);
            Assert.Contains("placeholder=\"unchanged\"", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DialUpTunnel_HasAutoNegotiateDisabledWithTheReason()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, _) = await host.LoginAsync();
        using (client)
        {
            var page = await client.GetStringAsync("/ipsec/tunnels/dialup/edit");
            Assert.Matches("id=\"p2-0-auto-negotiate\"[^>]*class=\"auto-negotiate\" disabled>", page);
            Assert.Matches("<p class=\"dialup-reason\" id=\"p2-0-auto-negotiate-reason\">Not available on a dial-up", page);
        }
    }

    [Fact]
    public async Task EditingKeepsTheKeyWhenTheKeyFieldIsLeftEmpty()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            var fields = NewTunnelFields().Where(f => f.Item1 is not ("name" or "psksecret"))
                .Select(f => f.Item1 == "p2[0].original" ? (f.Item1, "to-branch-p2") : f.Item1 == "p2[0].name" ? (f.Item1, "to-branch-p2") : f);
            using var response = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), ("psksecret", ""), .. fields]));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var phase1 = host.Applier.Current.FindPhase1("to-branch")!;
            Assert.Equal(SharpSwan.Config.Secret.FromPlaintext("s3cret-psk-value"), phase1.PresharedKey);
            Assert.Equal("192.0.2.50", phase1.RemoteGateway.ToString());
            Assert.Single(host.Applier.Current.Phase2For("to-branch"));
        }
    }

    [Fact]
    public async Task DeletingATunnel_RemovesItsSelectorsToo()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var response = await client.PostAsync("/ipsec/tunnels/to-branch/delete", WebTestHost.Form(("csrf_token", csrf)));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Null(host.Applier.Current.FindPhase1("to-branch"));
            Assert.Empty(host.Applier.Current.Phase2For("to-branch"));
            Assert.NotNull(host.Applier.Current.FindPhase1("dialup"));
        }
    }

    [Fact]
    public async Task MonitorPage_RendersStatusAndTheLiveUpdateHook()
    {
        await using var host = await WebTestHost.StartAsync();
        await host.Monitor.BringUpAsync("to-branch", null, CancellationToken.None);
        var (client, _) = await host.LoginAsync();
        using (client)
        {
            var page = await client.GetStringAsync("/ipsec/monitor");
            Assert.Contains("data-source=\"/api/v2/monitor/vpn/ipsec\"", page, StringComparison.Ordinal);
            Assert.Matches("data-selector=\"to-branch-p2\">\\s*<td class=\"indent\">to-branch-p2</td>\\s*<td><span class=\"status up\">Up</span>", page);
            Assert.Contains("class=\"countdown lifetime\"", page, StringComparison.Ordinal);
            Assert.Contains("<script src=\"/assets/app.js\" defer></script>", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Assets_AreServedByTheGateway()
    {
        await using var host = await WebTestHost.StartAsync();
        using var client = host.Anonymous();
        using var script = await client.GetAsync("/assets/app.js");
        using var style = await client.GetAsync("/assets/app.css");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("tunnel_up", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("http", await style.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>A new IKEv1 tunnel's post: CBC phase 1 proposal, an AES-CBC selector, and the XAUTH/mode-config fields given.</summary>
    private static (string, string)[] Ikev1Fields(string name, string type, params (string, string)[] remoteAccess) =>
    [
        ("name", name), ("type", type), ("remote-gw", type == "static" ? "192.0.2.60" : ""), ("interface", "eth3"), ("ike-version", "1"),
        ("mode", "main"), ("authmethod", "psk"), ("psksecret", "v1-psk-value"), ("proposal", "aes256-sha256"), ("dhgrp", "14"),
        ("keylife", "86400"), ("dpd", "on-demand"), ("dpd-retrycount", "3"), ("dpd-retryinterval", "20"), ("nattraversal", "enable"),
        ("keepalive", "10"), .. remoteAccess,
        ("p2[0].original", ""), ("p2[0].name", $"{name}-p2"), ("p2[0].local", "10.1.0.0/24"), ("p2[0].remote", ""),
        ("p2[0].enc", "aes256"), ("p2[0].auth", "sha256"), ("p2[0].replay", "enable"), ("p2[0].pfs", "enable"), ("p2[0].dhgrp", "14"),
        ("p2[0].src-port-all", "enable"), ("p2[0].dst-port-all", "enable"), ("p2[0].protocol-all", "enable"),
        ("p2[0].keylife-type", "seconds"), ("p2[0].keylifeseconds", "3600"), ("p2[0].keylifekbs", "5120"),
    ];

    [Fact]
    public async Task Ikev1DialUpXauthServerAndPool_RoundTripThroughTheForm()
    {
        await using var host = await WebTestHost.StartAsync(configuration: XauthWebConfig.Configuration);
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var response = await client.PostAsync("/ipsec/tunnels/new", WebTestHost.Form([("csrf_token", csrf), .. Ikev1Fields("fct", "dynamic",
                ("xauthtype", "auto"), ("authusrgrp", "vpn-users"), ("mode-cfg", "enable"),
                ("ipv4-start-ip", "10.99.0.10"), ("ipv4-end-ip", "10.99.0.20"), ("ipv4-netmask", "255.255.255.0"))]));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

            var phase1 = host.Applier.Current.FindPhase1("fct")!;
            Assert.Equal(1, phase1.IkeVersion);
            Assert.Equal(SharpSwan.Config.XauthType.Auto, phase1.XauthType);
            Assert.Equal("vpn-users", phase1.AuthUserGroup);
            Assert.True(phase1.ModeCfg);
            Assert.Equal("10.99.0.10", phase1.Ipv4StartIp.ToString());
            Assert.Equal("10.99.0.20", phase1.Ipv4EndIp.ToString());

            // Read back into the page from the configuration, the server fields shown and the client fields hidden.
            var page = await client.GetStringAsync("/ipsec/tunnels/fct/edit");
            Assert.Contains("<option value=\"auto\" selected>", page, StringComparison.Ordinal);
            Assert.Matches("<div class=\"field xauth-server\">\\s*<label for=\"p1-authusrgrp\">User Group</label>\\s*<input id=\"p1-authusrgrp\" name=\"authusrgrp\" value=\"vpn-users\">", page);
            Assert.Contains("<div class=\"field xauth-client\" hidden>", page, StringComparison.Ordinal);
            Assert.Contains("name=\"ipv4-start-ip\" value=\"10.99.0.10\"", page, StringComparison.Ordinal);
            Assert.Contains("name=\"ipv4-netmask\" value=\"255.255.255.0\"", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Ikev1XauthClient_KeepsItsPasswordWhenLeftEmpty_AndNeverShowsIt()
    {
        await using var host = await WebTestHost.StartAsync(configuration: XauthWebConfig.Configuration);
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            using var created = await client.PostAsync("/ipsec/tunnels/new", WebTestHost.Form([("csrf_token", csrf), .. Ikev1Fields("to-fgt", "static",
                ("xauthtype", "client"), ("authusr", "bob"), ("authpasswd", "bob-xauth-password"))]));
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
            var phase1 = host.Applier.Current.FindPhase1("to-fgt")!;
            Assert.Equal(SharpSwan.Config.XauthType.Client, phase1.XauthType);
            Assert.Equal("bob", phase1.AuthUser);
            Assert.Equal(SharpSwan.Config.Secret.FromPlaintext("bob-xauth-password"), phase1.AuthPassword);

            var page = await client.GetStringAsync("/ipsec/tunnels/to-fgt/edit");
            Assert.DoesNotContain("bob-xauth-password", page, StringComparison.Ordinal);
            Assert.Contains("name=\"authpasswd\" type=\"password\" autocomplete=\"new-password\" placeholder=\"unchanged\"", page, StringComparison.Ordinal);

            var edit = Ikev1Fields("to-fgt", "static", ("xauthtype", "client"), ("authusr", "carol"), ("authpasswd", ""))
                .Where(f => f.Item1 != "name").Select(f => f.Item1 == "p2[0].original" ? (f.Item1, "to-fgt-p2") : f);
            using var saved = await client.PostAsync("/ipsec/tunnels/to-fgt/edit", WebTestHost.Form([("csrf_token", csrf), .. edit]));
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
            phase1 = host.Applier.Current.FindPhase1("to-fgt")!;
            Assert.Equal("carol", phase1.AuthUser);
            Assert.Equal(SharpSwan.Config.Secret.FromPlaintext("bob-xauth-password"), phase1.AuthPassword);

            // A user group that does not exist is refused at its field, with the loader's reason, and nothing is applied.
            var wrong = Ikev1Fields("rw", "dynamic", ("xauthtype", "auto"), ("authusrgrp", "nobody"))
                .Where(f => f.Item1 != "name").Select(f => f.Item1 == "p2[0].original" ? (f.Item1, "rw-p2") : f.Item1 == "p2[0].name" ? (f.Item1, "rw-p2") : f);
            using var refused = await client.PostAsync("/ipsec/tunnels/rw/edit", WebTestHost.Form([("csrf_token", csrf), .. wrong]));
            var refusedPage = await refused.Content.ReadAsStringAsync();
            Assert.Equal((HttpStatusCode)422, refused.StatusCode);
            var field = Regex.Match(refusedPage, "<div class=\"field xauth-server\">.*?</div>\\s*</div>", RegexOptions.Singleline).Value;
            Assert.Contains("user group &quot;nobody&quot;, which does not exist", field, StringComparison.Ordinal);
            Assert.Null(host.Applier.Current.FindPhase1("rw")!.AuthUserGroup);
        }
    }
}
