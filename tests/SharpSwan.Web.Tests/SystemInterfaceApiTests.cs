using System.Net;
using System.Text.Json.Nodes;
using SharpSwan.Config;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>
/// <c>/api/v2/cmdb/system/interface</c>: every entry of the kept table is listed, but only a phase1-interface's tunnel
/// entry may be created, changed or deleted, under the rules the CLI applies; the other entries stay as written.
/// </summary>
public sealed class SystemInterfaceApiTests
{
    private const string Url = "/api/v2/cmdb/system/interface";

    /// <summary>A physical port as the writer prints it (no secret, so its text is the same in every save).</summary>
    private const string Port1 = "    edit \"port1\"\n        set vdom \"root\"\n        set ip 192.0.2.1 255.255.255.0\n        set allowaccess ping https ssh\n        set type physical\n        set alias \"wan\"\n    next\n";

    /// <summary>A PPPoE port whose password the file holds: it is saved encrypted and must never be printed.</summary>
    private const string Port2 = "    edit \"port2\"\n        set vdom \"root\"\n        set mode pppoe\n        set type physical\n        set username \"isp-user\"\n        set password \"pppoe-secret-text\"\n    next\n";

    private const string Tunnel = "    edit \"to-branch\"\n        set vdom \"root\"\n        set allowaccess ping\n        set type tunnel\n        set ip 169.254.21.2 255.255.255.255\n        set remote-ip 169.254.21.1 255.255.255.252\n        set interface \"eth0\"\n        set alias \"branch\"\n        set description \"to the branch\"\n    next\n";

    /// <summary>dialup is a phase1-interface whose entry the file gave another type: kept, not the editors' to change.</summary>
    private const string DialupLoopback = "    edit \"dialup\"\n        set vdom \"root\"\n        set type loopback\n    next\n";

    private static readonly Lazy<GatewayConfiguration> WithTunnel = new(() =>
        WebTestHost.Parse(WebTestHost.BaseConfiguration + "\nconfig system interface\n" + Port1 + Port2 + Tunnel + DialupLoopback + "end\n"));

    private static readonly Lazy<GatewayConfiguration> PortsOnly = new(() =>
        WebTestHost.Parse(WebTestHost.BaseConfiguration + "\nconfig system interface\n" + Port1 + Port2 + "end\n"));

