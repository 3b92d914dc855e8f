using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
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
    public const string Template = "dialup";
    public const string HubAddress = "192.0.2.1";
    public const string Client1Address = "198.51.100.10";
    public const string Client2Address = "198.51.100.20";
    public const string Psk = "dialup-web-psk-value";

    private const string ClientPhase1 = "to-hub";
    private const string ClientPhase2 = "to-hub-p2";

    private readonly Dictionary<IPAddress, (EngineLoop Loop, Func<IkeEngine> Engine)> _network = [];
    private readonly EngineLoop _hubLoop = new(TimeProvider.System);
    private readonly EngineLoop _loop1 = new(TimeProvider.System);
    private readonly EngineLoop _loop2 = new(TimeProvider.System);
    private readonly EspDataPlane _dataPlane = new(SystemRandomSource.Instance, TimeProvider.System);
    private readonly IkeEngine _hub;
    private readonly IkeEngine _client1;
    private readonly IkeEngine _client2;

    private DialupWebRig(AdminWebServer? server)
    {
        var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway };
        _hub = Engine(HubText, "hub.conf", options);
        _client1 = Engine(ClientText(Client1Address, "client1.example", modeCfg: true), "client1.conf", options);
        _client2 = Engine(ClientText(Client2Address, "client2.example", modeCfg: false), "client2.conf", options);
        _network[IPAddress.Parse(HubAddress)] = (_hubLoop, () => _hub);
        _network[IPAddress.Parse(Client1Address)] = (_loop1, () => _client1);
        _network[IPAddress.Parse(Client2Address)] = (_loop2, () => _client2);
        _hubLoop.Start(_hub);
        _loop1.Start(_client1);
        _loop2.Start(_client2);
        Server = server;
    }

    public AdminWebServer? Server { get; private set; }

    /// <summary>The one tunnel monitor, behind both the REST monitor and the control socket's <c>--json</c>.</summary>
    public GatewayTunnelMonitor? Monitor { get; private set; }

    /// <summary>The hub's control-socket handler, its <c>--json</c> answers written from <see cref="Monitor"/>.</summary>
    public ControlCommandHandler Cli => new(_hubLoop, _dataPlane, TimeProvider.System)
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

    public Task<T> InvokeAsync<T>(Func<IkeEngine, EspDataPlane, T> function) => _hubLoop.InvokeAsync(engine => function(engine, _dataPlane));

    public HttpClient Api()
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", WebTestHost.ApiKey);
        return client;
    }

    /// <summary>Client 1 or 2 connects; returns when the hub has that many instances with a child SA.</summary>
    public async Task ConnectAsync(int client, int expectedInstances)
    {
        var loop = client == 1 ? _loop1 : _loop2;
        Assert.True(await loop.InvokeAsync(engine => engine.Initiate(ClientPhase1, ClientPhase2)));
        await WaitForInstancesAsync(expectedInstances, withChildSa: true);
    }

    /// <summary>Client 1 or 2 deletes its IKE SA; returns when the hub has that many instances left.</summary>
    public async Task DisconnectAsync(int client, int remainingInstances)
    {
        var loop = client == 1 ? _loop1 : _loop2;
        Assert.True(await loop.InvokeAsync(engine => engine.Terminate(ClientPhase1, null)));
        await WaitForInstancesAsync(remainingInstances, withChildSa: false);
    }

    /// <summary>Polls the hub; the generous limit only turns a hang into a failure, nothing is timed.</summary>
    public async Task WaitForInstancesAsync(int count, bool withChildSa)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await _hubLoop.InvokeAsync(engine => engine.InstancesOf(Template).Count(i => !withChildSa ||
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

        _hubLoop.Dispose();
        _loop1.Dispose();
        _loop2.Dispose();
        _dataPlane.Dispose();
        _hub.Dispose();
        _client1.Dispose();
        _client2.Dispose();
    }

    private static string HubText => $$"""
        config firewall address
            edit "hub-lan"
                set subnet 10.1.0.0 255.255.255.0
            next
        end
        config vpn ipsec phase1-interface
            edit "{{Template}}"
                set type dynamic
                set interface "wan0"
                set ike-version 2
                set local-gw {{HubAddress}}
                set peertype any
                set proposal aes256gcm-prfsha384
                set dhgrp 20
                set psksecret "{{Psk}}"
                set mode-cfg enable
                set ipv4-start-ip 10.10.10.1
                set ipv4-end-ip 10.10.10.20
                set ipv4-netmask 255.255.255.0
                set ipv4-split-include "hub-lan"
            next
        end
        config vpn ipsec phase2-interface
            edit "dialup-p2"
                set phase1name "{{Template}}"
                set proposal aes256gcm
                set dhgrp 20
                set src-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;

    private static string ClientText(string address, string id, bool modeCfg) => $$"""
        config vpn ipsec phase1-interface
            edit "{{ClientPhase1}}"
                set interface "eth0"
                set ike-version 2
                set local-gw {{address}}
                set remote-gw {{HubAddress}}
                set localid "{{id}}"
                set proposal aes256gcm-prfsha384
                set dhgrp 20
                set auto-negotiate disable
                set psksecret "{{Psk}}"
                set mode-cfg {{(modeCfg ? "enable" : "disable")}}
            next
        end
        config vpn ipsec phase2-interface
            edit "{{ClientPhase2}}"
                set phase1name "{{ClientPhase1}}"
                set proposal aes256gcm
                set dhgrp 20
                {{(modeCfg ? "" : "set src-subnet 10.2.0.0 255.255.255.0")}}
                set dst-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;

    private IkeEngine Engine(string text, string file, IkeEngineOptions options) =>
        new(WebTestHost.Parse(text), options, TimeProvider.System, SystemRandomSource.Instance, new LinkHost(this),
            new ConsoleIkeLog(0, TextWriter.Null, TimeProvider.System));

    private void Deliver(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message)
    {
        if (_network.TryGetValue(remote.Address, out var peer))
        {
            var bytes = message.ToArray();
            peer.Loop.Post(() => peer.Engine().ReceiveDatagram(remote, local, bytes));
        }
    }

    /// <summary>IKE through the in-memory network; child SAs are only recorded by the engines (no data plane here).</summary>
    private sealed class LinkHost(DialupWebRig rig) : IIkeEngineHost
    {
        public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message) => rig.Deliver(local, remote, message);

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
    }
}
