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

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// A dial-up hub (<c>type dynamic</c>, mode-cfg pool 10.10.10.1-20) and two static clients, three real engines each on its
/// own <see cref="EngineLoop"/>, joined in memory as <see cref="EnginePair"/> joins two. Client 1 asks for a mode-cfg address;
/// client 2 brings its own subnet (10.2.0.0/24). The hub is wired like GatewayService: its typed events feed an event log, its
/// control handler has the diagnose toolbox, and its data plane holds the template's path (on a real, idle TUN device) and
/// one path per instance, as GatewayEngineHost makes them, so each instance has its own counters.
/// </summary>
public sealed class DialupRig : IDisposable
{
    public const string Template = "dialup";
    public const string TemplatePhase2 = "dialup-p2";
    public const string ClientPhase1 = "to-hub";
    public const string ClientPhase2 = "to-hub-p2";
    public const string HubAddress = "192.0.2.1";
    public const string Client1Address = "198.51.100.10";
    public const string Client2Address = "198.51.100.20";
    public const string Client1Id = "client1.example";
    public const string Client2Id = "client2.example";
    public const string Psk = "dialup-rig-psk-value";

    private readonly Dictionary<IPAddress, (EngineLoop Loop, Func<IkeEngine> Engine)> _network = [];
    private readonly EngineLoop _loop1 = new(TimeProvider.System);
    private readonly EngineLoop _loop2 = new(TimeProvider.System);

    public DialupRig()
    {
        HubConfiguration = Parse(HubText, "hub.conf");
        var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway };
        DataPlane = new EspDataPlane(SystemRandomSource.Instance, TimeProvider.System);
        var template = HubConfiguration.FindPhase1(Template)!;
        var tun = TunDevice.Create($"ssdu{Random.Shared.Next(0x10000, 0xfffff):x}");
        DataPlane.AddTunnel(new TunnelPath(template, tun, [.. HubConfiguration.Phase2For(Template).Select(p => new Phase2Path(Template, p))]));

        Log = new ConsoleIkeLog(0, TextWriter.Null, TimeProvider.System);
        Events = new VpnEventLog(null, TimeZoneInfo.Utc);
        VpnEventPipeline.Connect(Stream, Events, () => HubConfiguration, DataPlane);
        Hub = new IkeEngine(HubConfiguration, options, TimeProvider.System, SystemRandomSource.Instance, new HubHost(this, DataPlane), Log);
        Client1 = new IkeEngine(Parse(ClientText(Client1Address, Client1Id, modeCfg: true), "client1.conf"), options, TimeProvider.System, SystemRandomSource.Instance, new ClientHost(this), new ConsoleIkeLog(0, TextWriter.Null, TimeProvider.System));
        Client2 = new IkeEngine(Parse(ClientText(Client2Address, Client2Id, modeCfg: false), "client2.conf"), options, TimeProvider.System, SystemRandomSource.Instance, new ClientHost(this), new ConsoleIkeLog(0, TextWriter.Null, TimeProvider.System));
        _network[IPAddress.Parse(HubAddress)] = (HubLoop, () => Hub);
        _network[IPAddress.Parse(Client1Address)] = (_loop1, () => Client1);
        _network[IPAddress.Parse(Client2Address)] = (_loop2, () => Client2);
        HubLoop.Start(Hub);
        _loop1.Start(Client1);
        _loop2.Start(Client2);
        Handler = new ControlCommandHandler(HubLoop, DataPlane, TimeProvider.System)
        {
            Diagnose = new DiagnoseCommands(HubLoop, DataPlane, TimeProvider.System) { Log = Log, Events = Events },
        };
    }

    public static string HubText => $$"""
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
            edit "{{TemplatePhase2}}"
                set phase1name "{{Template}}"
                set proposal aes256gcm
                set dhgrp 20
                set src-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;

    public GatewayConfiguration HubConfiguration { get; }

    public EngineLoop HubLoop { get; } = new(TimeProvider.System);

    public IkeEngine Hub { get; }

    public IkeEngine Client1 { get; }

    public IkeEngine Client2 { get; }

    public EspDataPlane DataPlane { get; }

    public ConsoleIkeLog Log { get; }

    /// <summary>The hub's typed event stream, as GatewayService's.</summary>
    public GatewayEvents Stream { get; } = new();

    public VpnEventLog Events { get; }

    public ControlCommandHandler Handler { get; }

    public EngineLoop LoopOf(IkeEngine client) => client == Client1 ? _loop1 : _loop2;

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
        HubLoop.Dispose();
        _loop1.Dispose();
        _loop2.Dispose();
        DataPlane.Dispose();
        Hub.Dispose();
        Client1.Dispose();
        Client2.Dispose();
    }

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

    private static GatewayConfiguration Parse(string text, string file)
    {
        var result = ConfigurationLoader.Parse(text, file);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
    }

    private void Deliver(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message)
    {
        if (_network.TryGetValue(remote.Address, out var peer))
        {
            var bytes = message.ToArray();
            peer.Loop.Post(() => peer.Engine().ReceiveDatagram(remote, local, bytes));
        }
    }

    /// <summary>The hub: IKE through the in-memory network; SAs and dial-up instances into the real data plane.</summary>
    private sealed class HubHost(DialupRig rig, EspDataPlane dataPlane) : IIkeEngineHost
    {
        public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message) => rig.Deliver(local, remote, message);

        public void InstallChildSa(ChildSaInstall install) => dataPlane.Install(install);

        public void ActivateOutbound(string phase1, string phase2, uint outboundSpi) => dataPlane.ActivateOutbound(phase1, phase2, outboundSpi);

        public void RemoveChildSa(string phase1, string phase2, uint inboundSpi, uint outboundSpi) => dataPlane.Remove(phase1, phase2, inboundSpi, outboundSpi);

        public ChildSaActivity GetActivity(uint inboundSpi, uint outboundSpi) => dataPlane.Activity(inboundSpi);

        public void DialupInstanceAdded(string template, string instance) => dataPlane.AddInstance(template, instance);

        public void DialupInstanceRemoved(string template, string instance) => dataPlane.RemoveInstance(template, instance);

        public void Publish(IkeEvent e) => rig.Stream.Publish(e);
    }

    /// <summary>A client: IKE through the in-memory network; its SAs are only recorded by its engine.</summary>
    private sealed class ClientHost(DialupRig rig) : IIkeEngineHost
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
