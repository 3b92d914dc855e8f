using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 item 1 (lifetimes) and the article's "The Phase-2 SA has a fixed duration." Every scenario runs with the
/// lifecycle invariants watching (one SA per selector once settled, no loss during rekeys, nothing used past hard expiry).
/// </summary>
public sealed class LifetimeScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    /// <summary>Article: "The Phase-2 SA has a fixed duration." Issue item 1: hard lifetime from keylifeseconds, soft point before it.</summary>
    [Fact]
    public void A_seconds_lifetime_is_a_fixed_duration_the_SA_is_deleted_exactly_at_keylifeseconds()
    {
        CheckedScenario.Run(seed: 31001, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Phase2KeyLifeSeconds = 300 }, TunnelConfig.SiteB with { Phase2KeyLifeSeconds = 300 });
            simulation.Start();
            a.SendTraffic(Scenario.PacketAToB(0));
            simulation.RunUntilEstablished(a, b);
            var installedA = a.Timeline.Single(e => e.Kind == SimulationEventKind.ChildInstalled).Time;
            var installedB = b.Timeline.Single(e => e.Kind == SimulationEventKind.ChildInstalled).Time;
            simulation.RunFor(TimeSpan.FromSeconds(400));

            // Each side holds the hard lifetime it was configured with and a soft point before it.
            Assert.Equal(300, HardSeconds(a).Single());
            Assert.Equal(300, HardSeconds(b).Single());
            Assert.InRange(SoftSeconds(a).Single(), 1, 299);
            Assert.InRange(SoftSeconds(b).Single(), 1, 299);

            // The responder installed first, so its SA reaches the end of its fixed duration first: deleted at that instant.
            var expiry = simulation.Gateways.SelectMany(g => g.EventTimes<ChildSaHardExpiry>(e => !e.ByBytes).Select(time => (g.Name, Time: time))).MinBy(e => e.Time);
            Assert.Equal("B", expiry.Name);
            Assert.Equal(installedB + TimeSpan.FromSeconds(300), expiry.Time);
            Assert.True(installedA > installedB);
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
        });
    }

    /// <summary>Issue item 1: the initiator's soft point comes earlier than the responder's, so one side normally leads.</summary>
    [Fact]
    public void The_side_that_created_the_SA_leads_every_rekey_so_equal_lifetimes_never_collide()
    {
        CheckedScenario.Run(seed: 31002, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap(300) with { Keepalive = true },
                TunnelConfig.SiteB.Cheap(300) with { Keepalive = true });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromHours(3));

            var rekeysByA = a.ChildRekeysInitiated().Count();
            Assert.InRange(rekeysByA, (int)(3 * 3600 / 240.0), (int)(3 * 3600 / 200.0) + 1);
            Assert.Empty(b.ChildRekeysInitiated());
            Assert.Equal(rekeysByA, b.Events<PeerChildRekeyAccepted>().Count());
            Assert.False(a.Events<RekeyCollision>().Any() || b.Events<RekeyCollision>().Any());

            // For every SA, the creator (A) planned its soft point earlier than the other side (B) did.
            var softA = SoftSeconds(a);
            var softB = SoftSeconds(b);
            Assert.Equal(softA.Count, softB.Count);
            Assert.All(softA.Zip(softB), pair => Assert.True(pair.First < pair.Second, $"A soft {pair.First} s, B soft {pair.Second} s"));
            Assert.Single(a.InstalledSas);
            Assert.Single(b.InstalledSas);
        });
    }

    /// <summary>
    /// Issue item 1: "with random jitter so that thousands of tunnels do not rekey in the same second". 100 tunnels between
    /// 100 pairs of gateways come up in the same virtual instant; their rekeys are spread over many seconds.
    /// </summary>
    [Fact]
    public void Jitter_spreads_the_rekeys_of_100_tunnels_that_came_up_together_over_many_seconds()
    {
        CheckedScenario.Run(seed: 31003, (simulation, _) =>
        {
            var pairs = new List<(SimulatedGateway A, SimulatedGateway B)>();
            for (var i = 0; i < 100; i++)
            {
                var addressA = $"198.18.{i}.1";
                var addressB = $"198.18.{i}.2";
                // dpd disable: an on-demand DPD polls the data plane every second, which 200 gateways need not do here.
                var a = simulation.AddGateway($"A{i}", (TunnelConfig.SiteA.Cheap(1800) with { RemoteGateway = addressB, AutoNegotiate = true, Dpd = "disable" }).Render(), IPAddress.Parse(addressA));
                var b = simulation.AddGateway($"B{i}", (TunnelConfig.SiteB.Cheap(1800) with { RemoteGateway = addressA, Dpd = "disable" }).Render(), IPAddress.Parse(addressB));
                pairs.Add((a, b));
            }

            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(1700));

            // All 100 came up at one instant: without jitter they would all rekey at one instant too.
            var installs = pairs.Select(p => p.A.Timeline.First(e => e.Kind == SimulationEventKind.ChildInstalled).Time).Distinct().ToList();
            Assert.Single(installs);

            var rekeys = pairs.Select(p => p.A.EventTimes<CreateChildInitiated>(e => e.IsRekey).Single()).ToList();
            var perSecond = rekeys.GroupBy(t => (long)simulation.Seconds(t)).Select(g => g.Count()).ToList();
            Assert.True(perSecond.Count >= 12, $"100 rekeys fell into only {perSecond.Count} distinct seconds");
            Assert.True(perSecond.Max() <= 15, $"{perSecond.Max()} of 100 tunnels rekeyed in the same second");
            Assert.True((rekeys.Max() - rekeys.Min()).TotalSeconds >= 15, $"rekeys spread over only {(rekeys.Max() - rekeys.Min()).TotalSeconds} s");
            Assert.All(pairs, p => Assert.Single(p.B.InstalledSas));
        });
    }

    /// <summary>Issue item 1: keylife-type kbs: the SA is rekeyed after keylifekbs of traffic (the creator at 90%), never by time.</summary>
    [Fact]
    public void A_kbs_lifetime_rekeys_after_keylifekbs_of_traffic_without_losing_a_packet()
    {
        CheckedScenario.Run(seed: 31004, (simulation, invariants) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap() with { KeyLifeType = "kbs", KeyLifeKbs = 5120 },
                TunnelConfig.SiteB.Cheap() with { KeyLifeType = "kbs", KeyLifeKbs = 5120 });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            // 1400-byte packets every 10 ms from A: about 140 KB/s, so 5120 KB lasts about 37 s.
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(10), payloadBytes: 1400, bothWays: false);
            simulation.RunFor(TimeSpan.FromSeconds(200));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var byteRekeys = a.EventTimes<ChildSaSoftExpiry>(EngineEvents.IsByteSoftRekey).ToList();
            Assert.InRange(byteRekeys.Count, 4, 7);
            Assert.True(byteRekeys.Zip(byteRekeys.Skip(1)).All(p => (p.Second - p.First).TotalSeconds is > 25 and < 40));
            Assert.Empty(simulation.Gateways.SelectMany(g => g.TimedSoftRekeys()));
            Assert.False(simulation.AnyExpiry());
            traffic.AssertNothingLost();
            Assert.Equal(0, invariants.Check().PacketsLostDuringRekeys);
        });
    }

    /// <summary>Issue item 1: keylife-type both: whichever of keylifeseconds and keylifekbs comes first drives the rekey.</summary>
    [Fact]
    public void A_both_lifetime_rekeys_on_bytes_under_heavy_traffic_and_on_time_when_idle()
    {
        CheckedScenario.Run(seed: 31005, (simulation, _) =>
        {
            var both = TunnelConfig.SiteA.Cheap(600) with { KeyLifeType = "both", KeyLifeKbs = 5120, Keepalive = true };
            var (a, b) = simulation.AddPair(both, TunnelConfig.SiteB.Cheap(600) with { KeyLifeType = "both", KeyLifeKbs = 5120, Keepalive = true });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            using (var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(10), payloadBytes: 1400, bothWays: false))
            {
                simulation.RunFor(TimeSpan.FromSeconds(100));
                traffic.Stop();
                simulation.RunFor(TimeSpan.FromSeconds(1));
                traffic.AssertNothingLost();
            }

            Assert.InRange(a.ByteSoftRekeys().Count(), 2, 3);
            Assert.Empty(a.TimedSoftRekeys());

            simulation.RunFor(TimeSpan.FromSeconds(1400));
            Assert.InRange(a.TimedSoftRekeys().Count(), 2, 4);
            Assert.Equal(a.ByteSoftRekeys().Count(), a.EventTimes<ChildSaSoftExpiry>(EngineEvents.IsByteSoftRekey).Count(t => t < simulation.Clock.Start + TimeSpan.FromSeconds(102)));
            Assert.Single(a.InstalledSas);
        });
    }

    internal static List<int> SoftSeconds(SimulatedGateway gateway) => gateway.Events<ChildSaLifetimeSet>().Select(e => e.SoftSeconds).ToList();

    internal static List<int> HardSeconds(SimulatedGateway gateway) => gateway.Events<ChildSaLifetimeSet>().Select(e => e.HardSeconds).ToList();
}
