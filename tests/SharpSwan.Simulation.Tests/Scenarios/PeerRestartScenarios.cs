using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 item 10: "When the peer comes back with a new IKE SA (INITIAL_CONTACT), the stale SAs are removed; traffic works
/// again without waiting for a lifetime or DPD to run out."
/// </summary>
public sealed class PeerRestartScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Fact]
    public void A_peer_that_restarts_and_comes_back_with_INITIAL_CONTACT_makes_the_stale_SAs_go_at_once()
    {
        CheckedScenario.Run(seed: 41001, (simulation, _) =>
        {
            // A never probes (dpd disable) and has days of lifetime left: only INITIAL_CONTACT can tell it.
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap() with { Dpd = "disable" },
                TunnelConfig.SiteB.Cheap() with { AutoNegotiate = true, Dpd = "disable" });
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(5));
            var staleIke = a.IkeSas.Single();
            var stale = a.InstalledSas.Single();
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(5));
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var restartAt = simulation.Now;
            b.Restart();
            simulation.RunFor(TimeSpan.FromSeconds(2));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Contains(a.Events<IkeSaDeleted>(), e => e.Reason == "peer sent INITIAL_CONTACT");
            var fresh = a.Timeline.Single(e => e.Kind == SimulationEventKind.IkeUp && e.Time > restartAt);
            var staleGone = a.Timeline.Single(e => e.Kind == SimulationEventKind.ChildRemoved && e.InboundSpi == stale.InboundSpi);
            var staleIkeGone = a.Timeline.Single(e => e.Kind == SimulationEventKind.IkeDown && e.IkeSpis == $"{staleIke.InitiatorSpi:x16}/{staleIke.ResponderSpi:x16}");
            Assert.Equal(fresh.Time, staleGone.Time);
            Assert.Equal(fresh.Time, staleIkeGone.Time);
            Assert.True(fresh.Time - restartAt < TimeSpan.FromMilliseconds(50));

            // Only what A sent in the few milliseconds before the new SA existed went to SPIs B no longer has.
            var childA = Assert.Single(a.InstalledSas);
            Assert.Equal(childA.InboundSpi, Assert.Single(b.InstalledSas).OutboundSpi);
            var lostAtB = traffic.PacketsPerDirection - traffic.ReceivedByB.Count;
            Assert.InRange(lostAtB, 1, 10);
            Assert.Equal(lostAtB, b.UnknownSpiPackets);
            Assert.True(childA.PacketsIn > 0);
        });
    }

    /// <summary>The restarted peer has no auto-negotiate: its first packet brings the tunnel up, with the same effect.</summary>
    [Fact]
    public void A_restarted_peer_that_sends_traffic_renegotiates_and_the_stale_SAs_go_at_once()
    {
        CheckedScenario.Run(seed: 41002, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap() with { Dpd = "disable" }, TunnelConfig.SiteB.Cheap() with { Dpd = "disable" });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(10));
            var stale = a.InstalledSas.Single();

            b.Restart();
            simulation.RunFor(TimeSpan.FromMinutes(10));
            Assert.Equal(stale.InboundSpi, a.InstalledSas.Single().InboundSpi);

            b.SendTraffic(Scenario.PacketBToA(1));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.NotEqual(stale.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
            Assert.True(a.SendTraffic(Scenario.PacketAToB(2)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
        });
    }
}
