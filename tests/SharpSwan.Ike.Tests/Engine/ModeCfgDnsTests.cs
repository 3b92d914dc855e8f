using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// The DNS servers a dial-up hub pushes with mode-cfg: <c>dns-mode manual</c> sends <c>ipv4-dns-server1..3</c>,
/// <c>auto</c> the host's own (IPv4 ones, at most three, as the host has them when the client is answered). A SharpSwan
/// client on the same network reads them from the reply; both ends report them on <see cref="AddressAssigned"/>.
/// </summary>
public sealed class ModeCfgDnsTests
{
    private static readonly IPAddress[] HostServers = [IPAddress.Parse("192.0.2.53"), IPAddress.Parse("192.0.2.54")];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Auto_pushes_the_hosts_DNS_servers_and_the_client_receives_them(int ikeVersion)
    {
        using var network = new EngineNetwork();
        var hub = network.Add("hub", "192.0.2.1", Hub(ikeVersion, "set dns-mode auto"), systemDnsServers: HostServers);
        var client = network.Add("client", "198.51.100.10", Client(ikeVersion));

        Assert.True(client.Engine.Initiate("to-hub", "to-hub-p2"));
        network.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(HostServers, Assert.Single(hub.Of<AddressAssigned>(), a => a.ToPeer).DnsServers);
        Assert.Equal(HostServers, Assert.Single(client.Of<AddressAssigned>(), a => !a.ToPeer).DnsServers);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Manual_pushes_the_configured_servers_whatever_the_host_has(int ikeVersion)
    {
        using var network = new EngineNetwork();
        var hub = network.Add("hub", "192.0.2.1", Hub(ikeVersion, "set dns-mode manual\nset ipv4-dns-server1 10.1.0.53"), systemDnsServers: HostServers);
        var client = network.Add("client", "198.51.100.10", Client(ikeVersion));

        Assert.True(client.Engine.Initiate("to-hub", "to-hub-p2"));
        network.Run(TimeSpan.FromSeconds(5));

        Assert.Equal([IPAddress.Parse("10.1.0.53")], Assert.Single(client.Of<AddressAssigned>(), a => !a.ToPeer).DnsServers);
    }

    [Fact]
    public void Auto_on_a_host_without_IPv4_servers_pushes_none_and_the_client_still_gets_its_address()
    {
        using var network = new EngineNetwork();
        network.Add("hub", "192.0.2.1", Hub(2, "set dns-mode auto"), systemDnsServers: [IPAddress.IPv6Loopback]);
        var client = network.Add("client", "198.51.100.10", Client(2));

        Assert.True(client.Engine.Initiate("to-hub", "to-hub-p2"));
        network.Run(TimeSpan.FromSeconds(5));

        var assigned = Assert.Single(client.Of<AddressAssigned>(), a => !a.ToPeer);
        Assert.Equal(IPAddress.Parse("10.10.10.1"), assigned.Address);
        Assert.Empty(assigned.DnsServers);
    }

    private static string Hub(int ikeVersion, string dns) => $$"""
        config vpn ipsec phase1-interface
            edit "dialup"
                set type dynamic
                set interface "wan0"
                set ike-version {{ikeVersion}}
                set local-gw 192.0.2.1
                set peertype any
                set proposal {{Phase1Proposal(ikeVersion)}}
                set dhgrp 20
                set psksecret "mode-cfg-dns-test-psk"
                set mode-cfg enable
                set ipv4-start-ip 10.10.10.1
                set ipv4-end-ip 10.10.10.20
                set ipv4-netmask 255.255.255.0
                {{dns}}
            next
        end
        config vpn ipsec phase2-interface
            edit "dialup-p2"
                set phase1name "dialup"
                set proposal aes256gcm
                set dhgrp 20
                set src-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;

    private static string Client(int ikeVersion) => $$"""
        config vpn ipsec phase1-interface
            edit "to-hub"
                set interface "eth0"
                set ike-version {{ikeVersion}}
                set local-gw 198.51.100.10
                set remote-gw 192.0.2.1
                set localid "client.example"
                set proposal {{Phase1Proposal(ikeVersion)}}
                set dhgrp 20
                set auto-negotiate disable
                set psksecret "mode-cfg-dns-test-psk"
                set mode-cfg enable
            next
        end
        config vpn ipsec phase2-interface
            edit "to-hub-p2"
                set phase1name "to-hub"
                set proposal aes256gcm
                set dhgrp 20
                set dst-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;

    // IKEv1 phase 1 is CBC only.
    private static string Phase1Proposal(int ikeVersion) => ikeVersion == 1 ? "aes256-sha256" : "aes256gcm-prfsha384";
}
