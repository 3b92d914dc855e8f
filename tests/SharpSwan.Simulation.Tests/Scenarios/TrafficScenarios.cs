using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 item 2 and the article's "If there is traffic on the VPN as the SA nears expiry, a new SA is negotiated and the
/// VPN switches to the new SA without interruption." Traffic is a packet every 100 ms in both directions, numbered, so
/// that sent and delivered can be compared packet by packet.
/// </summary>
public sealed class TrafficScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    /// <summary>Article: traffic near expiry → new SA, switch "without interruption" (make-before-break, zero loss).</summary>
    [Fact]
    public void Traffic_near_expiry_is_moved_to_a_new_SA_again_and_again_without_losing_a_packet()
    {
        var report = CheckedScenario.Run(seed: 32001, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap(120), TunnelConfig.SiteB.Cheap(120));
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(100));
            simulation.RunFor(TimeSpan.FromMinutes(15));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            // 120 s lifetimes: the creator rekeys 30-36 s before expiry, so about every 85-90 s, each time because of traffic.
            var rekeys = a.TimedSoftRekeys().Count();
            Assert.InRange(rekeys, 9, 11);
            Assert.Equal(rekeys, a.Timeline.Count(e => e.Kind == SimulationEventKind.ChildInstalled && e.IsRekey));
            Assert.False(simulation.AnyExpiry());
            Assert.Equal(9000, traffic.PacketsPerDirection);
            traffic.AssertNothingLost();
            Assert.Equal(a.Traffic(P1, P2).Sent, b.Traffic(P1, P2).Delivered);
            Assert.Equal(b.Traffic(P1, P2).Sent, a.Traffic(P1, P2).Delivered);
            ChildRekeyTests.AssertCleanTraffic(a, b);
        });
        Assert.True(report.PacketsDuringRekeys > 0, report.ToString());
        Assert.Equal(0, report.PacketsLostDuringRekeys);
    }

    /// <summary>
    /// Make-before-break on a link that reorders: up to 30 ms of jitter, so packets on the old SA can arrive after the
    /// DELETE exchange that retires it. The old SA must keep decrypting them.
    /// </summary>
    [Fact]
    public void Rekeys_under_traffic_on_a_reordering_link_lose_no_packet()
    {
        CheckedScenario.Run(seed: 32002, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap(120), TunnelConfig.SiteB.Cheap(120));
            simulation.Network.SetLink(Scenario.AddressA, Scenario.AddressB, LinkConditions.Default with { Jitter = TimeSpan.FromMilliseconds(30) });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(10));
            simulation.RunFor(TimeSpan.FromMinutes(5));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.InRange(a.TimedSoftRekeys().Count(), 3, 4);
            traffic.AssertNothingLost();
            Assert.Equal(0, a.UnknownSpiPackets + b.UnknownSpiPackets);
        });
    }

    /// <summary>Issue item 2: "If traffic begins after the soft point but before hard expiry, the rekey starts at once."</summary>
    [Fact]
    public void Traffic_that_begins_after_the_soft_point_starts_the_rekey_at_once()
    {
        CheckedScenario.Run(seed: 32003, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Phase2KeyLifeSeconds = 300 }, TunnelConfig.SiteB with { Phase2KeyLifeSeconds = 300 });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            var first = a.InstalledSas.Single();

            // Idle past A's soft point (about 210-225 s), well before the hard expiry at 300 s.
            simulation.RunFor(TimeSpan.FromSeconds(250));
            Assert.NotEmpty(a.SoftLetExpire());
            Assert.Equal(first.InboundSpi, a.InstalledSas.Single().InboundSpi);

            var sentAt = simulation.Now;
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunFor(TimeSpan.FromSeconds(3));

            var rekeyStart = Assert.Single(a.EventTimes<ChildSaSoftExpiry>(e => e.TrafficAfterSoft));
            Assert.InRange((rekeyStart - sentAt).TotalSeconds, 0, 1);
            var current = Assert.Single(a.InstalledSas);
            Assert.NotEqual(first.InboundSpi, current.InboundSpi);
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);

            // The new SA lives its full lifetime: nothing expires at the old SA's hard point.
            simulation.RunFor(TimeSpan.FromSeconds(100));
            Assert.Equal(current.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
            Assert.Empty(simulation.Gateways.SelectMany(g => g.TimedHardExpiries()));
        });
    }

    /// <summary>Traffic that arrives in the very instant of hard expiry must not go out on the expired SA.</summary>
    /// <remarks>
    /// The seed picks the run in which A's traffic check after its soft point falls inside the burst, so A rekeys on
    /// traffic before B's DELETE arrives (32004 did until DH keys drew from the seeded source and shifted the jitter; most
    /// seeds instead lose the SA to B's DELETE and drop a few packets with no SA while renegotiating on demand).
    /// </remarks>
    [Fact]
    public void A_packet_sent_at_the_instant_of_hard_expiry_does_not_use_the_expired_SA()
    {
        var report = CheckedScenario.Run(seed: 32044, (simulation, _) =>
        {
            var (a, b) = BurstAtHardExpiry(simulation);

            // The invariant checker proves no SA carried a packet past its hard lifetime; the tunnel came back on demand.
            Assert.True(b.Traffic(P1, P2).Delivered > 0);
            Assert.Single(a.InstalledSas);
        });

        // Traffic began 20 ms before B's copy expired: the packets then in flight died with it (not a rekey loss).
        Assert.InRange(report.PacketsLostToExpiry, 1, 4);
        Assert.Equal(report.PacketsLostToExpiry, report.PacketsLost);
    }

    /// <summary>
    /// The same burst at the instant of hard expiry, on seeds where the expiring SA is already being deleted when its hard
    /// point comes (its DELETE not yet answered): it must leave the data plane then, not when the answer arrives.
    /// </summary>
    [Theory]
    [InlineData(32005)]
    [InlineData(32049)]
    [InlineData(32075)]
    public void An_SA_whose_DELETE_is_unanswered_carries_nothing_past_its_hard_lifetime(int seed)
    {
        var report = CheckedScenario.Run(seed, (simulation, _) => BurstAtHardExpiry(simulation));

        // The checker threw above had any SA carried a packet past its hard lifetime; the burst was really offered.
        Assert.True(report.PacketsOffered > 0);
    }

    /// <summary>
    /// A tunnel with a 300 s phase 2, then packets from A every 5 ms from just before A's hard expiry until just after it
    /// (B's copy expires 10 ms earlier), then two quiet seconds.
    /// </summary>
    private static (SimulatedGateway A, SimulatedGateway B) BurstAtHardExpiry(Simulation simulation)
    {
        var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Phase2KeyLifeSeconds = 300 }, TunnelConfig.SiteB with { Phase2KeyLifeSeconds = 300 });
        simulation.Start();
        Assert.True(a.Initiate(P1, P2));
        simulation.RunUntilEstablished(a, b);
        var installedA = a.Timeline.Single(e => e.Kind == SimulationEventKind.ChildInstalled).Time;
        simulation.RunUntil(installedA + TimeSpan.FromSeconds(299.9));
        var sequence = 0;
        using (simulation.Every(TimeSpan.FromMilliseconds(5), () => a.SendTraffic(Scenario.PacketAToB(sequence++))))
        {
            simulation.RunFor(TimeSpan.FromSeconds(0.2));
        }

        simulation.RunFor(TimeSpan.FromSeconds(2));
        return (a, b);
    }
}
