using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Web.Hosting;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Tests.Support;

/// <summary>
/// The web server in-process on 127.0.0.1 with a free port (plain HTTP, as the options allow when asked), over a fake
/// gateway, fake monitor and recording storage. One per test.
/// </summary>
internal sealed partial class WebTestHost : IAsyncDisposable
{
    public const string AdminUser = "admin";
    public const string AdminPassword = "correct horse battery";
    public const string ApiKey = "sharpswan-test-api-key-0123456789";

    public const string BaseConfiguration = """
        config system global
            set hostname "hq-gw"
            set admin-sport 8443
        end
        config system admin
            edit "admin"
                set accprofile "super_admin"
                set password "correct horse battery"
            next
        end
        config system api-user
            edit "automation"
                set accprofile "super_admin"
                set api-key "sharpswan-test-api-key-0123456789"
            next
        end
        config vpn ipsec phase1-interface
            edit "to-branch"
                set interface "eth0"
                set ike-version 2
                set remote-gw 198.51.100.2
                set proposal aes256gcm-prfsha384 aes128-sha256
                set dhgrp 20 14
                set psksecret "s3cret-psk-value"
            next
            edit "dialup"
                set type dynamic
                set interface "eth1"
                set ike-version 2
                set peertype any
                set psksecret "another-psk-value"
            next
        end
        config vpn ipsec phase2-interface
            edit "to-branch-p2"
                set phase1name "to-branch"
                set proposal aes256gcm aes128-sha256
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
            next
            edit "dialup-p2"
                set phase1name "dialup"
                set src-subnet 10.1.0.0 255.255.255.0
            next
        end
        config router static
            edit 1
                set dst 10.2.0.0 255.255.255.0
                set device "to-branch"
            next
        end
        """;

    /// <summary>Parsed once: hashing the admin password is deliberately slow.</summary>
    private static readonly Lazy<GatewayConfiguration> Parsed = new(() => Parse(BaseConfiguration));

    private WebTestHost(AdminWebServer server, FakeConfigurationApplier applier, FakeTunnelMonitor monitor, RecordingPersistence persistence, TunnelTimeline timeline)
    {
        Server = server;
        Applier = applier;
        Monitor = monitor;
        Persistence = persistence;
        Timeline = timeline;
    }

    public AdminWebServer Server { get; }

    public FakeConfigurationApplier Applier { get; }

    public FakeTunnelMonitor Monitor { get; }

    public RecordingPersistence Persistence { get; }

    public TunnelTimeline Timeline { get; }

    /// <summary>The stale-edit tracker the web shares with the CLI (give it to a ConfigCommands to edit from both sides).</summary>
    public StaleEditTracker EditTracker { get; private init; } = null!;

    public Uri BaseAddress => Server.BaseAddress;

    public static GatewayConfiguration Parse(string text)
    {
        var result = ConfigurationLoader.Parse(text, "test.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
    }

    public static async Task<WebTestHost> StartAsync(
        TimeProvider? time = null,
        GatewayConfiguration? configuration = null,
        SharpSwan.Gateway.Diagnostics.GatewayMetrics? metrics = null,
        IReadOnlyDictionary<long, PolicyHitCount>? policyHits = null,
        Func<SharpSwan.Gateway.Diagnostics.SessionFilter, int>? clearSessions = null,
        Func<List<SharpSwan.Platform.ConnectionEntry>>? listSessions = null)
    {
        var clock = time ?? TimeProvider.System;
        var applier = new FakeConfigurationApplier(configuration ?? Parsed.Value);
        var monitor = new FakeTunnelMonitor(applier, clock);
        var persistence = new RecordingPersistence();
        var timeline = new TunnelTimeline();
        var options = new AdminWebOptions { Address = IPAddress.Loopback, HttpPort = 0, Time = clock, ErrorLog = Console.Error };
        var tracker = new StaleEditTracker(() => applier.Current);
        var server = await AdminWebServer.StartAsync(options, new AdminWebServices(applier, monitor, persistence, timeline, tracker)
        {
            Metrics = metrics,
            PolicyHits = policyHits is null ? null : () => policyHits,
            ClearSessions = clearSessions,
            ListSessions = listSessions,
        });
        return new WebTestHost(server, applier, monitor, persistence, timeline) { EditTracker = tracker };
    }

    /// <summary>A client without credentials and without following redirects (tests look at them).</summary>
    public HttpClient Anonymous(CookieContainer? cookies = null)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() };
        return new HttpClient(handler) { BaseAddress = BaseAddress };
    }

    public HttpClient Api(string token = ApiKey)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Logs in through the form; returns the client holding the session cookie and the page's CSRF token.</summary>
    public async Task<(HttpClient Client, string Csrf)> LoginAsync()
    {
        return await LoginAsync(AdminUser, AdminPassword);
    }

    /// <summary>Logs <paramref name="user"/> in through the form; returns the client holding the session cookie and the page's CSRF token.</summary>
    public async Task<(HttpClient Client, string Csrf)> LoginAsync(string user, string password)
    {
        var client = Anonymous(new CookieContainer());
        using var login = await PostLoginAsync(client, user, password);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var page = await client.GetStringAsync("/ipsec/tunnels");
        return (client, CsrfOf(page));
    }

    /// <summary>
    /// What a browser does: open the login page (which sets the pre-session cookie and puts its token in the form), then
    /// post the form with that token. <paramref name="client"/> must keep cookies.
    /// </summary>
    public static async Task<HttpResponseMessage> PostLoginAsync(HttpClient client, string user, string password, params (string Name, string Value)[] extra)
    {
        var page = await client.GetStringAsync("/login");
        var token = LoginTokenOf(page);
        return await client.PostAsync("/logincheck", Form([("username", user), ("secretkey", password), ("login_token", token), .. extra]));
    }

    public static string LoginTokenOf(string page) => WebUtility.HtmlDecode(LoginTokenField().Match(page).Groups[1].Value);

    public static string CsrfOf(string page) => WebUtility.HtmlDecode(CsrfMeta().Match(page).Groups[1].Value);

    public static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    public static async Task<JsonObject> JsonOf(HttpResponseMessage response) =>
        (JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject)!;

    public static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        EditTracker.Dispose();
    }

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\">")]
    private static partial Regex CsrfMeta();

    [GeneratedRegex("<input type=\"hidden\" name=\"login_token\" value=\"([^\"]+)\">")]
    private static partial Regex LoginTokenField();
}
