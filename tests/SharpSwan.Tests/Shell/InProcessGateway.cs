using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Logging;
using SharpSwan.Platform;

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
        var handler = new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System) { Applier = Applier, Configuration = _commands };
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

    /// <summary>Stands in for the running gateway's reconfiguration and records what it was given.</summary>
    internal sealed class RecordingApplier(GatewayConfiguration initial) : IConfigurationApplier
    {
        private readonly Lock _lock = new();

        public GatewayConfiguration Current { get; private set; } = initial;

        public int Revision { get; private set; }

        public List<GatewayConfiguration> Applied { get; } = [];

        public Task<ConfigurationApplyResult> ApplyAsync(GatewayConfiguration proposed, CancellationToken cancellation)
        {
            lock (_lock)
            {
                Current = proposed;
                Applied.Add(proposed);
                Revision++;
                return Task.FromResult(new ConfigurationApplyResult(true, Revision, [], null));
            }
        }
    }
}
