using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Logging;
using SharpSwan.Platform;
using SharpSwan.Web.Api;
using SharpSwan.Web.Monitoring;

namespace SharpSwan.Tests.Shell;

/// <summary>
/// A gateway's control side without root: the real control socket and command handler over a real engine (no
/// sockets or tunnel devices), with a recording applier in place of the data plane's reconfiguration.
/// </summary>
internal sealed class InProcessGateway : IDisposable
{
    public const string Configuration = """
        config vpn ipsec phase1-interface
            edit "to-branch"
                set interface "eth0"
                set ike-version 2
                set local-gw 192.0.2.1
                set remote-gw 198.51.100.2
                set proposal aes128-sha256
                set dhgrp 14
                set psksecret "a-long-enough-secret"
            next
        end
        config vpn ipsec phase2-interface
            edit "to-branch-p2"
                set phase1name "to-branch"
                set proposal aes128-sha256
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
            next
        end
        """;

    private readonly EngineLoop _loop = new(TimeProvider.System);
    private readonly EspDataPlane _dataPlane = new(SystemRandomSource.Instance, TimeProvider.System);
    private readonly ConfigCommands _commands;
    private readonly ControlServer _server;

    public InProcessGateway()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("sharpswan-shell-").FullName;
        var initial = ConfigurationLoader.Parse(Configuration, "hq.conf").Configuration!;
        File.WriteAllText(ConfigPath, Configuration);
        var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway };
        _loop.Start(new IkeEngine(initial, options, TimeProvider.System, SystemRandomSource.Instance, new GatewayEngineHost(_dataPlane, 4500), NullIkeLog.Instance));
        Applier = new RecordingApplier(initial);
        _commands = new ConfigCommands(Applier, new ConfigurationStore(ConfigPath));
        var monitor = new MonitorJsonSource(new GatewayTunnelMonitor(new LoopInvoker(_loop, _dataPlane), TimeProvider.System), () => Applier.Current);
        var handler = new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System) { Applier = Applier, Configuration = _commands, MonitorJson = () => monitor };
        _server = ControlServer.Start(SocketPath, handler.OpenSession);
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "hq.conf");

    public string SocketPath => Path.Combine(Directory, "gw.sock");

    public RecordingApplier Applier { get; }

    public void Dispose()
    {
        _server.Dispose();
        _commands.Dispose();
        _loop.Dispose();
        _dataPlane.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    /// <summary>The engine thread with the data plane at hand, as the running gateway's monitor reads it.</summary>
    private sealed class LoopInvoker(EngineLoop loop, EspDataPlane dataPlane) : IEngineInvoker
    {
        public Task<T> InvokeAsync<T>(Func<IkeEngine, EspDataPlane, T> function) => loop.InvokeAsync(engine => function(engine, dataPlane));
    }

    /// <summary>Stands in for the running gateway's reconfiguration and records what it was given.</summary>
    internal sealed class RecordingApplier(GatewayConfiguration initial) : IConfigurationApplier
    {
        private readonly Lock _lock = new();

        public GatewayConfiguration Current { get; private set; } = initial;

        public int Revision { get; private set; }

        public List<GatewayConfiguration> Applied { get; } = [];

        /// <summary>Who made each applied change, in order.</summary>
        public List<ChangeAuthor> Authors { get; } = [];

        public Task<ConfigurationApplyResult> ApplyAsync(GatewayConfiguration proposed, ChangeAuthor author, CancellationToken cancellation)
        {
            lock (_lock)
            {
                Current = proposed;
                Applied.Add(proposed);
                Authors.Add(author);
                Revision++;
                return Task.FromResult(new ConfigurationApplyResult(true, Revision, [], null));
            }
        }
    }
}
