using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Ike.Engine;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Hosting;

/// <summary>
/// The running gateway: tunnel interfaces, sockets, routes, the engine thread and the control socket, wired together
/// from one configuration. Dispose undoes everything it set up.
/// </summary>
public sealed class GatewayService : IDisposable
{
    private readonly List<(IPAddress Destination, int Prefix, string Device)> routes = [];
    private readonly EspDataPlane dataPlane;
    private readonly EngineLoop loop;
    private ControlServer? control;
    private IkeEngine? engine;

    private GatewayService(GatewayConfiguration configuration, GatewayOptions options, ConsoleIkeLog log)
    {
        Configuration = configuration;
        Options = options;
        Log = log;
        dataPlane = new EspDataPlane(SystemRandomSource.Instance, TimeProvider.System);
        loop = new EngineLoop(TimeProvider.System);
    }

    public GatewayConfiguration Configuration { get; }

    public GatewayOptions Options { get; }

    public ConsoleIkeLog Log { get; }

    public static GatewayService Start(GatewayConfiguration configuration, GatewayOptions options, TextWriter output)
    {
        var log = new ConsoleIkeLog(options.LogLevel, output, TimeProvider.System);
        var service = new GatewayService(configuration, options, log);
        try
        {
            service.StartCore(output);
            return service;
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        control?.Dispose();
        loop.Dispose();
        foreach (var (destination, prefix, device) in routes)
        {
            try
            {
                NetworkConfigurator.DeleteRoute(destination, prefix, device);
            }
            catch (NetlinkException)
            {
                // Routes through a tunnel interface vanish with the interface.
            }
        }

        dataPlane.Dispose();
        engine?.Dispose();
    }

    private static IPAddress? ResolveLocal(Phase1Settings phase1) =>
        !phase1.LocalGateway.Equals(IPAddress.Any) ? phase1.LocalGateway : NetworkConfigurator.GetPrimaryIPv4(phase1.Interface);

    private void StartCore(TextWriter output)
    {
        var engineOptions = new IkeEngineOptions { LocalAddressResolver = ResolveLocal };
        foreach (var phase1 in Configuration.Phase1.Where(p => p.IsInterfaceMode))
        {
            var tun = TunDevice.Create(phase1.Name);
            NetworkConfigurator.DisableIPv6(phase1.Name);
            NetworkConfigurator.SetMtu(phase1.Name, Options.TunnelMtu);
            NetworkConfigurator.SetLinkUp(phase1.Name);
            var paths = Configuration.Phase2For(phase1.Name).Select(p => new Phase2Path(p)).ToList();
            dataPlane.AddTunnel(new TunnelPath(phase1, tun, paths));
            output.WriteLine($"ike 0:{phase1.Name}: tunnel interface {phase1.Name} up (mtu {Options.TunnelMtu})");
        }

        foreach (var phase1 in Configuration.Phase1)
        {
            var local = ResolveLocal(phase1) ?? throw new InvalidOperationException($"phase1 {phase1.Name}: interface {phase1.Interface} has no IPv4 address");
            dataPlane.BindLocal(local, engineOptions.IkePort, engineOptions.NatTraversalPort);
        }

        foreach (var route in Configuration.StaticRoutes.Where(r => r.Enabled))
        {
            var gateway = route.Gateway.Equals(IPAddress.Any) ? null : route.Gateway;
            NetworkConfigurator.AddRoute(route.Destination, route.PrefixLength, route.Device, gateway);
            routes.Add((route.Destination, route.PrefixLength, route.Device));
            output.WriteLine($"ike 0: route {route.Destination}/{route.PrefixLength} dev {route.Device} installed");
        }

        var host = new GatewayEngineHost(dataPlane, engineOptions.NatTraversalPort);
        engine = new IkeEngine(Configuration, engineOptions, TimeProvider.System, SystemRandomSource.Instance, host, Log);
        dataPlane.IkeReceived = (local, remote, bytes) => loop.Post(() => engine.ReceiveDatagram(local, remote, bytes));
        dataPlane.AcquireRequested = (phase1, phase2) => loop.Post(() => engine.Acquire(phase1, phase2));
        loop.Start(engine);
        dataPlane.StartKeepalives();
        var handler = new ControlCommandHandler(loop, dataPlane, TimeProvider.System);
        control = ControlServer.Start(Options.ControlPath, handler.HandleAsync);
    }
}
