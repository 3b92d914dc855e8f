using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Platform;
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

    private readonly DialupTriangle _triangle;
    private readonly EspDataPlane _dataPlane = new(SystemRandomSource.Instance, TimeProvider.System);

    /// <param name="withDataPlane">The hub's SAs and instances go into the rig's data plane (the template on a real TUN device), as GatewayService wires them.</param>
    private DialupWebRig(bool withDataPlane)
    {
        var hub = WebTestHost.Parse(DialupTriangle.HubText(Psk));
        if (!withDataPlane)
        {
            _triangle = new DialupTriangle(hub, Psk);
            return;
        }

        var template = hub.FindPhase1(Template)!;
        _dataPlane.AddTunnel(new TunnelPath(template, TunDevice.Create($"sswr{Random.Shared.Next(0x10000, 0xfffff):x}"), [.. hub.Phase2For(Template).Select(p => new Phase2Path(Template, p))]));
        _triangle = new DialupTriangle(hub, Psk, triangle => new DataPlaneHubHost(triangle, _dataPlane));
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

    /// <summary>The hub's data plane: with <c>withDataPlane</c>, where its SAs and instances' counters are.</summary>
    public EspDataPlane DataPlane => _dataPlane;

    /// <param name="withDataPlane">Install the hub's SAs into <see cref="DataPlane"/> (needs root: the template gets a TUN device).</param>
    public static async Task<DialupWebRig> StartAsync(bool withDataPlane = false)
    {
        var rig = new DialupWebRig(withDataPlane);
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
