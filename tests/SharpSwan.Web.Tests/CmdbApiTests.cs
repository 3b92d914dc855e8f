using System.Net;
using System.Text.Json.Nodes;
using SharpSwan.Config;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

public sealed class CmdbApiTests
{
    private const string Phase1Url = "/api/v2/cmdb/vpn.ipsec/phase1-interface";
    private const string Phase2Url = "/api/v2/cmdb/vpn.ipsec/phase2-interface";

    [Fact]
    public async Task GetList_HasTheFortiOsEnvelopeAndFieldNames()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var response = await api.GetAsync(Phase1Url);
        var body = await WebTestHost.JsonOf(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("GET", (string?)body["http_method"]);
        Assert.Equal("success", (string?)body["status"]);
        Assert.Equal(200, (int?)body["http_status"]);
        Assert.Equal("root", (string?)body["vdom"]);
        Assert.Equal("vpn.ipsec", (string?)body["path"]);
        Assert.Equal("phase1-interface", (string?)body["name"]);
        Assert.Matches("^[0-9a-f]{32}$", (string?)body["revision"]);
        var results = body["results"]!.AsArray();
        Assert.Equal(2, results.Count);
        var branch = results.Single(r => (string?)r!["name"] == "to-branch")!;
        Assert.Equal("198.51.100.2", (string?)branch["remote-gw"]);
        Assert.Equal(2, (long?)branch["ike-version"]);
        Assert.Equal("aes256gcm-prfsha384 aes128-sha256", (string?)branch["proposal"]);
        Assert.Equal("20 14", (string?)branch["dhgrp"]);
        Assert.Equal(86400, (long?)branch["keylife"]);
        Assert.Equal("eth0", (string?)branch["interface"]);
        Assert.Equal("to-branch", (string?)branch["q_origin_key"]);

        // The key never leaves the gateway.
        Assert.Equal("ENC ****", (string?)branch["psksecret"]);
        Assert.DoesNotContain("s3cret", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostThenGet_RoundTripsAPhase1AndPhase2_AndAppliesAndSavesThem()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();

        using var created1 = await api.PostAsync(Phase1Url, WebTestHost.Json("""
            {"name": "to-dc", "interface": "eth0", "ike-version": 2, "remote-gw": "203.0.113.9",
             "proposal": "aes128-sha256", "dhgrp": "14", "psksecret": "dc-secret-key", "comments": "data centre"}
            """));
        var body1 = await WebTestHost.JsonOf(created1);
        Assert.Equal(HttpStatusCode.OK, created1.StatusCode);
        Assert.Equal("to-dc", (string?)body1["mkey"]);
        Assert.Equal("POST", (string?)body1["http_method"]);
        Assert.True((bool?)body1["revision_changed"]);

        using var created2 = await api.PostAsync(Phase2Url, WebTestHost.Json("""
            {"name": "to-dc-p2", "phase1name": "to-dc", "proposal": "aes256gcm", "src-subnet": "10.1.0.0 255.255.255.0",
             "dst-subnet": "10.9.0.0/16", "auto-negotiate": "enable", "keepalive": "enable", "keylifeseconds": 3600}
            """));
        Assert.Equal(HttpStatusCode.OK, created2.StatusCode);

        using var read = await api.GetAsync($"{Phase2Url}/to-dc-p2");
        var row = (await WebTestHost.JsonOf(read))["results"]!.AsArray().Single()!;
        Assert.Equal("to-dc", (string?)row["phase1name"]);
        Assert.Equal("enable", (string?)row["auto-negotiate"]);
        Assert.Equal("enable", (string?)row["keepalive"]);
        Assert.Equal(3600, (long?)row["keylifeseconds"]);
        Assert.Equal("10.9.0.0 255.255.0.0", (string?)row["dst-subnet"]);
        Assert.Equal("seconds", (string?)row["keylife-type"]);

        var phase2 = host.Applier.Current.Phase2.Single(p => p.Name == "to-dc-p2");
        Assert.True(phase2.AutoNegotiate);
        Assert.True(phase2.Keepalive);
        Assert.Equal(3600, phase2.KeyLifeSeconds);
        Assert.Equal("data centre", host.Applier.Current.FindPhase1("to-dc")!.Comments);
        Assert.Equal(Secret.FromPlaintext("dc-secret-key"), host.Applier.Current.FindPhase1("to-dc")!.PresharedKey);
        Assert.Equal(2, host.Applier.Applied.Count);
        Assert.Contains("set auto-negotiate enable", host.Persistence.Saved[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Put_ChangesOneField_KeepsTheOthers_AndReportsTheRevisions()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        var before = (string?)(await WebTestHost.JsonOf(await api.GetAsync(Phase2Url)))["revision"];

        using var put = await api.PutAsync($"{Phase2Url}/to-branch-p2", WebTestHost.Json("""{"keylifeseconds": 7200, "auto-negotiate": "enable"}"""));
        var body = await WebTestHost.JsonOf(put);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(before, (string?)body["old_revision"]);
        Assert.NotEqual(before, (string?)body["revision"]);

        var phase2 = host.Applier.Current.Phase2.Single(p => p.Name == "to-branch-p2");
        Assert.Equal(7200, phase2.KeyLifeSeconds);
        Assert.True(phase2.AutoNegotiate);
        Assert.Equal("10.2.0.0-10.2.0.255", phase2.Destination.ToString());
        Assert.Equal(["aes256gcm", "aes128-sha256"], phase2.Proposals.Select(p => p.Name));
    }

    [Fact]
    public async Task Put_WithTheMaskedKeyFromGet_KeepsTheKey()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        var row = (await WebTestHost.JsonOf(await api.GetAsync($"{Phase1Url}/to-branch")))["results"]!.AsArray().Single()!.AsObject();
        row["keylife"] = 28800;

        using var put = await api.PutAsync($"{Phase1Url}/to-branch", WebTestHost.Json(row.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var phase1 = host.Applier.Current.FindPhase1("to-branch")!;
        Assert.Equal(28800, phase1.KeyLifeSeconds);
        Assert.Equal(Secret.FromPlaintext("s3cret-psk-value"), phase1.PresharedKey);
    }

    [Fact]
    public async Task Delete_RemovesTheRow_ThenGetIs404()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var deleted = await api.DeleteAsync($"{Phase2Url}/to-branch-p2");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.DoesNotContain(host.Applier.Current.Phase2, p => p.Name == "to-branch-p2");

        using var missing = await api.GetAsync($"{Phase2Url}/to-branch-p2");
        var body = await WebTestHost.JsonOf(missing);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("error", (string?)body["status"]);
        Assert.Equal(404, (int?)body["http_status"]);
        Assert.Equal(-3, (int?)body["error"]);

        using var again = await api.DeleteAsync($"{Phase2Url}/to-branch-p2");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task OutOfRangeValue_IsRefusedWithTheConfigFilesWording_AndNothingIsAppliedOrSaved()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var put = await api.PutAsync($"{Phase2Url}/to-branch-p2", WebTestHost.Json("""{"keylifeseconds": 100}"""));
        var body = await WebTestHost.JsonOf(put);

        Assert.Equal(HttpStatusCode.InternalServerError, put.StatusCode);
        Assert.Equal("error", (string?)body["status"]);
        Assert.Equal(-651, (int?)body["error"]);
        Assert.Equal(
            "node_check_object fail! for keylifeseconds 100\nvalue parse error before '100'\nCommand fail. Return code -651",
            (string?)body["cli_error"]);
        var error = body["errors"]!.AsArray().Single()!;
        Assert.Equal("keylifeseconds", (string?)error["field"]);
        Assert.Equal("to-branch-p2", (string?)error["mkey"]);

        // The same setting in a configuration file gets the same message and reason.
        var fileError = Assert.Single(ConfigurationLoader.Parse(
            WebTestHost.BaseConfiguration.Replace("set dst-subnet 10.2.0.0 255.255.255.0", "set dst-subnet 10.2.0.0 255.255.255.0\n            set keylifeseconds 100", StringComparison.Ordinal),
            "hq.conf").Errors);
        Assert.Equal(fileError.Message, (string?)error["message"]);
        Assert.Equal(fileError.Reason, (string?)error["reason"]);

        Assert.Empty(host.Applier.Applied);
        Assert.Empty(host.Persistence.Saved);
        Assert.Equal(43200, host.Applier.Current.Phase2.Single(p => p.Name == "to-branch-p2").KeyLifeSeconds);
    }

    [Fact]
    public async Task UnknownField_IsACommandParseError()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var put = await api.PutAsync($"{Phase1Url}/to-branch", WebTestHost.Json("""{"bogus-field": "x"}"""));
        var body = await WebTestHost.JsonOf(put);

        Assert.Equal(-61, (int?)body["error"]);
        Assert.Equal("command parse error before 'bogus-field'", (string?)body["errors"]![0]!["message"]);
        Assert.Equal("bogus-field", (string?)body["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task MissingRequiredAttribute_Is424WithTheAttributeNamed()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var post = await api.PostAsync(Phase1Url, WebTestHost.Json("""{"name": "nokey", "interface": "eth0", "ike-version": 2, "remote-gw": "192.0.2.7"}"""));
        var body = await WebTestHost.JsonOf(post);

        Assert.Equal((HttpStatusCode)424, post.StatusCode);
        Assert.Equal(-56, (int?)body["error"]);
        var error = body["errors"]!.AsArray().Single()!;
        Assert.Equal("psksecret", (string?)error["field"]);
        Assert.Equal("Attribute 'psksecret' MUST be set.", (string?)error["message"]);
        Assert.Null(host.Applier.Current.FindPhase1("nokey"));
    }

    [Fact]
    public async Task Phase2OfAMissingPhase1_IsEntryNotFoundInDatasource()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var post = await api.PostAsync(Phase2Url, WebTestHost.Json("""{"name": "orphan", "phase1name": "nowhere"}"""));
        var body = await WebTestHost.JsonOf(post);

        Assert.Equal(-3, (int?)body["error"]);
        Assert.Equal("entry not found in datasource", (string?)body["errors"]![0]!["message"]);
        Assert.Equal("phase1name", (string?)body["errors"]![0]!["field"]);
    }

    [Fact]
    public async Task AutoNegotiateOnDialUp_IsRefusedWithTheReason()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var put = await api.PutAsync($"{Phase2Url}/dialup-p2", WebTestHost.Json("""{"auto-negotiate": "enable"}"""));
        var body = await WebTestHost.JsonOf(put);

        Assert.Equal(HttpStatusCode.InternalServerError, put.StatusCode);
        Assert.Contains("dial-up (type dynamic) phase 1, which can never initiate", (string?)body["errors"]![0]!["reason"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task DuplicatePost_IsErrorMinus5()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var post = await api.PostAsync(Phase2Url, WebTestHost.Json("""{"name": "to-branch-p2", "phase1name": "to-branch"}"""));
        var body = await WebTestHost.JsonOf(post);
        Assert.Equal(HttpStatusCode.InternalServerError, post.StatusCode);
        Assert.Equal(-5, (int?)body["error"]);
    }

    [Fact]
    public async Task PutOfAMissingRow_Is404()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var put = await api.PutAsync($"{Phase1Url}/nothere", WebTestHost.Json("""{"keylife": 3600}"""));
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        Assert.Equal(-3, (int?)(await WebTestHost.JsonOf(put))["error"]);
    }

    /// <summary>Found by fuzz target rest: invalid UTF-8 in a value or a name, a lone surrogate escape, or a name given twice threw inside the edit.</summary>
    [Theory]
    [InlineData("7b22636f6d6d656e7473223a2261ff62227d")] // {"comments":"a\xffb"}
    [InlineData("7b22636f6d8e656e7473223a226162227d")] // {"com\x8eents":"ab"}
    [InlineData("7b22636f6d6d656e7473223a225c7564383030227d")] // {"comments":"\ud800"}
    [InlineData("7b22636f6d6d656e7473223a2261222c22636f6d6d656e7473223a2262227d")] // {"comments":"a","comments":"b"}
    public async Task UnreadableStringsInTheBody_Are400_AndNothingChanges(string hex)
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        var before = host.Applier.Current;
        using var content = new ByteArrayContent(Convert.FromHexString(hex));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");

        using var put = await api.PutAsync($"{Phase1Url}/to-branch", content);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal(-1, (int?)(await WebTestHost.JsonOf(put))["error"]);
        Assert.Same(before, host.Applier.Current);
    }

    [Fact]
    public async Task ValuesCannotInjectCliCommands()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        var sneaky = "x\"\n    next\n    edit \"evil\"\n        set interface \"eth0";
        var body = new JsonObject { ["comments"] = sneaky, ["localid"] = "a b \\ c" };
        using var put = await api.PutAsync($"{Phase1Url}/to-branch", WebTestHost.Json(body.ToJsonString()));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Null(host.Applier.Current.FindPhase1("evil"));
        Assert.Equal(sneaky, host.Applier.Current.FindPhase1("to-branch")!.Comments);
        Assert.Equal("a b \\ c", host.Applier.Current.FindPhase1("to-branch")!.LocalId);
    }

    [Fact]
    public async Task StaticRoute_PostWithoutSeqNumTakesTheNextId()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var post = await api.PostAsync("/api/v2/cmdb/router/static", WebTestHost.Json("""{"dst": "10.3.0.0 255.255.255.0", "device": "to-branch", "distance": 20}"""));
        var created = await WebTestHost.JsonOf(post);
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal(2, (long?)created["mkey"]);

        using var list = await api.GetAsync("/api/v2/cmdb/router/static");
        var route = (await WebTestHost.JsonOf(list))["results"]!.AsArray().Single(r => (long?)r!["seq-num"] == 2)!;
        Assert.Equal("10.3.0.0 255.255.255.0", (string?)route["dst"]);
        Assert.Equal("to-branch", (string?)route["device"]);
        Assert.Equal(20, (long?)route["distance"]);
        Assert.Equal(20, host.Applier.Current.StaticRoutes.Single(r => r.Id == 2).Distance);
    }

    [Fact]
    public async Task FailedLiveApply_IsReported_AndNothingIsSaved()
    {
        await using var host = await WebTestHost.StartAsync();
        host.Applier.FailWith = "RTNETLINK answers: Operation not permitted";
        using var api = host.Api();
        using var put = await api.PutAsync($"{Phase1Url}/to-branch", WebTestHost.Json("""{"keylife": 3600}"""));
        var body = await WebTestHost.JsonOf(put);

        Assert.Equal(HttpStatusCode.InternalServerError, put.StatusCode);
        Assert.Contains("Operation not permitted", (string?)body["message"], StringComparison.Ordinal);
        Assert.Empty(host.Persistence.Saved);
    }

    [Fact]
    public async Task FormatParameter_SelectsFields()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        var row = (await WebTestHost.JsonOf(await api.GetAsync($"{Phase2Url}?format=name|keepalive")))["results"]![0]!.AsObject();
        Assert.Equal(["keepalive", "name", "q_origin_key"], row.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UnknownTable_Is404()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var response = await api.GetAsync("/api/v2/cmdb/firewall/vip");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("cmdb/vpn.ipsec/phase1-interface", (string?)(await WebTestHost.JsonOf(response))["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyThatIsNotAJsonObject_Is400()
    {
        await using var host = await WebTestHost.StartAsync();
        using var api = host.Api();
        using var response = await api.PostAsync(Phase1Url, WebTestHost.Json("[1, 2"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Ikev1XauthFields_AreAcceptedAndReturned_AndThePasswordIsMasked()
    {
        await using var host = await WebTestHost.StartAsync(configuration: XauthWebConfig.Configuration);
        using var api = host.Api();

        using var server = await api.PutAsync($"{Phase1Url}/rw", WebTestHost.Json("""{"xauthtype": "auto", "authusrgrp": "vpn-users"}"""));
        Assert.Equal(HttpStatusCode.OK, server.StatusCode);
        using var created = await api.PostAsync(Phase1Url, WebTestHost.Json("""
            {"name": "to-fgt", "interface": "eth0", "ike-version": 1, "remote-gw": "203.0.113.9", "proposal": "aes256-sha256",
             "dhgrp": "14", "psksecret": "fgt-psk-value", "xauthtype": "client", "authusr": "bob", "authpasswd": "bob-xauth-password"}
            """));
        Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        Assert.Equal(SharpSwan.Config.Secret.FromPlaintext("bob-xauth-password"), host.Applier.Current.FindPhase1("to-fgt")!.AuthPassword);

        using var read = await api.GetAsync(Phase1Url);
        var body = await WebTestHost.JsonOf(read);
        var results = body["results"]!.AsArray();
        var rw = results.Single(r => (string?)r!["name"] == "rw")!;
        Assert.Equal("auto", (string?)rw["xauthtype"]);
        Assert.Equal("vpn-users", (string?)rw["authusrgrp"]);
        var fgt = results.Single(r => (string?)r!["name"] == "to-fgt")!;
        Assert.Equal("client", (string?)fgt["xauthtype"]);
        Assert.Equal("bob", (string?)fgt["authusr"]);
        Assert.Equal("ENC ****", (string?)fgt["authpasswd"]);
        Assert.DoesNotContain("bob-xauth-password", body.ToJsonString(), StringComparison.Ordinal);

        // The mask sent back means "keep the password", as for psksecret.
        using var kept = await api.PutAsync($"{Phase1Url}/to-fgt", WebTestHost.Json("""{"authusr": "carol", "authpasswd": "ENC ****"}"""));
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.Equal("carol", host.Applier.Current.FindPhase1("to-fgt")!.AuthUser);
        Assert.Equal(SharpSwan.Config.Secret.FromPlaintext("bob-xauth-password"), host.Applier.Current.FindPhase1("to-fgt")!.AuthPassword);
    }
}
