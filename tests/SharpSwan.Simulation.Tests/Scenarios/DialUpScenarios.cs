using SharpSwan.Config;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 item 7 (dial-up: auto-negotiate refused on a `type dynamic` phase 1, which never initiates) and the article's
/// dial-up sentences. The hub (A, 192.0.2.1) is the dial-up server; the branch (B, 192.0.2.2) dials in.
/// </summary>
public sealed class DialUpScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    private static readonly TunnelConfig Hub = TunnelConfig.SiteA with { Type = "dynamic" };

    /// <summary>
    /// Article: "Auto-negotiation cannot be enabled in the case of a Dial-up IPsec VPN tunnel because, in this scenario, the
    /// FortiGate can never be the initiator." The configuration is refused with a message naming the phase 2 and why.
    /// </summary>
    [Fact]
    public void Auto_negotiate_on_a_dial_up_phase1_is_refused_naming_the_phase2_and_the_reason()
    {
        var result = ConfigurationLoader.Parse((Hub with { AutoNegotiate = true }).Render(), "hub.conf");
        Assert.Null(result.Configuration);
        var error = Assert.Single(result.Errors);
        Assert.Contains("vpn-p2", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("dial-up (type dynamic)", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("can never initiate", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("auto-negotiate", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Article: "Automatically establishing the SA can be important for a dial-up peer. It ensures that the VPN tunnel is
    /// available for peers at the server end to initiate traffic to the dial-up peer." and "The ISAKMP or IKE requests are
    /// always initiated from the user end".
    /// </summary>
    [Fact]
    public void A_dialing_branch_with_auto_negotiate_is_reachable_from_the_hub_without_sending_first()
    {
        CheckedScenario.Run(seed: 37001, (simulation, _) =>
        {
            var hub = simulation.AddGateway("A", Hub.Render(), Scenario.AddressA);
            var branch = simulation.AddGateway("B", (TunnelConfig.SiteB with { AutoNegotiate = true }).Render(), Scenario.AddressB);
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            // The branch never sent a packet, yet the hub reaches it at once: no packet of the hub's is dropped.
            for (var i = 0; i < 10; i++)
            {
                Assert.True(hub.SendTraffic(Scenario.PacketAToB(i)));
            }

            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(10, branch.Traffic(P1, P2).Delivered);
            Assert.Equal(0, hub.Traffic(P1, P2).DroppedWithoutSa);
            Assert.All(wire.Messages.Where(m => !m.IsResponse && m.Exchange is ExchangeType.IkeSaInit or ExchangeType.IkeAuth), m => Assert.Equal(Scenario.AddressB, m.Source.Address));
            Assert.False(hub.IkeSas.Single().IsOriginalInitiator);
        });
    }

    /// <summary>
    /// Article: "Otherwise, the VPN tunnel does not exist until the dial-up peer initiates traffic." The hub's own traffic
    /// is dropped and never starts a negotiation; the branch's first packet does.
    /// </summary>
    [Fact]
    public void Without_auto_negotiate_the_tunnel_does_not_exist_until_the_dialing_peer_sends_traffic()
    {
        CheckedScenario.Run(seed: 37002, (simulation, _) =>
        {
            var hub = simulation.AddGateway("A", Hub.Render(), Scenario.AddressA);
            var branch = simulation.AddGateway("B", TunnelConfig.SiteB.Render(), Scenario.AddressB);
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            for (var minute = 0; minute < 60; minute++)
            {
                Assert.False(hub.SendTraffic(Scenario.PacketAToB(minute)));
                simulation.RunFor(TimeSpan.FromMinutes(1));
            }

            Assert.Empty(wire.Messages);
            Assert.Equal(60, hub.Traffic(P1, P2).DroppedWithoutSa);
            Assert.False(hub.Initiate(P1, P2));
            Assert.Contains(hub.Events<InitiateRefused>(), e => e.DialUp);

            Assert.False(branch.SendTraffic(Scenario.PacketBToA(0)));
            simulation.RunUntilEstablished(hub, branch);
            Assert.True(hub.SendTraffic(Scenario.PacketAToB(100)));
        });
    }

    /// <summary>Issue item 7: "a dynamic phase 1 never initiates", not even to bring back a tunnel it had.</summary>
    [Fact]
    public void The_hub_never_initiates_even_after_the_branch_disappears_and_its_SAs_expire()
    {
        CheckedScenario.Run(seed: 37003, (simulation, _) =>
        {
            var hub = simulation.AddGateway("A", (Hub.Cheap(300) with { Keepalive = true }).Render(), Scenario.AddressA);
            var branch = simulation.AddGateway("B", (TunnelConfig.SiteB.Cheap(300) with { AutoNegotiate = true }).Render(), Scenario.AddressB);
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(2));
            branch.Crash();
            simulation.RunFor(TimeSpan.FromHours(1));

            Assert.Empty(hub.IkeSas);
            Assert.DoesNotContain(wire.Messages, m => !m.IsResponse && m.Source.Address.Equals(Scenario.AddressA) && m.Exchange is ExchangeType.IkeSaInit or ExchangeType.IkeAuth);
            hub.SendTraffic(Scenario.PacketAToB(0));
            simulation.RunFor(TimeSpan.FromMinutes(1));
            Assert.DoesNotContain(wire.Messages, m => !m.IsResponse && m.Source.Address.Equals(Scenario.AddressA) && m.Exchange == ExchangeType.IkeSaInit);

            // When the branch comes back it dials in again, on its own.
            branch.Boot();
            simulation.RunUntilEstablished(hub, branch);
        });
    }
}
