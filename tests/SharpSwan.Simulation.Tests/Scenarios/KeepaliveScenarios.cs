using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 item 4 (`keepalive enable`: rekey at the soft point whether or not there was traffic) and the article's
/// "Autokey Keep Alive: Enable the option to keep the tunnel active when no data is being processed." and "The Autokey
/// Keep Alive option ensures that a new Phase 2 SA is negotiated, even if there is no traffic, so the VPN tunnel stays up."
/// </summary>
public sealed class KeepaliveScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Fact]
    public void Keepalive_rekeys_at_every_soft_point_without_traffic_and_the_tunnel_stays_up_for_three_days()
    {
        CheckedScenario.Run(seed: 35001, (simulation, _) =>
        {
            // dpd disable only keeps the three-day run cheap (an on-demand DPD polls the data plane every second).
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap(3600) with { Keepalive = true, Dpd = "disable" },
                TunnelConfig.SiteB.Cheap(3600) with { Keepalive = true, Dpd = "disable" });
            simulation.Start();
            a.SendTraffic(Scenario.PacketAToB(0));
            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromDays(3));

            // The creator rekeys 180-200 s before each hour-long lifetime ends: about 76 rekeys in three days, all idle.
            var rekeys = a.TimedSoftRekeys().Count();
            Assert.InRange(rekeys, 3 * 86400 / 3420, (3 * 86400 / 3400) + 1);
            Assert.Equal(rekeys, a.Timeline.Count(e => e.Kind == SimulationEventKind.ChildInstalled && e.IsRekey));
            Assert.False(a.SoftLetExpire().Any() || b.SoftLetExpire().Any());
            Assert.False(simulation.AnyExpiry());
            Assert.DoesNotContain(simulation.Events<Phase2Down>(), e => e.Phase2 == "vpn-p2");

            // The IKE SA was rekeyed at its own keylife (a day) under the children, and the tunnel still carries traffic at
            // once (only the packet that brought it up three days ago was dropped).
            Assert.InRange(a.Events<IkeSaRekeyed>().Count(), 3, 4);
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
            Assert.Equal(1, a.Traffic(P1, P2).DroppedWithoutSa);
        });
    }

    /// <summary>The contrast: the same idle tunnel without keepalive is down after its first lifetime.</summary>
    [Fact]
    public void Without_keepalive_the_same_idle_tunnel_is_down_after_its_first_lifetime()
    {
        CheckedScenario.Run(seed: 35002, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap(3600) with { Dpd = "disable" }, TunnelConfig.SiteB.Cheap(3600) with { Dpd = "disable" });
            simulation.Start();
            a.SendTraffic(Scenario.PacketAToB(0));
            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromDays(3));

            Assert.Empty(a.TimedSoftRekeys());
            Assert.Single(b.TimedHardExpiries());
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
        });
    }
}
