using System.Net;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 6: a dial-up hub (one <c>type dynamic</c> phase 1) serving many peers, each its own instance <c>dialup_N</c>
/// with its own SAs, counters and mode-cfg address; peers come and go without disturbing each other.
/// </summary>
public sealed class DialUpInstanceScenarios
{
    public static readonly IPAddress HubAddress = IPAddress.Parse("192.0.2.1");

    /// <summary>The hub: a dynamic phase 1 with a mode-cfg pool of <paramref name="poolSize"/> addresses from 10.10.10.1.</summary>
    public static string HubConfig(int poolSize = 20, string extraPhase1 = "") => $$"""
        config firewall address
            edit "hub-lan"
                set subnet 10.1.0.0 255.255.255.0
            next
        end
        config vpn ipsec phase1-interface
            edit "dialup"
                set type dynamic
                set interface "port1"
                set ike-version 2
                set peertype any
                set proposal aes128gcm-prfsha256
                set dhgrp 19
                set psksecret "dial-up-lab-psk"
                set mode-cfg enable
                set ipv4-start-ip 10.10.10.1
                set ipv4-end-ip {{PoolEnd(poolSize)}}
                set ipv4-netmask 255.255.255.0
                set dns-mode manual
                set ipv4-dns-server1 10.1.0.53
                set ipv4-split-include "hub-lan"
                {{extraPhase1}}
            next
        end
        config vpn ipsec phase2-interface
            edit "dialup-p2"
                set phase1name "dialup"
                set proposal aes128gcm
                set pfs disable
                set src-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;

    /// <summary>A road warrior: a static phase 1 to the hub asking for an address (mode-cfg client).</summary>
    public static string ClientConfig(string id, string psk = "dial-up-lab-psk", bool autoNegotiate = false) => $$"""
        config vpn ipsec phase1-interface
            edit "to-hub"
                set interface "port1"
                set ike-version 2
                set remote-gw 192.0.2.1
                set localid "{{id}}"
                set proposal aes128gcm-prfsha256
                set dhgrp 19
                set psksecret "{{psk}}"
                set mode-cfg enable
                set auto-negotiate disable
            next
        end
        config vpn ipsec phase2-interface
            edit "to-hub-p2"
                set phase1name "to-hub"
                set proposal aes128gcm
                set pfs disable
                set dst-subnet 10.1.0.0 255.255.255.0
                set auto-negotiate {{(autoNegotiate ? "enable" : "disable")}}
            next
        end
        """;

    /// <summary>The last address of a pool of <paramref name="size"/> addresses starting at 10.10.10.1.</summary>
    public static IPAddress PoolEnd(int size)
    {
        var last = (10u << 24) + (10u << 16) + (10u << 8) + (uint)size;
        return new IPAddress([(byte)(last >> 24), (byte)(last >> 16), (byte)(last >> 8), (byte)last]);
    }

    public static IPAddress ClientAddress(int index) => IPAddress.Parse($"198.51.{100 + (index / 250)}.{1 + (index % 250)}");

    [Fact]
    public void Each_peer_gets_its_own_instance_address_and_sas_and_leaving_removes_only_its_own()
    {
        Scenario.Run(seed: 61001, simulation =>
        {
            var hub = simulation.AddGateway("hub", HubConfig(), HubAddress);
            // Without auto-negotiate, so that a peer that leaves stays away.
            var one = simulation.AddGateway("one", ClientConfig("one.lab"), ClientAddress(0));
            var two = simulation.AddGateway("two", ClientConfig("two.lab"), ClientAddress(1));
            simulation.Start();
            Assert.True(one.Initiate("to-hub", null));
            Assert.True(two.Initiate("to-hub", null));
            Assert.True(simulation.RunUntil(() => one.InstalledSas.Count == 1 && two.InstalledSas.Count == 1, TimeSpan.FromSeconds(30)), simulation.Describe());

            var instances = hub.Engine.InstancesOf("dialup").ToList();
            Assert.Equal(["dialup_0", "dialup_1"], instances.Select(i => i.Name).Order());
            Assert.Equal(["one.lab", "two.lab"], instances.Select(i => i.Current!.PeerIdentity).Order());
            var addressOne = ClientTunnel(one).AssignedAddress;
            var addressTwo = ClientTunnel(two).AssignedAddress;
            Assert.NotNull(addressOne);
            Assert.NotNull(addressTwo);
            Assert.NotEqual(addressOne, addressTwo);
            Assert.Equal(instances.Select(i => i.AssignedAddress).Order(new AddressOrder()), new[] { addressOne, addressTwo }.Order(new AddressOrder()));

            // The hub's selector towards each peer is narrowed to the address it handed out.
            foreach (var instance in instances)
            {
                var child = Assert.Single(instance.Current!.Children);
                Assert.Equal(instance.AssignedAddress, child.RemoteSelector.StartAddress);
                Assert.Equal(instance.AssignedAddress, child.RemoteSelector.EndAddress);
            }

            // The hub reaches each peer on its own SA: packets to one address arrive only at that peer.
            Assert.True(hub.SendTraffic(Scenario.Packet("10.1.0.5", addressOne!.ToString(), 1)));
            Assert.True(hub.SendTraffic(Scenario.Packet("10.1.0.5", addressTwo!.ToString(), 2)));
            Assert.True(hub.SendTraffic(Scenario.Packet("10.1.0.5", addressTwo.ToString(), 3)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, one.Traffic("to-hub", "to-hub-p2").Delivered);
            Assert.Equal(2, two.Traffic("to-hub", "to-hub-p2").Delivered);

            // One leaves: its instance, SAs and lease go; the other keeps its SPIs and keeps working.
            var leaving = instances.Single(i => i.AssignedAddress!.Equals(addressOne)).Name;
            var staying = instances.Single(i => i.AssignedAddress!.Equals(addressTwo));
            var stayingSpi = Assert.Single(staying.Current!.Children).InboundSpi;
            Assert.True(one.Terminate("to-hub", null));
            simulation.RunFor(TimeSpan.FromSeconds(2));
            Assert.DoesNotContain(hub.Engine.Tunnels, t => t.Name == leaving);
            Assert.Equal((1, 20), hub.Engine.PoolUsage("dialup"));
            Assert.Equal(stayingSpi, Assert.Single(staying.Current!.Children).InboundSpi);
            Assert.True(hub.SendTraffic(Scenario.Packet("10.1.0.5", addressTwo.ToString(), 4)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(3, two.Traffic("to-hub", "to-hub-p2").Delivered);
            Assert.False(hub.SendTraffic(Scenario.Packet("10.1.0.5", addressOne.ToString(), 5)));
        });
    }

    [Fact]
    public void A_returning_peer_gets_its_old_address_back_while_it_is_free()
    {
        Scenario.Run(seed: 61002, simulation =>
        {
            var hub = simulation.AddGateway("hub", HubConfig(), HubAddress);
            var one = simulation.AddGateway("one", ClientConfig("one.lab", autoNegotiate: true), ClientAddress(0));
            simulation.Start();
            Assert.True(simulation.RunUntil(() => ClientTunnel(one).AssignedAddress is not null, TimeSpan.FromSeconds(30)), simulation.Describe());
            var first = ClientTunnel(one).AssignedAddress;

            // Somebody else connects while one is away; one comes back (auto-negotiate) to the same address.
            var two = simulation.AddGateway("two", ClientConfig("two.lab", autoNegotiate: true), ClientAddress(1));
            Assert.True(one.Terminate("to-hub", null));
            two.Start();
            simulation.RunFor(TimeSpan.FromSeconds(30));
            Assert.Equal(first, ClientTunnel(one).AssignedAddress);
            Assert.NotEqual(first, ClientTunnel(two).AssignedAddress);
            Assert.Equal(2, hub.Engine.InstancesOf("dialup").Count());
        });
    }

    [Fact]
    public void An_exhausted_pool_answers_internal_address_failure_and_leaves_connected_peers_alone()
    {
        Scenario.Run(seed: 61003, simulation =>
        {
            var hub = simulation.AddGateway("hub", HubConfig(poolSize: 1), HubAddress);
            var one = simulation.AddGateway("one", ClientConfig("one.lab", autoNegotiate: true), ClientAddress(0));
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            Assert.True(simulation.RunUntil(() => one.InstalledSas.Count == 1, TimeSpan.FromSeconds(30)), simulation.Describe());
            var spi = Assert.Single(hub.InstalledSas).InboundSpi;

            var two = simulation.AddGateway("two", ClientConfig("two.lab", autoNegotiate: false), ClientAddress(1));
            two.Start();
            Assert.True(two.Initiate("to-hub", null));
            simulation.RunFor(TimeSpan.FromSeconds(3));

            Assert.True(hub.Events<PeerRefused>().Any(e => e.Reason.StartsWith("mode-cfg: no address left in pool", StringComparison.Ordinal)), simulation.Describe());
            Assert.Contains(wire.Messages, m => m.IsResponse && m.Exchange == ExchangeType.IkeAuth && m.Destination.Address.Equals(ClientAddress(1)));
            Assert.True(two.Events<NegotiationFailed>().Any(e => e.Notify == NotifyType.InternalAddressFailure), simulation.Describe());
            Assert.Single(hub.Engine.InstancesOf("dialup"));
            Assert.Equal(spi, Assert.Single(hub.InstalledSas).InboundSpi);
            Assert.True(hub.SendTraffic(Scenario.Packet("10.1.0.5", ClientTunnel(one).AssignedAddress!.ToString(), 1)));
        });
    }

    [Fact]
    public void A_wrong_psk_is_refused_and_makes_no_instance()
    {
        Scenario.Run(seed: 61004, simulation =>
        {
            var hub = simulation.AddGateway("hub", HubConfig(), HubAddress);
            var intruder = simulation.AddGateway("bad", ClientConfig("bad.lab", psk: "not-the-psk"), ClientAddress(0));
            simulation.Start();
            Assert.True(intruder.Initiate("to-hub", null));
            simulation.RunFor(TimeSpan.FromSeconds(5));
            Assert.True(hub.Events<AuthenticationFailed>().Any(), simulation.Describe());
            Assert.True(intruder.Events<NegotiationFailed>().Any(e => e.Notify == NotifyType.AuthenticationFailed), simulation.Describe());
            Assert.Empty(hub.Engine.InstancesOf("dialup"));
            Assert.Equal((0, 20), hub.Engine.PoolUsage("dialup"));
        });
    }

    [Fact]
    public void The_hub_never_initiates_towards_an_instance_whose_peer_is_gone()
    {
        Scenario.Run(seed: 61005, simulation =>
        {
            var hub = simulation.AddGateway("hub", HubConfig(), HubAddress);
            var one = simulation.AddGateway("one", ClientConfig("one.lab", autoNegotiate: true), ClientAddress(0));
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            Assert.True(simulation.RunUntil(() => one.InstalledSas.Count == 1, TimeSpan.FromSeconds(30)), simulation.Describe());
            var address = ClientTunnel(one).AssignedAddress!.ToString();
            one.Crash();

            // DPD (on-demand) notices the silent peer once the hub has traffic for it; the instance then goes for good.
            for (var i = 0; i < 300; i++)
            {
                hub.SendTraffic(Scenario.Packet("10.1.0.5", address, i));
                simulation.RunFor(TimeSpan.FromSeconds(1));
            }

            Assert.Empty(hub.Engine.InstancesOf("dialup"));
            Assert.DoesNotContain(wire.Messages, m => !m.IsResponse && m.Exchange == ExchangeType.IkeSaInit && m.Source.Address.Equals(HubAddress));
        });
    }

    [Fact]
    public void An_instance_keeps_its_name_address_and_traffic_through_child_and_ike_rekeys()
    {
        Scenario.Run(seed: 61006, simulation =>
        {
            var hub = simulation.AddGateway("hub", HubConfig(extraPhase1: "set keylife 600"), HubAddress);
            var one = simulation.AddGateway("one", ClientConfig("one.lab", autoNegotiate: true).Replace("set dhgrp 19\n", "set dhgrp 19\n        set keylife 600\n", StringComparison.Ordinal).Replace("set pfs disable", "set pfs disable\n        set keylifeseconds 120", StringComparison.Ordinal), ClientAddress(0));
            simulation.Start();
            Assert.True(simulation.RunUntil(() => one.InstalledSas.Count == 1, TimeSpan.FromSeconds(10)), simulation.Describe());
            var address = ClientTunnel(one).AssignedAddress!.ToString();
            var firstIke = Assert.Single(hub.Engine.InstancesOf("dialup")).Current!.SpiText;

            // Twenty minutes of traffic both ways every 100 ms: several child rekeys and two IKE rekeys.
            var sent = 0;
            using var traffic = simulation.Every(TimeSpan.FromMilliseconds(100), () =>
            {
                hub.SendTraffic(Scenario.Packet("10.1.0.5", address, sent));
                one.SendTraffic("to-hub", "to-hub-p2", Scenario.Packet(address, "10.1.0.5", sent));
                sent++;
            });
            simulation.RunFor(TimeSpan.FromMinutes(20));
            traffic.Dispose();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var instance = Assert.Single(hub.Engine.InstancesOf("dialup"));
            Assert.Equal("dialup_0", instance.Name);
            Assert.Equal(address, instance.AssignedAddress!.ToString());
            Assert.NotEqual(firstIke, instance.Current!.SpiText);
            Assert.Equal(sent, one.Traffic("to-hub", "to-hub-p2").Delivered);
            Assert.Equal(sent, hub.Traffic("dialup_0", "dialup-p2").Delivered);
            Assert.True(hub.AnyRekey() || one.AnyRekey());
        });
    }

    private static TunnelRuntime ClientTunnel(SimulatedGateway client) => client.Engine.Tunnels.Single(t => t.Name == "to-hub");

    private sealed class AddressOrder : IComparer<IPAddress?>
    {
        public int Compare(IPAddress? x, IPAddress? y) => string.CompareOrdinal(x?.ToString(), y?.ToString());
    }
}