    [Fact]
    public async Task GetList_ShowsEveryEntry_PhysicalPortsToo_AndNeverASecret()
    {
        await using var host = await WebTestHost.StartAsync(configuration: WithTunnel.Value);
        using var api = host.Api();

        using var response = await api.GetAsync(Url);
        var text = await response.Content.ReadAsStringAsync();
        var body = (JsonNode.Parse(text) as JsonObject)!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("system", (string?)body["path"]);
        Assert.Equal("interface", (string?)body["name"]);
        var results = body["results"]!.AsArray();
        Assert.Equal(["port1", "port2", "to-branch", "dialup"], results.Select(r => (string?)r!["name"]));

        var port1 = results[0]!;
        Assert.Equal("physical", (string?)port1["type"]);
        Assert.Equal("192.0.2.1 255.255.255.0", (string?)port1["ip"]);
        Assert.Equal("wan", (string?)port1["alias"]);
        Assert.Equal("ping https ssh", (string?)port1["allowaccess"]);
        var tunnel = results[2]!;
        Assert.Equal("tunnel", (string?)tunnel["type"]);
        Assert.Equal("169.254.21.1 255.255.255.252", (string?)tunnel["remote-ip"]);
        Assert.Equal("to the branch", (string?)tunnel["description"]);

        Assert.Equal("ENC ****", (string?)results[1]!["password"]);
        Assert.DoesNotContain("pppoe-secret-text", text, StringComparison.Ordinal);

        using var one = await api.GetAsync($"{Url}/port2");
        var oneText = await one.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal("isp-user", (string?)(JsonNode.Parse(oneText)!["results"]!.AsArray().Single()!["username"]));
        Assert.Contains("\"password\":\"ENC ****\"", oneText, StringComparison.Ordinal);
        Assert.DoesNotContain("pppoe-secret-text", oneText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_CreatesAPhase1InterfacesEntry_WithFortiOsDefaults_AppliedAndSaved_OtherEntriesUntouched()
    {
        await using var host = await WebTestHost.StartAsync(configuration: PortsOnly.Value);
        using var api = host.Api();

        using var created = await api.PostAsync(Url, WebTestHost.Json("""
            {"name": "to-branch", "allowaccess": "ping", "ip": "169.254.1.1 255.255.255.255", "remote-ip": "169.254.1.2/30", "mtu-override": "enable", "mtu": 1400}
            """));
        var body = await WebTestHost.JsonOf(created);
        Assert.True(created.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("to-branch", (string?)body["mkey"]);
        // allowaccess ping: without it the gateway would warn that the kernel answers pings anyway.
        Assert.True(body["warnings"] is null, body.ToJsonString());

        var tunnel = host.Applier.Current.FindTunnelInterface("to-branch");
        Assert.NotNull(tunnel);
        Assert.Equal(IPAddress.Parse("169.254.1.1"), tunnel.Local);
        Assert.Equal(IPAddress.Parse("169.254.1.2"), tunnel.Remote);
        Assert.Equal(30, tunnel.PrefixLength);
        Assert.Equal(1400, tunnel.Mtu);
        Assert.Single(host.Applier.Applied);

        var saved = AssertPortsKept(host, PortsOnly.Value);
        Assert.Contains(
            "    edit \"to-branch\"\n        set vdom \"root\"\n        set type tunnel\n        set interface \"eth0\"\n        set allowaccess ping\n        set ip 169.254.1.1 255.255.255.255\n        set remote-ip 169.254.1.2/30\n        set mtu-override enable\n        set mtu 1400\n    next\nend\n",
            saved,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_ChangesTheTunnelsAddressesAndMtu_KeepsItsOtherLines_AndEveryOtherEntry()
    {
        await using var host = await WebTestHost.StartAsync(configuration: WithTunnel.Value);
        using var api = host.Api();

        using var put = await api.PutAsync($"{Url}/to-branch", WebTestHost.Json("""
            {"ip": "169.254.21.6 255.255.255.255", "mtu-override": "enable", "mtu": 1380, "description": null}
            """));
        var body = await WebTestHost.JsonOf(put);
        Assert.True(put.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal("to-branch", (string?)body["mkey"]);

        var tunnel = host.Applier.Current.FindTunnelInterface("to-branch")!;
        Assert.Equal(IPAddress.Parse("169.254.21.6"), tunnel.Local);
        Assert.Equal(IPAddress.Parse("169.254.21.1"), tunnel.Remote);
        Assert.Equal(1380, tunnel.Mtu);

        var saved = AssertPortsKept(host, WithTunnel.Value);
        Assert.Contains(
            "    edit \"to-branch\"\n        set vdom \"root\"\n        set allowaccess ping\n        set type tunnel\n        set ip 169.254.21.6 255.255.255.255\n        set remote-ip 169.254.21.1 255.255.255.252\n        set interface \"eth0\"\n        set alias \"branch\"\n        set mtu-override enable\n        set mtu 1380\n    next\n" + DialupLoopback + "end\n",
            saved,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_OfTheRowGetReturned_IsAccepted_ThoughItCarriesAFieldTheEditorsMayNotSet()
    {
        await using var host = await WebTestHost.StartAsync(configuration: WithTunnel.Value);
        using var api = host.Api();
        var row = (await WebTestHost.JsonOf(await api.GetAsync($"{Url}/to-branch")))["results"]!.AsArray().Single()!.AsObject();
        Assert.Equal("branch", (string?)row["alias"]);
        row["remote-ip"] = "169.254.21.5 255.255.255.252";

        using var put = await api.PutAsync($"{Url}/to-branch", WebTestHost.Json(row.ToJsonString()));
        var body = await WebTestHost.JsonOf(put);
        Assert.True(put.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        Assert.Equal(IPAddress.Parse("169.254.21.5"), host.Applier.Current.FindTunnelInterface("to-branch")!.Remote);
        Assert.Contains("        set alias \"branch\"\n        set description \"to the branch\"\n", host.Persistence.Saved.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delete_RemovesOnlyTheTunnelEntry()
    {
        await using var host = await WebTestHost.StartAsync(configuration: WithTunnel.Value);
        using var api = host.Api();

        using var deleted = await api.DeleteAsync($"{Url}/to-branch");
        var body = await WebTestHost.JsonOf(deleted);
        Assert.True(deleted.StatusCode == HttpStatusCode.OK, body.ToJsonString());

        Assert.Null(host.Applier.Current.FindTunnelInterface("to-branch"));
        var saved = AssertPortsKept(host, WithTunnel.Value);
        Assert.DoesNotContain("edit \"to-branch\"\n        set vdom", saved, StringComparison.Ordinal);
        Assert.Contains("    next\n" + DialupLoopback + "end\n", saved, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MtuWithoutMtuOverride_IsSaved_WithAWarningThatItIsNotApplied()
    {
        await using var host = await WebTestHost.StartAsync(configuration: WithTunnel.Value);
        using var api = host.Api();

        using var put = await api.PutAsync($"{Url}/to-branch", WebTestHost.Json("""{"mtu": 1400}"""));
        var body = await WebTestHost.JsonOf(put);
        Assert.True(put.StatusCode == HttpStatusCode.OK, body.ToJsonString());
        var warning = Assert.Single(body["warnings"]!.AsArray())!;
        Assert.Equal("system interface", (string?)warning["path"]);
        Assert.Equal("to-branch", (string?)warning["mkey"]);
        Assert.Equal("mtu", (string?)warning["field"]);
        Assert.Contains("mtu 1400 is kept but not applied because mtu-override is not enabled", (string?)warning["message"], StringComparison.Ordinal);

        Assert.Null(host.Applier.Current.FindTunnelInterface("to-branch")!.Mtu);
        Assert.Contains("        set mtu 1400\n", host.Persistence.Saved.Single(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string?, int, int, string, string> Refusals => new()
    {
        // method, url, body, HTTP status, FortiOS return code, field the error is on, what the message must say
        { "POST", Url, """{"name": "port9", "ip": "169.254.9.1/32"}""", 424, -3, "name", "entry \"port9\" is not a phase1-interface" },
        { "POST", Url, """{"name": "to-branch"}""", 500, -5, "", "a duplicate entry already exists: interface to-branch" },
        { "PUT", $"{Url}/port1", """{"ip": "192.0.2.9 255.255.255.0"}""", 424, -3, "name", "entry \"port1\" is not a phase1-interface" },
        { "PUT", $"{Url}/dialup", """{"ip": "169.254.9.1/32"}""", 500, -61, "name", "entry \"dialup\" is type loopback, not tunnel" },
        { "PUT", $"{Url}/to-branch", """{"mtu": 1400, "speed": "1000full"}""", 500, -61, "speed", "'speed' is not a tunnel interface setting SharpSwan applies" },
        { "PUT", $"{Url}/to-branch", """{"type": "physical"}""", 500, -61, "type", "type of a phase1-interface's entry is tunnel" },
        { "PUT", $"{Url}/to-branch", """{"type": null}""", 500, -61, "type", "type of a phase1-interface's entry is tunnel" },
        { "PUT", $"{Url}/to-branch", """{"name": "to-hq"}""", 500, -61, "name", "rename is not available in config system interface" },
        { "DELETE", $"{Url}/port1", null, 424, -3, "name", "entry \"port1\" is not a phase1-interface" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task AChangeTheSharedRulesRefuse_IsRefusedWithItsReason_AndNothingIsAppliedOrSaved(
        string method, string url, string? json, int status, int code, string field, string says)
    {
        await using var host = await WebTestHost.StartAsync(configuration: WithTunnel.Value);
        using var api = host.Api();
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = json is null ? null : WebTestHost.Json(json) };

        using var response = await api.SendAsync(request);
        var body = await WebTestHost.JsonOf(response);
        Assert.True((int)response.StatusCode == status, body.ToJsonString());
        Assert.Equal(code, (int?)body["error"]);
        Assert.Contains(says, (string?)body["message"], StringComparison.Ordinal);
        if (field.Length > 0)
        {
            var error = Assert.Single(body["errors"]!.AsArray())!;
            Assert.Equal(field, (string?)error["field"]);
            Assert.Contains($"Command fail. Return code {code}", (string?)body["cli_error"], StringComparison.Ordinal);
        }

        Assert.Empty(host.Applier.Applied);
        Assert.Empty(host.Persistence.Saved);
    }

    /// <summary>
    /// A phase1-interface whose tunnel entry would be left behind is not deleted or renamed, as the CLI refuses it: the
    /// entry would give a later phase1-interface of that name its addresses, or the renamed tunnel would lose them.
    /// </summary>
    [Fact]
    public async Task DeletingOrRenamingAPhase1InterfaceWithATunnelEntry_IsRefused_UntilTheEntryIsDeleted()
    {
        await using var host = await WebTestHost.StartAsync(configuration: WithTunnel.Value);
        using var api = host.Api();
        using var phase2Gone = await api.DeleteAsync("/api/v2/cmdb/vpn.ipsec/phase2-interface/to-branch-p2");
        Assert.Equal(HttpStatusCode.OK, phase2Gone.StatusCode);
        var applied = host.Applier.Applied.Count;

        using var deleted = await api.DeleteAsync("/api/v2/cmdb/vpn.ipsec/phase1-interface/to-branch");
        var deleteBody = await WebTestHost.JsonOf(deleted);
        Assert.Equal(-23, (int?)deleteBody["error"]);
        Assert.Contains("system interface \"to-branch\"", (string?)deleteBody["message"], StringComparison.Ordinal);
        using var renamed = await api.PutAsync("/api/v2/cmdb/vpn.ipsec/phase1-interface/to-branch", WebTestHost.Json("""{"name": "to-hq"}"""));
        Assert.Equal(-23, (int?)(await WebTestHost.JsonOf(renamed))["error"]);
        Assert.Equal(applied, host.Applier.Applied.Count);
        Assert.NotNull(host.Applier.Current.FindPhase1("to-branch"));

        using var entryGone = await api.DeleteAsync($"{Url}/to-branch");
        Assert.Equal(HttpStatusCode.OK, entryGone.StatusCode);
        using var deletedNow = await api.DeleteAsync("/api/v2/cmdb/vpn.ipsec/phase1-interface/to-branch");
        Assert.True(deletedNow.StatusCode == HttpStatusCode.OK, (await WebTestHost.JsonOf(deletedNow)).ToJsonString());
        Assert.Null(host.Applier.Current.FindPhase1("to-branch"));
    }

    [Fact]
    public async Task TheTableBelongsToNetgrp_AProfileWithoutItIsRefused()
    {
        // watcher's profile: sysgrp read, netgrp none.
        await using var host = await WebTestHost.StartAsync(configuration: HardeningConfig.Configuration);
        using var api = host.Api(HardeningConfig.WatcherKey);

        using var read = await api.GetAsync(Url);
        Assert.Equal(HttpStatusCode.Forbidden, read.StatusCode);
        Assert.Contains("netgrp", (string?)(await WebTestHost.JsonOf(read))["message"], StringComparison.Ordinal);
        using var write = await api.PostAsync(Url, WebTestHost.Json("""{"name": "to-branch"}"""));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Empty(host.Applier.Applied);
    }

    /// <summary>
    /// The one saved file, after checking that the physical ports in it stay as written: port1 byte for byte at the head of
    /// the table, port2 (whose secret is re-encrypted on every save) line for line by value.
    /// </summary>
    private static string AssertPortsKept(WebTestHost host, GatewayConfiguration before)
    {
        var saved = host.Persistence.Saved.Single();
        Assert.Contains("config system interface\n" + Port1 + "    edit \"port2\"", saved, StringComparison.Ordinal);
        Assert.Equal(PortLines(before, "port2"), PortLines(host.Applier.Current, "port2"));
        return saved;
    }

    /// <summary>The kept lines of entry <paramref name="name"/> (secrets compared by value, not by their encrypted text).</summary>
    private static List<KeptLine> PortLines(GatewayConfiguration configuration, string name)
    {
        var lines = configuration.KeptTables.Single(k => k.Path == "system interface").Lines;
        var start = lines.IndexOf(new KeptLine(1, $"edit \"{name}\""));
        Assert.True(start >= 0, $"no entry {name}");
        return [.. lines.Skip(start).TakeWhile((l, i) => i == 0 || l.Depth != 1)];
    }
}
