using System.Net;
using System.Text.RegularExpressions;
using SharpSwan.Gateway.Control;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>
/// One stale-edit tracker for the CLI sessions and the web: a web change to an entry a CLI session has open is refused
/// in the CLI, and a CLI change to a tunnel open in the GUI's edit page is refused in the GUI.
/// </summary>
public sealed partial class SharedStaleEditTests
{
    private const string Stale = "entry 'to-branch' of config vpn ipsec phase1-interface was changed by another session since you began editing it";

    [Fact]
    public async Task RestChange_AfterTheCliOpenedTheEntry_RefusesTheCliSet()
    {
        await using var host = await WebTestHost.StartAsync();
        using var cli = new ConfigCommands(host.Applier, null, host.EditTracker);
        var session = new ControlSession();
        Assert.Equal("", await RunAsync(cli, session, "config vpn ipsec phase1-interface", "edit to-branch"));

        using var api = host.Api();
        using (var put = await api.PutAsync("/api/v2/cmdb/vpn.ipsec/phase1-interface/to-branch", WebTestHost.Json("""{"keylife": 7200}""")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var refused = await RunAsync(cli, session, "set dpd on-idle");
        Assert.Contains(Stale, refused, StringComparison.Ordinal);
        Assert.Equal(7200, host.Applier.Current.FindPhase1("to-branch")!.KeyLifeSeconds);
    }

    [Fact]
    public async Task RestChange_AfterTheCliChangedTheEntry_RefusesTheCliEnd_AndKeepsTheWebChange()
    {
        await using var host = await WebTestHost.StartAsync();
        using var cli = new ConfigCommands(host.Applier, null, host.EditTracker);
        var session = new ControlSession();
        Assert.Equal("", await RunAsync(cli, session, "config vpn ipsec phase1-interface", "edit to-branch", "set dpd on-idle", "next"));

        using var api = host.Api();
        using (var put = await api.PutAsync("/api/v2/cmdb/vpn.ipsec/phase1-interface/to-branch", WebTestHost.Json("""{"keylife": 7200}""")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Contains(Stale, await RunAsync(cli, session, "end"), StringComparison.Ordinal);
        var phase1 = host.Applier.Current.FindPhase1("to-branch")!;
        Assert.Equal(7200, phase1.KeyLifeSeconds);
        Assert.NotEqual(SharpSwan.Config.DpdMode.OnIdle, phase1.Dpd);
    }

    [Fact]
    public async Task CliChange_AfterTheGuiOpenedTheTunnel_RefusesTheGuiSave()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            var page = await client.GetStringAsync("/ipsec/tunnels/to-branch/edit");
            var versions = WebUtility.HtmlDecode(VersionsField().Match(page).Groups[1].Value);
            Assert.NotEmpty(versions);

            using var cli = new ConfigCommands(host.Applier, null, host.EditTracker);
            Assert.Equal("", await RunAsync(cli, new ControlSession(), "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 7200", "next", "end"));
            Assert.Equal(7200, host.Applier.Current.FindPhase1("to-branch")!.KeyLifeSeconds);

            using var save = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), ("entry-versions", versions), .. EditFields()]));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, save.StatusCode);
            Assert.Contains(WebUtility.HtmlEncode(Stale), await save.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            // Nothing of the GUI's form went in: the CLI's keylife stands and the remote gateway is the old one.
            var phase1 = host.Applier.Current.FindPhase1("to-branch")!;
            Assert.Equal(7200, phase1.KeyLifeSeconds);
            Assert.Equal("198.51.100.2", phase1.RemoteGateway.ToString());

            // Reloading the page takes the new version, and the save goes through.
            var reloaded = WebUtility.HtmlDecode(VersionsField().Match(await client.GetStringAsync("/ipsec/tunnels/to-branch/edit")).Groups[1].Value);
            using var again = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), ("entry-versions", reloaded), .. EditFields()]));
            Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
            Assert.Equal("192.0.2.50", host.Applier.Current.FindPhase1("to-branch")!.RemoteGateway.ToString());
        }
    }

    [Fact]
    public async Task CliChangeToAnotherTunnel_DoesNotBlockTheGuiSave()
    {
        await using var host = await WebTestHost.StartAsync();
        var (client, csrf) = await host.LoginAsync();
        using (client)
        {
            var versions = WebUtility.HtmlDecode(VersionsField().Match(await client.GetStringAsync("/ipsec/tunnels/to-branch/edit")).Groups[1].Value);
            using var cli = new ConfigCommands(host.Applier, null, host.EditTracker);
            Assert.Equal("", await RunAsync(cli, new ControlSession(), "config vpn ipsec phase1-interface", "edit dialup", "set keylife 7200", "next", "end"));

            using var save = await client.PostAsync("/ipsec/tunnels/to-branch/edit", WebTestHost.Form([("csrf_token", csrf), ("entry-versions", versions), .. EditFields()]));
            Assert.Equal(HttpStatusCode.Redirect, save.StatusCode);
            Assert.Equal(7200, host.Applier.Current.FindPhase1("dialup")!.KeyLifeSeconds);
            Assert.Equal("192.0.2.50", host.Applier.Current.FindPhase1("to-branch")!.RemoteGateway.ToString());
        }
    }

    private static async Task<string> RunAsync(ConfigCommands cli, ControlSession session, params string[] lines)
    {
        var output = new StringWriter { NewLine = "\n" };
        foreach (var line in lines)
        {
            Assert.True(await cli.TryHandleAsync(session, line, output, CancellationToken.None), line);
        }

        return output.ToString();
    }

    /// <summary>The edit form of to-branch with a new remote gateway, the key left empty (kept).</summary>
    private static (string, string)[] EditFields() =>
    [
        ("type", "static"), ("remote-gw", "192.0.2.50"), ("interface", "eth0"), ("ike-version", "2"),
        ("authmethod", "psk"), ("psksecret", ""), ("proposal", "aes256gcm-prfsha384"), ("proposal", "aes128-sha256"),
        ("dhgrp", "20"), ("keylife", "86400"), ("dpd", "on-demand"), ("dpd-retrycount", "3"), ("dpd-retryinterval", "20"),
        ("nattraversal", "enable"), ("keepalive", "10"), ("comments", ""),
        ("p2[0].original", "to-branch-p2"), ("p2[0].name", "to-branch-p2"), ("p2[0].local", "10.1.0.0/24"), ("p2[0].remote", "10.2.0.0/24"),
        ("p2[0].enc", "aes256gcm"), ("p2[0].auth", "sha256"),
        ("p2[0].replay", "enable"), ("p2[0].pfs", "enable"), ("p2[0].dhgrp", "20"),
        ("p2[0].src-port-all", "enable"), ("p2[0].src-port", "0"), ("p2[0].dst-port-all", "enable"), ("p2[0].dst-port", "0"),
        ("p2[0].protocol-all", "enable"), ("p2[0].protocol", "0"), ("p2[0].auto-negotiate", ""), ("p2[0].keepalive", ""),
        ("p2[0].keylife-type", "seconds"), ("p2[0].keylifeseconds", "43200"), ("p2[0].keylifekbs", "5120"),
    ];

    [GeneratedRegex("<input type=\"hidden\" name=\"entry-versions\" value=\"([^\"]+)\">")]
    private static partial Regex VersionsField();
}
