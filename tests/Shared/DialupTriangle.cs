using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Testing;

/// <summary>
/// A dial-up hub (<c>type dynamic</c>, IKEv2, mode-cfg pool 10.10.10.1-20, split-include 10.1.0.0/24) and two static
/// clients: three real engines, each on its own <see cref="EngineLoop"/> on the system clock, joined by an in-memory
/// network. Client 1 asks for a mode-cfg address; client 2 brings its own subnet (10.2.0.0/24). The hub's host is the
/// caller's (a data plane, an event stream, or nothing); the clients' hosts only carry IKE. Shared as source by the
/// gateway and web tests, whose rigs wire the hub as they need.
/// </summary>
public sealed class DialupTriangle : IDisposable
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

    private readonly Dictionary<IPAddress, (EngineLoop Loop, Func<IkeEngine> Engine)> _network = [];
    private readonly EngineLoop _loop1 = new(TimeProvider.System);
    private readonly EngineLoop _loop2 = new(TimeProvider.System);

    /// <param name="hubConfiguration">The hub's configuration, usually <see cref="HubText"/> parsed.</param>
    /// <param name="psk">The pre-shared key of the hub's template (and so of the clients).</param>
    /// <param name="hubHost">The hub engine's host, whose IKE datagrams <see cref="Send"/> carries; null: IKE only, as the clients'.</param>
    /// <param name="hubLog">The hub engine's log (silent when null).</param>
    public DialupTriangle(GatewayConfiguration hubConfiguration, string psk, Func<DialupTriangle, IIkeEngineHost>? hubHost = null, IIkeLog? hubLog = null)
    {
        var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway };
        Hub = new IkeEngine(hubConfiguration, options, TimeProvider.System, SystemRandomSource.Instance, hubHost?.Invoke(this) ?? new LinkHost(this), hubLog ?? Silent());
        Client1 = Client(ClientText(Client1Address, Client1Id, psk, modeCfg: true), "client1.conf", options);
        Client2 = Client(ClientText(Client2Address, Client2Id, psk, modeCfg: false), "client2.conf", options);
        _network[IPAddress.Parse(HubAddress)] = (HubLoop, () => Hub);
        _network[IPAddress.Parse(Client1Address)] = (_loop1, () => Client1);
        _network[IPAddress.Parse(Client2Address)] = (_loop2, () => Client2);
        HubLoop.Start(Hub);
        _loop1.Start(Client1);
        _loop2.Start(Client2);
    }

    public EngineLoop HubLoop { get; } = new(TimeProvider.System);

    public IkeEngine Hub { get; }

    public IkeEngine Client1 { get; }

    public IkeEngine Client2 { get; }

    public EngineLoop LoopOf(IkeEngine client) => client == Client1 ? _loop1 : _loop2;

    /// <summary>The hub's configuration text with <paramref name="psk"/> as the template's pre-shared key.</summary>
    public static string HubText(string psk) => $$"""
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
                set psksecret "{{psk}}"
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

    /// <summary>Parses configuration text, failing the test with the loader's errors when it is not valid.</summary>
    public static GatewayConfiguration Parse(string text, string file)
    {
        var result = ConfigurationLoader.Parse(text, file);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
    }

    /// <summary>Carries an IKE datagram to the engine that owns <paramref name="remote"/>'s address, on its loop (to nobody: lost).</summary>
    public void Send(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message)
    {
        if (_network.TryGetValue(remote.Address, out var peer))
        {
            var bytes = message.ToArray();
            peer.Loop.Post(() => peer.Engine().ReceiveDatagram(remote, local, bytes));
        }
    }

    public void Dispose()
    {
        HubLoop.Dispose();
        _loop1.Dispose();
        _loop2.Dispose();
        Hub.Dispose();
        Client1.Dispose();
        Client2.Dispose();
    }

    private static ConsoleIkeLog Silent() => new(0, TextWriter.Null, TimeProvider.System);

    private static string ClientText(string address, string id, string psk, bool modeCfg) => $$"""
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
                set psksecret "{{psk}}"
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

    private IkeEngine Client(string text, string file, IkeEngineOptions options) =>
        new(Parse(text, file), options, TimeProvider.System, SystemRandomSource.Instance, new LinkHost(this), Silent());

    /// <summary>IKE through the in-memory network; the engine's SAs are only recorded by the engine (no data plane).</summary>
    private sealed class LinkHost(DialupTriangle triangle) : IIkeEngineHost
    {
        public void SendIke(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> message) => triangle.Send(local, remote, message);

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
