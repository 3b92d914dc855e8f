using System.Net;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// The invariant checker must catch what it claims to: each test breaks one invariant behind the engine's back (through
/// the data-plane host interface, or with an engine event the engine never published) and expects the violation.
/// </summary>
public sealed class LifecycleInvariantsTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;
    private const uint FakeInboundSpi = 0x0fa4e001;
    private const uint FakeOutboundSpi = 0x0fa4e002;

    [Fact]
    public void A_normal_run_with_rekeys_under_traffic_holds_and_measures_the_rekeys()
    {
        Scenario.Run(seed: 44001, simulation =>
        {
            var invariants = new LifecycleInvariants(simulation);
            var (a, b) = StartPair(simulation);
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(10));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.True(a.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(2));
            Assert.True(b.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(2));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(2));

            var report = invariants.Check();
            Assert.True(report.Holds, string.Join(Environment.NewLine, report.Violations));
            Assert.Equal(4, report.Rekeys);
            Assert.True(report.PacketsDuringRekeys > 0);
            Assert.Equal(0, report.PacketsLost);
            Assert.Equal(2 * traffic.PacketsPerDirection, report.PacketsOffered);
        });
    }

    [Fact]
    public void Two_SAs_for_one_selector_beyond_the_settle_time_are_a_violation()
    {
        Scenario.Run(seed: 44002, simulation =>
        {
            var invariants = new LifecycleInvariants(simulation) { SettleTime = TimeSpan.FromSeconds(5) };
            var (a, _) = StartPair(simulation);
            ((IIkeEngineHost)a).InstallChildSa(FakeInstall(a, activate: false));
            simulation.RunFor(TimeSpan.FromSeconds(4));
            Assert.True(invariants.Check().Holds);

            simulation.RunFor(TimeSpan.FromSeconds(2));
            var violation = Assert.Single(invariants.Check().Violations);
            Assert.Contains("A vpn/vpn-p2 (data plane): more than one current SA for the selector", violation, StringComparison.Ordinal);
            Assert.Throws<InvalidOperationException>(invariants.ThrowIfViolated);
        });
    }

    [Fact]
    public void A_packet_lost_while_two_SAs_coexist_on_a_lossless_network_is_a_violation()
    {
        Scenario.Run(seed: 44003, simulation =>
        {
            var invariants = new LifecycleInvariants(simulation);
            var (a, b) = StartPair(simulation);
            var peerSa = b.InstalledSas.Single();
            ((IIkeEngineHost)a).InstallChildSa(FakeInstall(a, activate: false));

            // B loses its SA behind the engine's back while A still sends on it: lost, during a "rekey" window.
            ((IIkeEngineHost)b).RemoveChildSa(P1, P2, peerSa.InboundSpi, peerSa.OutboundSpi);
            a.SendTraffic(Scenario.PacketAToB(1));
            simulation.RunFor(TimeSpan.FromSeconds(3));

            var report = invariants.Check();
            Assert.Equal(1, report.PacketsLostDuringRekeys);
            Assert.Contains(report.Violations, v => v.StartsWith("packet lost during a rekey on a lossless network: sent by A vpn/vpn-p2", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void The_same_loss_on_a_lossy_network_is_measured_but_not_a_violation()
    {
        Scenario.Run(seed: 44004, simulation =>
        {
            var invariants = new LifecycleInvariants(simulation);
            var (a, b) = StartPair(simulation);
            ((IIkeEngineHost)a).InstallChildSa(FakeInstall(a, activate: false));
            simulation.Network.Interfere = datagram => datagram.IsRawEsp ? DatagramFate.Drop : DatagramFate.Pass;
            a.SendTraffic(Scenario.PacketAToB(1));
            simulation.RunFor(TimeSpan.FromSeconds(3));

            var report = invariants.Check();
            Assert.Equal(1, report.PacketsLostDuringRekeys);
            Assert.Equal(1, report.NetworkLosses);
            Assert.DoesNotContain(report.Violations, v => v.StartsWith("packet lost", StringComparison.Ordinal));
            Assert.Equal(0, b.Traffic(P1, P2).Delivered);
        });
    }

    [Fact]
    public void Using_an_SA_after_its_hard_lifetime_is_a_violation()
    {
        Scenario.Run(seed: 44005, simulation =>
        {
            var invariants = new LifecycleInvariants(simulation) { SettleTime = TimeSpan.FromDays(1) };
            var (a, _) = StartPair(simulation);

            // An SA the engine does not know about never expires in the engine: the data plane keeps using it.
            var fake = FakeInstall(a, activate: true);
            ((IIkeEngineHost)a).InstallChildSa(fake);
            simulation.RunFor(TimeSpan.FromSeconds(300));
            ((IIkeEngineHost)a).ActivateOutbound(P1, P2, fake.OutboundSpi);
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            Assert.True(invariants.Check().Holds);

            simulation.RunFor(TimeSpan.FromSeconds(1));
            ((IIkeEngineHost)a).ActivateOutbound(P1, P2, fake.OutboundSpi);
            Assert.True(a.SendTraffic(Scenario.PacketAToB(2)));
            var violation = Assert.Single(invariants.Check().Violations, v => v.Contains("past its hard lifetime", StringComparison.Ordinal));
            Assert.Contains($"out={fake.OutboundSpi:x8} used outbound", violation, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_second_current_child_SA_announced_by_the_engine_beyond_the_settle_time_is_a_violation()
    {
        Scenario.Run(seed: 44006, simulation =>
        {
            var invariants = new LifecycleInvariants(simulation) { SettleTime = TimeSpan.FromSeconds(5) };
            var (a, _) = StartPair(simulation);
            var real = Assert.Single(a.ChildSas);
            Publish(a, FakeInstalled(real));
            simulation.RunFor(TimeSpan.FromSeconds(4));
            Assert.True(invariants.Check().Holds);

            simulation.RunFor(TimeSpan.FromSeconds(2));
            var violation = Assert.Single(invariants.Check().Violations);
            Assert.Contains("A vpn/vpn-p2 (engine): more than one current SA for the selector", violation, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_child_SA_the_engine_retired_no_longer_counts_as_current()
    {
        Scenario.Run(seed: 44007, simulation =>
        {
            var invariants = new LifecycleInvariants(simulation) { SettleTime = TimeSpan.FromSeconds(5) };
            var (a, _) = StartPair(simulation);
            var real = Assert.Single(a.ChildSas);
            Publish(a, FakeInstalled(real));
            simulation.RunFor(TimeSpan.FromSeconds(3));

            // Retired (rekeyed, or its DELETE under way) it may live on for stragglers without being a duplicate.
            Publish(a, new ChildSaRetired { Phase1 = real.Phase1, Phase2 = real.Phase2, ChildSerial = 999, InboundSpi = FakeInboundSpi, OutboundSpi = FakeOutboundSpi, Reason = "rekeyed" });
            simulation.RunFor(TimeSpan.FromSeconds(30));
            Assert.True(invariants.Check().Holds);

            // Current again (the peer never finished its rekey) it is a duplicate once more.
            Publish(a, new ChildSaReinstated { Phase1 = real.Phase1, Phase2 = real.Phase2, ChildSerial = 999, InboundSpi = FakeInboundSpi, OutboundSpi = FakeOutboundSpi });
            simulation.RunFor(TimeSpan.FromSeconds(6));
            Assert.Contains("(engine): more than one current SA", Assert.Single(invariants.Check().Violations), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_second_established_IKE_SA_for_a_tunnel_beyond_the_settle_time_is_a_violation_until_it_is_retired()
    {
        Scenario.Run(seed: 44008, simulation =>
        {
            var invariants = new LifecycleInvariants(simulation) { SettleTime = TimeSpan.FromSeconds(5) };
            var (a, _) = StartPair(simulation);
            var real = Assert.Single(a.IkeSas);
            Publish(a, new IkeSaEstablished
            {
                Phase1 = P1,
                IkeSerial = 999,
                Role = IkeRole.Initiator,
                InitiatorSpi = real.InitiatorSpi + 1,
                ResponderSpi = real.ResponderSpi + 1,
                Proposal = "aes128gcm-prfsha256",
                DhGroup = 14,
                NatTraversal = false,
                PeerIdentity = "b",
            });
            simulation.RunFor(TimeSpan.FromSeconds(4));
            Assert.True(invariants.Check().Holds);

            simulation.RunFor(TimeSpan.FromSeconds(3));
            Publish(a, new IkeSaRetired { Phase1 = P1, IkeSerial = 999, Spis = "fake", Reason = "rekeyed" });
            simulation.RunFor(TimeSpan.FromSeconds(30));
            var violation = Assert.Single(invariants.Check().Violations);
            Assert.Contains("A vpn: more than one established IKE SA", violation, StringComparison.Ordinal);
            Assert.Contains("(7 s, settle time 5 s)", violation, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Packets_the_trigger_queue_drops_are_counted_from_the_packet_cores_events()
    {
        Scenario.Run(seed: 44009, simulation =>
        {
            var invariants = new LifecycleInvariants(simulation);
            var (a, _) = simulation.AddPair(TunnelConfig.SiteA with { TriggerQueue = 16, NegotiateTimeout = 10 }, TunnelConfig.SiteB);

            // B is out of reach: A holds the packets while it negotiates and drops them at negotiate-timeout.
            simulation.Network.Partition(Scenario.AddressA, Scenario.AddressB);
            simulation.Start();
            Assert.False(a.SendTraffic(Scenario.PacketAToB(1)));
            Assert.False(a.SendTraffic(Scenario.PacketAToB(2)));
            simulation.RunFor(TimeSpan.FromSeconds(9));
            Assert.Equal(0, invariants.Check().PacketsDroppedByTriggerQueue);
            simulation.RunFor(TimeSpan.FromSeconds(2));

            var report = invariants.Check();
            Assert.Equal(2, report.PacketsDroppedByTriggerQueue);
            Assert.Equal(2, report.PacketsLost);
            Assert.Equal(0, report.PacketsLostDuringRekeys);
        });
    }

    private static (SimulatedGateway A, SimulatedGateway B) StartPair(Simulation simulation)
    {
        var (a, b) = simulation.AddPair(
            TunnelConfig.SiteA.Cheap(300) with { Keepalive = true, Dpd = "disable" },
            TunnelConfig.SiteB.Cheap(300) with { Keepalive = true, Dpd = "disable" });
        simulation.Start();
        Assert.True(a.Initiate(P1, P2));
        simulation.RunUntilEstablished(a, b);
        return (a, b);
    }

    /// <summary>Hands the checker (and the timeline) an engine event the engine never published, as one engine call.</summary>
    private static void Publish(SimulatedGateway gateway, IkeEvent e)
    {
        ((IIkeEngineHost)gateway).Publish(e);

        // Engine events take effect at the end of the engine call they came in: end one.
        gateway.Initiate(P1, P2);
    }

    /// <summary>The engine's announcement of a child SA it never had, on the real one's tunnel and phase 2.</summary>
    private static ChildSaInstalled FakeInstalled(ChildSaView real) => new()
    {
        Phase1 = real.Phase1,
        Phase2 = real.Phase2,
        ChildSerial = 999,
        InboundSpi = FakeInboundSpi,
        OutboundSpi = FakeOutboundSpi,
        Proposal = "aes128gcm",
        PfsGroup = 0,
        Role = IkeRole.Initiator,
        LocalSelector = real.LocalSelector,
        RemoteSelector = real.RemoteSelector,
        OutboundActive = false,
    };

    /// <summary>A child SA the engine never negotiated, with throwaway keys, for the phase 2 of the test tunnel.</summary>
    private static ChildSaInstall FakeInstall(SimulatedGateway gateway, bool activate)
    {
        var real = gateway.InstalledSas.Single();
        var key = new byte[20];
        return new ChildSaInstall(
            P1,
            P2,
            FakeInboundSpi,
            FakeOutboundSpi,
            new ChildSuite(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, DiffieHellmanGroup.None),
            key,
            [],
            key,
            [],
            new IPEndPoint(gateway.LocalAddress, 500),
            new IPEndPoint(Scenario.AddressB, 500),
            UdpEncapsulation: false,
            ReplayProtection: true,
            real.LocalSelector,
            real.RemoteSelector,
            activate);
    }
}
