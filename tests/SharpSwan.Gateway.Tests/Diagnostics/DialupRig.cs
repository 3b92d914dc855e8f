using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Events;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Platform;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// A dial-up hub (<c>type dynamic</c>, mode-cfg pool 10.10.10.1-20) and two static clients, three real engines each on its
/// own <see cref="EngineLoop"/>, joined in memory (<see cref="DialupTriangle"/>). Client 1 asks for a mode-cfg address;
/// client 2 brings its own subnet (10.2.0.0/24). The hub is wired like GatewayService: its typed events feed an event log, its
/// control handler has the diagnose toolbox, and its data plane holds the template's path (on a real, idle TUN device) and
/// one path per instance, as GatewayEngineHost makes them, so each instance has its own counters.
/// </summary>
public sealed class DialupRig : IDisposable
{
    public const string Template = DialupTriangle.Template;
    public const string TemplatePhase2 = DialupTriangle.TemplatePhase2;
    public const string ClientPhase1 = DialupTriangle.ClientPhase1;
    public const string ClientPhase2 = DialupTriangle.ClientPhase2;
    public const string HubAddress = DialupTriangle.HubAddress;
    public const string Client1Address = DialupTriangle.Client1Address;
    public const string Client2Address = DialupTriangle.Client2Address;
    public const string Client1Id = DialupTriangle.Client1Id;
    public const string Client2Id = DialupTriangle.Client2Id;
    public const string Psk = "dialup-rig-psk-value";

    private readonly DialupTriangle _triangle;

    public DialupRig()
    {
        HubConfiguration = DialupTriangle.Parse(HubText, "hub.conf");
        DataPlane = new EspDataPlane(SystemRandomSource.Instance, TimeProvider.System);
        var template = HubConfiguration.FindPhase1(Template)!;
        var tun = TunDevice.Create($"ssdu{Random.Shared.Next(0x10000, 0xfffff):x}");
        DataPlane.AddTunnel(new TunnelPath(template, tun, [.. HubConfiguration.Phase2For(Template).Select(p => new Phase2Path(Template, p))]));

        Log = new ConsoleIkeLog(0, TextWriter.Null, TimeProvider.System);
        Events = new VpnEventLog(null, TimeZoneInfo.Utc);
        VpnEventPipeline.Connect(Stream, Events, () => HubConfiguration, DataPlane);
        _triangle = new DialupTriangle(HubConfiguration, Psk, triangle => new DataPlaneHubHost(triangle, DataPlane, Stream), Log);
        Handler = new ControlCommandHandler(HubLoop, DataPlane, TimeProvider.System)
        {
            Diagnose = new DiagnoseCommands(HubLoop, DataPlane, TimeProvider.System) { Log = Log, Events = Events },
        };
    }

    public static string HubText => DialupTriangle.HubText(Psk);

    public GatewayConfiguration HubConfiguration { get; }

    public EngineLoop HubLoop => _triangle.HubLoop;

    public IkeEngine Hub => _triangle.Hub;

    public IkeEngine Client1 => _triangle.Client1;

    public IkeEngine Client2 => _triangle.Client2;

    public EspDataPlane DataPlane { get; }

    public ConsoleIkeLog Log { get; }

    /// <summary>The hub's typed event stream, as GatewayService's.</summary>
    public GatewayEvents Stream { get; } = new();

    public VpnEventLog Events { get; }

    public ControlCommandHandler Handler { get; }

    public EngineLoop LoopOf(IkeEngine client) => _triangle.LoopOf(client);

    /// <summary>Client 1 connects, then client 2 (so they are instances 0 and 1); returns when the hub has both child SAs.</summary>
    public async Task ConnectBothAsync()
    {
        await ConnectAsync(Client1, expectedInstances: 1);
        await ConnectAsync(Client2, expectedInstances: 2);
    }

    public async Task ConnectAsync(IkeEngine client, int expectedInstances)
    {
        Assert.True(await LoopOf(client).InvokeAsync(engine => engine.Initiate(ClientPhase1, ClientPhase2)));
        await EnginePair.WaitForAsync(
            () => HubLoop.InvokeAsync(hub => hub.InstancesOf(Template).Count(i => i.Current is { State: IkeSaState.Established } sa &&
                sa.Children.Any(c => c.State == ChildSaState.Installed)) == expectedInstances),
            $"{expectedInstances} connected dial-up instance(s)");
    }

    /// <summary>The client deletes its IKE SA (DELETE to the hub); returns when the hub has that many instances left.</summary>
    public async Task DisconnectAsync(IkeEngine client, int remainingInstances)
    {
        Assert.True(await LoopOf(client).InvokeAsync(engine => engine.Terminate(ClientPhase1, null)));
        await EnginePair.WaitForAsync(
            () => HubLoop.InvokeAsync(hub => hub.InstancesOf(Template).Count() == remainingInstances),
            $"{remainingInstances} dial-up instance(s) left");
    }

    public async Task<string> RunAsync(string command)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        await Handler.HandleAsync(new ControlSession(), command, writer, CancellationToken.None);
        return writer.ToString();
    }

    public void Dispose()
    {
        _triangle.Dispose();
        DataPlane.Dispose();
    }
}
