using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// A live configuration change (Engine.ApplyConfiguration, what `config ... end` does on a running gateway) renegotiates
/// only what changed: other phase 2s and other tunnels keep their SAs, SPIs and counters.
/// </summary>
public sealed class LiveConfigurationScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;
    private const string Second = "second-p2";

    [Fact]
    public void Changing_one_phase2_renegotiates_it_and_leaves_the_other_phase2s_SAs_and_counters_untouched()
    {
        CheckedScenario.Run(seed: 42001, (simulation, _) =>
        {
            var siteA = TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true, ExtraPhase2 = [(Second, "10.1.5.0 255.255.255.0", "10.2.5.0 255.255.255.0")] };
            var siteB = TunnelConfig.SiteB.Cheap() with { ExtraPhase2 = [(Second, "10.2.5.0 255.255.255.0", "10.1.5.0 255.255.255.0")] };
            var (a, b) = simulation.AddPair(siteA, siteB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(2));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(10));
            simulation.RunFor(TimeSpan.FromSeconds(5));
            var keptA = a.InstalledSas.Single(s => s.Phase2 == P2);
            var keptB = b.InstalledSas.Single(s => s.Phase2 == P2);
            var changed = a.InstalledSas.Single(s => s.Phase2 == Second);
            var ike = a.IkeSas.Single();

            var touched = a.ApplyConfiguration((siteA with { Phase2Overrides = new Dictionary<string, string> { [Second] = "set keylifeseconds 7200" } }).Render());
            simulation.RunFor(TimeSpan.FromSeconds(5));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal([P1], touched);
            Assert.Contains(a.Events<ChildSaDeleted>(), e => e.Phase2 == Second && e.Reason == "configuration changed");
            var renewed = a.InstalledSas.Single(s => s.Phase2 == Second);
            Assert.NotEqual(changed.InboundSpi, renewed.InboundSpi);

            // The other phase 2: same SPIs on both sides, counters kept counting, never removed; the IKE SA too.
            var nowA = a.InstalledSas.Single(s => s.Phase2 == P2);
            var nowB = b.InstalledSas.Single(s => s.Phase2 == P2);
            Assert.Equal((keptA.InboundSpi, keptA.OutboundSpi), (nowA.InboundSpi, nowA.OutboundSpi));
            Assert.Equal((keptB.InboundSpi, keptB.OutboundSpi), (nowB.InboundSpi, nowB.OutboundSpi));
            Assert.True(nowA.PacketsOut > keptA.PacketsOut && nowB.PacketsIn > keptB.PacketsIn);
            Assert.Equal(traffic.PacketsPerDirection, nowA.PacketsOut);
            Assert.DoesNotContain(simulation.Timeline, e => e.Kind == SimulationEventKind.ChildRemoved && e.Phase2 == P2);
            Assert.Equal(ike.InitiatorSpi, a.IkeSas.Single().InitiatorSpi);
            traffic.AssertNothingLost();
        });
    }

    /// <summary>
    /// auto-negotiate switched off on a live phase 2: no SA depends on it, so the SA stays (same SPIs, nothing lost), and from
    /// then on the new setting decides: without traffic the SA is left to expire at its soft point instead of being rekeyed,
    /// and nothing brings it back.
    /// </summary>
    [Fact]
    public void Switching_auto_negotiate_off_on_a_live_phase2_keeps_its_SA_and_the_new_setting_decides_from_then_on()
    {
        CheckedScenario.Run(seed: 42003, (simulation, _) =>
        {
            var siteA = TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true, Phase2KeyLifeSeconds = 300 };
            var siteB = TunnelConfig.SiteB.Cheap() with { Phase2KeyLifeSeconds = 300 };
            var (a, b) = simulation.AddPair(siteA, siteB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(2));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(10));
            simulation.RunFor(TimeSpan.FromSeconds(5));
            var kept = a.InstalledSas.Single();

            var touched = a.ApplyConfiguration((siteA with { AutoNegotiate = false }).Render());
            simulation.RunFor(TimeSpan.FromSeconds(5));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal([P1], touched);
            Assert.Empty(a.Events<ChildSaDeleted>());
            Assert.Empty(b.Events<ChildSaDeleted>());
            var now = a.InstalledSas.Single();
            Assert.Equal((kept.InboundSpi, kept.OutboundSpi), (now.InboundSpi, now.OutboundSpi));
            Assert.Equal(traffic.PacketsPerDirection, now.PacketsOut);
            traffic.AssertNothingLost();

            // No traffic from here on: with auto-negotiate (and keepalive) off the SA expires and stays down.
            simulation.RunFor(TimeSpan.FromSeconds(400));
            Assert.Contains(a.Events<ChildSaSoftExpiry>(), e => e.InboundSpi == kept.InboundSpi && !e.Rekeying);
            Assert.DoesNotContain(a.Events<ChildSaSoftExpiry>(), e => e.Rekeying);
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
        });
    }

    [Fact]
    public void Changing_one_tunnel_renegotiates_it_and_leaves_the_other_tunnels_SAs_and_counters_untouched()
    {
        CheckedScenario.Run(seed: 42002, (simulation, _) =>
        {
            // Hub A (192.0.2.1) with a tunnel to B (192.0.2.2) and one to C (192.0.2.3).
            var toB = TunnelConfig.SiteA.Cheap() with { Phase1Name = "to-b", Phase2Name = "to-b-p2", AutoNegotiate = true };
            var toC = TunnelConfig.SiteA.Cheap() with { Phase1Name = "to-c", Phase2Name = "to-c-p2", AutoNegotiate = true, RemoteGateway = "192.0.2.3", Destination = "10.3.0.0 255.255.255.0" };
            var hub = simulation.AddGateway("A", toB.Render() + toC.Render(), Scenario.AddressA);
            var b = simulation.AddGateway("B", TunnelConfig.SiteB.Cheap().Render(), Scenario.AddressB);
            var c = simulation.AddGateway("C", (TunnelConfig.SiteB.Cheap() with { Source = "10.3.0.0 255.255.255.0" }).Render(), IPAddress.Parse("192.0.2.3"));
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(2));
            using var traffic = new TwoWayTraffic(simulation, hub, b, TimeSpan.FromMilliseconds(10));
            simulation.RunFor(TimeSpan.FromSeconds(5));
            var keptIke = hub.IkeSas.Single(s => s.Phase1 == "to-b");
            var kept = hub.InstalledSas.Single(s => s.Phase1 == "to-b");
            var oldC = c.InstalledSas.Single();

            var touched = hub.ApplyConfiguration(toB.Render() + (toC with { DpdRetryInterval = 5 }).Render());
            simulation.RunFor(TimeSpan.FromSeconds(5));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal(["to-c"], touched);
            Assert.NotEqual(oldC.InboundSpi, Assert.Single(c.InstalledSas).InboundSpi);
            Assert.Equal(keptIke.InitiatorSpi, hub.IkeSas.Single(s => s.Phase1 == "to-b").InitiatorSpi);
            var now = hub.InstalledSas.Single(s => s.Phase1 == "to-b");
            Assert.Equal((kept.InboundSpi, kept.OutboundSpi), (now.InboundSpi, now.OutboundSpi));
            Assert.Equal(traffic.PacketsPerDirection, now.PacketsOut);
            Assert.DoesNotContain(simulation.Timeline, e => e.Gateway != "C" && e.Phase1 == "to-b" && e.Kind is SimulationEventKind.ChildRemoved or SimulationEventKind.IkeDown);
            traffic.AssertNothingLost();
        });
    }
}
