using System.Net;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// The invariant checker must catch what it claims to: each test breaks one invariant behind the engine's back (through
/// the data-plane host interface) and expects the violation.
/// </summary>
public sealed class LifecycleInvariantsTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

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

    /// <summary>A child SA the engine never negotiated, with throwaway keys, for the phase 2 of the test tunnel.</summary>
    private static ChildSaInstall FakeInstall(SimulatedGateway gateway, bool activate)
    {
        var real = gateway.InstalledSas.Single();
        var key = new byte[20];
        return new ChildSaInstall(
            P1,
            P2,
            0x0fa4e001,
            0x0fa4e002,
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
