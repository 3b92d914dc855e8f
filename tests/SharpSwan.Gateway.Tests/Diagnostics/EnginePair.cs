using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Events;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// Two real IKE engines, each on its own <see cref="EngineLoop"/> as in the gateway, joined by an in-memory "network"
/// (each host posts the datagram to the peer's loop). Side A is wired like GatewayService: its <see cref="ConsoleIkeLog"/>
/// carries tunnel context, its typed events go through a <see cref="GatewayEvents"/> stream to an event log, and A's
/// control handler has the diagnose toolbox. No sockets, no root.
/// </summary>
public sealed class EnginePair : IDisposable
{
    public const string Phase1 = "to-branch";
    public const string Phase2 = "to-branch-p2";
    public const string AddressA = "192.0.2.1";
    public const string AddressB = "198.51.100.2";
    public const string Psk = "pair-secret-psk-value";

    private readonly EngineLoop _loopB = new(TimeProvider.System);
    private readonly EspDataPlane _dataPlane = new(SystemRandomSource.Instance, TimeProvider.System);

    /// <param name="pskB">B's pre-shared key; a different one than A's makes authentication fail.</param>
    public EnginePair(string pskB = Psk)
    {
        var configA = Parse(Phase1, Phase2, AddressA, AddressB, "10.1.0.0", "10.2.0.0", Psk);
        var configB = Parse("to-hq", "to-hq-p2", AddressB, AddressA, "10.2.0.0", "10.1.0.0", pskB);
        LogA = new ConsoleIkeLog(0, TextWriter.Null, TimeProvider.System);
        Events = new VpnEventLog(null, TimeZoneInfo.Utc);
        Endpoints = new TunnelEndpointMap();
        LogA.Endpoints = Endpoints;
        VpnEventPipeline.Connect(Stream, Events, () => configA, _dataPlane);
        var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway };
        var hostA = new LinkHost(() => _loopB, () => EngineB!, Stream);
        var hostB = new LinkHost(() => LoopA, () => EngineA!, null);
        EngineA = new IkeEngine(configA, options, TimeProvider.System, SystemRandomSource.Instance, hostA, LogA);
        EngineB = new IkeEngine(configB, options, TimeProvider.System, SystemRandomSource.Instance, hostB, new ConsoleIkeLog(0, TextWriter.Null, TimeProvider.System));
        LoopA.Post(() => Endpoints.Refresh(EngineA));
        LoopA.Start(EngineA);
        _loopB.Start(EngineB);
        Handler = new ControlCommandHandler(LoopA, _dataPlane, TimeProvider.System)
        {
            Diagnose = new DiagnoseCommands(LoopA, _dataPlane, TimeProvider.System) { Log = LogA, Events = Events },
        };
    }

    public EngineLoop LoopA { get; } = new(TimeProvider.System);

    /// <summary>A's data plane (no sockets bound): its counters are what `diagnose vpn tunnel stat` prints.</summary>
    public EspDataPlane DataPlaneA => _dataPlane;

    public IkeEngine EngineA { get; }

    public IkeEngine EngineB { get; }

    public ConsoleIkeLog LogA { get; }

    /// <summary>A's typed event stream, as GatewayService's.</summary>
    public GatewayEvents Stream { get; } = new();

    public VpnEventLog Events { get; }

    public TunnelEndpointMap Endpoints { get; }

    public ControlCommandHandler Handler { get; }

    /// <summary>Starts A's phase 2 and waits until A has it installed.</summary>
    public async Task BringUpAsync()
    {
        Assert.True(await LoopA.InvokeAsync(engine => engine.Initiate(Phase1, Phase2)));
        await WaitForAsync(() => SelectorsUpAsync(), "A's phase 2 to come up");
    }

    public Task<bool> SelectorsUpAsync() =>
        LoopA.InvokeAsync(engine => engine.Tunnels.Single().Current is { State: IkeSaState.Established } sa
            && sa.Children.Any(c => c.Phase2Name == Phase2 && c.State == ChildSaState.Installed));

    public async Task<string> RunAsync(string command, ControlSession? session = null)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        await Handler.HandleAsync(session ?? new ControlSession(), command, writer, CancellationToken.None);
        return writer.ToString();
    }

    /// <summary>Polls a condition; the generous limit only turns a hang into a failure, nothing is timed.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"gave up waiting for {what}");
            await Task.Delay(20);
        }
    }

    public static Task WaitForAsync(Func<bool> condition, string what) => WaitForAsync(() => Task.FromResult(condition()), what);

    public void Dispose()
    {
        LoopA.Dispose();
        _loopB.Dispose();
        _dataPlane.Dispose();
        EngineA.Dispose();
        EngineB.Dispose();
    }

    private static GatewayConfiguration Parse(string phase1, string phase2, string local, string remote, string localNet, string remoteNet, string psk)
    {
        var result = ConfigurationLoader.Parse(EngineNetwork.SiteToSite(phase1, phase2, local, remote, localNet, remoteNet, psk), phase1 + ".conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
    }

    /// <summary>
    /// Delivers IKE datagrams to the peer engine's loop and events to the stream (if any); child SAs are only recorded (no
    /// data plane here).
    /// </summary>
    private sealed class LinkHost(Func<EngineLoop> peerLoop, Func<IkeEngine> peer, GatewayEvents? stream) : IIkeEngineHost
    {
        public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message)
        {
            var bytes = message.ToArray();
            peerLoop().Post(() => peer().ReceiveDatagram(remote, local, bytes));
        }

        public void InstallChildSa(ChildSaInstall install)
        {
        }

        public void ActivateOutbound(string phase1, string phase2, uint outboundSpi)
        {
        }

        public void RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi)
        {
        }

        public ChildSaActivity GetActivity(uint inboundSpi, uint outboundSpi) => default;

        public void Publish(IkeEvent e) => stream?.Publish(e);
    }
}
