using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Testing;
using SharpSwan.Web.Api;
using SharpSwan.Web.Hosting;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Web.Tests.Support;

/// <summary>
/// The web server over a real dial-up hub engine: the real <see cref="GatewayTunnelMonitor"/> reads it on its
/// <see cref="EngineLoop"/>, and two static clients (real engines, joined to the hub in memory) connect and leave.
/// Client 1 gets a mode-cfg address; client 2 brings its own subnet. No sockets, no TUN devices.
/// </summary>
internal sealed class DialupWebRig : IEngineInvoker, IAsyncDisposable
{
    public const string Template = DialupTriangle.Template;
    public const string HubAddress = DialupTriangle.HubAddress;
    public const string Client1Address = DialupTriangle.Client1Address;
    public const string Client2Address = DialupTriangle.Client2Address;
    public const string Psk = "dialup-web-psk-value";

    private readonly DialupTriangle _triangle = new(WebTestHost.Parse(DialupTriangle.HubText(Psk)), Psk);
    private readonly EspDataPlane _dataPlane = new(SystemRandomSource.Instance, TimeProvider.System);

    private DialupWebRig(AdminWebServer? server)
    {
        Server = server;
    }

    public AdminWebServer? Server { get; private set; }

    /// <summary>The one tunnel monitor, behind both the REST monitor and the control socket's <c>--json</c>.</summary>
    public GatewayTunnelMonitor? Monitor { get; private set; }

    /// <summary>The hub's control-socket handler, its <c>--json</c> answers written from <see cref="Monitor"/>.</summary>
    public ControlCommandHandler Cli => new(HubLoop, _dataPlane, TimeProvider.System)
    {
        Applier = Applier,
        MonitorJson = () => new MonitorJsonSource(Monitor!, () => Applier!.Current),
    };

    /// <summary>The web's (and the CLI's) configuration: the base one of <see cref="WebTestHost"/>.</summary>
    public FakeConfigurationApplier? Applier { get; private set; }

    public Uri BaseAddress => Server!.BaseAddress;

    public static async Task<DialupWebRig> StartAsync()
    {
        var rig = new DialupWebRig(null);
        var applier = rig.Applier = new FakeConfigurationApplier(WebTestHost.Parse(WebTestHost.BaseConfiguration));
        var clock = TimeProvider.System;
        var webOptions = new AdminWebOptions { Address = IPAddress.Loopback, HttpPort = 0, Time = clock, ErrorLog = Console.Error };
        rig.Monitor = new GatewayTunnelMonitor(rig, clock);
        var services = new AdminWebServices(applier, rig.Monitor, new RecordingPersistence(), new TunnelTimeline());
        rig.Server = await AdminWebServer.StartAsync(webOptions, services);
        return rig;
    }

    public Task<T> InvokeAsync<T>(Func<IkeEngine, EspDataPlane, T> function) => HubLoop.InvokeAsync(engine => function(engine, _dataPlane));

    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WebTestHost.ApiKey);
        return client;
    }

    /// <summary>Client 1 or 2 connects; returns when the hub has that many instances with a child SA.</summary>
    public async Task ConnectAsync(int client, int expectedInstances)
    {
        var loop = _triangle.LoopOf(client == 1 ? _triangle.Client1 : _triangle.Client2);
        Assert.True(await loop.InvokeAsync(engine => engine.Initiate(DialupTriangle.ClientPhase1, DialupTriangle.ClientPhase2)));
        await WaitForInstancesAsync(expectedInstances, withChildSa: true);
    }

    /// <summary>Client 1 or 2 deletes its IKE SA; returns when the hub has that many instances left.</summary>
    public async Task DisconnectAsync(int client, int remainingInstances)
    {
        var loop = _triangle.LoopOf(client == 1 ? _triangle.Client1 : _triangle.Client2);
        Assert.True(await loop.InvokeAsync(engine => engine.Terminate(DialupTriangle.ClientPhase1, null)));
        await WaitForInstancesAsync(remainingInstances, withChildSa: false);
    }

    /// <summary>Polls the hub; the generous limit only turns a hang into a failure, nothing is timed.</summary>
    public async Task WaitForInstancesAsync(int count, bool withChildSa)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await HubLoop.InvokeAsync(engine => engine.InstancesOf(Template).Count(i => !withChildSa ||
                   (i.Current is { State: IkeSaState.Established } sa && sa.Children.Any(c => c.State == ChildSaState.Installed))) == count
                   && engine.InstancesOf(Template).Count() == count))
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {count} dial-up instance(s)");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        _triangle.Dispose();
        _dataPlane.Dispose();
    }

    private EngineLoop HubLoop => _triangle.HubLoop;
}
