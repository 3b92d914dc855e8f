using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 item 9 (phase 1): IKE SA rekey at `keylife` without touching child SAs and without re-creating children that
/// are down; `dpd disable|on-idle|on-demand` with `dpd-retryinterval` and `dpd-retrycount` (a dead peer takes the IKE SA
/// and its children down); `negotiate-timeout`; `idle-timeout`.
/// </summary>
public sealed class PhaseOneScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;
    private const string Second = "second-p2";

    [Fact]
    public void The_IKE_SA_is_rekeyed_at_keylife_without_touching_the_child_SAs_or_recreating_a_child_that_is_down()
    {
        CheckedScenario.Run(seed: 40001, (simulation, _) =>
        {
            var extraA = new[] { (Second, "10.1.5.0 255.255.255.0", "10.2.5.0 255.255.255.0") };
            var extraB = new[] { (Second, "10.2.5.0 255.255.255.0", "10.1.5.0 255.255.255.0") };
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap(3600) with { Phase1KeyLife = 600, Keepalive = true, ExtraPhase2 = extraA },
                TunnelConfig.SiteB.Cheap(3600) with { Phase1KeyLife = 600, Keepalive = true, ExtraPhase2 = extraB });
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            Assert.True(a.Initiate(P1, null));
            simulation.RunFor(TimeSpan.FromSeconds(2));
            Assert.Equal(2, a.InstalledSas.Count);

            // The second phase 2 goes down (administratively); the first carries traffic throughout.
            Assert.True(a.Terminate(P1, Second));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            var child = Assert.Single(a.InstalledSas);
            var peerChild = Assert.Single(b.InstalledSas);
            var createsBefore = wire.Messages.Count(m => m.Exchange == ExchangeType.CreateChildSa && !m.IsResponse);
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(100));
            var ikeBefore = a.IkeSas.Single();
            simulation.RunFor(TimeSpan.FromSeconds(1000));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            // 600 s keylife: the creator rekeys 150-170 s early, so twice in 1000 s; each is one CREATE_CHILD exchange.
            var ikeRekeys = a.Events<IkeSaRekeyed>().Count();
            Assert.Equal(2, ikeRekeys);
            Assert.NotEqual(ikeBefore.InitiatorSpi, a.IkeSas.Single().InitiatorSpi);
            Assert.Equal(createsBefore + 2, wire.Messages.Count(m => m.Exchange == ExchangeType.CreateChildSa && !m.IsResponse));

            // The child SA moved over untouched (same SPIs, counters still running) and the down one stayed down.
            var now = Assert.Single(a.InstalledSas);
            Assert.Equal((child.InboundSpi, child.OutboundSpi), (now.InboundSpi, now.OutboundSpi));
            Assert.Equal((peerChild.InboundSpi, peerChild.OutboundSpi), (b.InstalledSas.Single().InboundSpi, b.InstalledSas.Single().OutboundSpi));
            Assert.Equal(traffic.PacketsPerDirection, now.PacketsOut - child.PacketsOut);
            Assert.DoesNotContain(a.ChildSas, c => c.Phase2 == Second);
            Assert.DoesNotContain(b.ChildSas, c => c.Phase2 == Second);
            traffic.AssertNothingLost();
        });
    }

    /// <summary>
    /// dpd on-idle: after dpd-retryinterval of silence a probe goes out, retried every interval dpd-retrycount times; one
    /// interval after the last retry the peer is dead and the IKE SA and its children go, on our side at once.
    /// </summary>
    [Fact]
    public void DPD_on_idle_declares_a_silent_peer_dead_after_the_retry_schedule_and_removes_the_IKE_SA_and_its_children()
    {
        CheckedScenario.Run(seed: 40002, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap() with { Dpd = "on-idle", DpdRetryInterval = 10, DpdRetryCount = 3 },
                TunnelConfig.SiteB.Cheap() with { Dpd = "disable" });
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(60));

            // While the peer answers, on-idle probes every 10 s of silence.
            var probes = wire.RequestsFrom(Scenario.AddressA, ExchangeType.Informational).Select(m => m.Time).ToList();
            Assert.InRange(probes.Count, 5, 6);
            Assert.All(probes.Zip(probes.Skip(1)), p => Assert.Equal(10, (p.Second - p.First).TotalSeconds, 0.05));

            simulation.Network.Partition(Scenario.AddressA, Scenario.AddressB);
            var partitioned = simulation.Now;
            simulation.RunFor(TimeSpan.FromSeconds(120));

            var probe = a.EventTimes<LivenessProbeSent>().First(t => t >= partitioned);
            var retries = a.EventTimes<RequestRetransmitted>(e => e.Exchange == "DPD").Where(t => t >= partitioned).ToList();
            Assert.Equal([probe.AddSeconds(10), probe.AddSeconds(20), probe.AddSeconds(30)], retries);
            var dead = a.EventTimes<DpdFailed>().First();
            Assert.Equal(probe.AddSeconds(40), dead);
            Assert.Empty(a.IkeSas);
            Assert.Empty(a.InstalledSas);
            Assert.All(a.Timeline.Where(e => e.Kind is SimulationEventKind.IkeDown or SimulationEventKind.ChildRemoved), e => Assert.Equal(dead, e.Time));

            // The peer, which does not probe, heard nothing; A, without auto-negotiate, stays down until traffic.
            Assert.Single(b.IkeSas);
            Assert.DoesNotContain(wire.Messages, m => m.Time > dead && m.Exchange == ExchangeType.IkeSaInit);
        });
    }

    /// <summary>dpd on-demand: an idle tunnel is never probed; traffic that gets no answer is, and the dead peer is found.</summary>
    [Fact]
    public void DPD_on_demand_probes_only_when_traffic_goes_out_and_nothing_comes_back()
    {
        CheckedScenario.Run(seed: 40003, (simulation, _) =>
        {
            var (a, _) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap() with { Dpd = "on-demand", DpdRetryInterval = 10, DpdRetryCount = 2 },
                TunnelConfig.SiteB.Cheap() with { Dpd = "disable" });
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            simulation.Network.Partition(Scenario.AddressA, Scenario.AddressB);
            simulation.RunFor(TimeSpan.FromMinutes(30));
            Assert.Empty(wire.RequestsFrom(Scenario.AddressA, ExchangeType.Informational));
            Assert.Single(a.IkeSas);

            var sentAt = simulation.Now;
            using var traffic = simulation.Every(TimeSpan.FromSeconds(1), () => a.SendTraffic(Scenario.PacketAToB(0)));
            simulation.RunFor(TimeSpan.FromMinutes(1));

            var probe = wire.RequestsFrom(Scenario.AddressA, ExchangeType.Informational)[0].Time;
            Assert.InRange((probe - sentAt).TotalSeconds, 1, 3);
            Assert.Equal(probe.AddSeconds(30), a.EventTimes<DpdFailed>().First());
            Assert.Empty(a.IkeSas);
        });
    }

    [Fact]
    public void With_DPD_disabled_a_silent_peer_is_never_probed_and_the_IKE_SA_stays()
    {
        CheckedScenario.Run(seed: 40004, (simulation, _) =>
        {
            var (a, _) = simulation.AddPair(TunnelConfig.SiteA.Cheap() with { Dpd = "disable" }, TunnelConfig.SiteB.Cheap() with { Dpd = "disable" });
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            simulation.Network.Partition(Scenario.AddressA, Scenario.AddressB);
            using var traffic = simulation.Every(TimeSpan.FromSeconds(1), () => a.SendTraffic(Scenario.PacketAToB(0)));
            simulation.RunFor(TimeSpan.FromHours(1));

            Assert.Empty(wire.RequestsFrom(Scenario.AddressA, ExchangeType.Informational));
            Assert.Single(a.IkeSas);
            Assert.Single(a.InstalledSas);
        });
    }

    /// <summary>negotiate-timeout: an unanswered IKE negotiation is abandoned exactly that long after it started.</summary>
    [Fact]
    public void Negotiate_timeout_abandons_an_unanswered_negotiation_and_a_half_open_responder_SA()
    {
        CheckedScenario.Run(seed: 40005, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap() with { NegotiateTimeout = 12 }, TunnelConfig.SiteB.Cheap() with { NegotiateTimeout = 7 });
            var wire = new IkeWireTap(simulation);

            // B answers IKE_SA_INIT, but A's IKE_AUTH never arrives: B holds a half-open SA, A waits for an answer.
            simulation.Network.Interfere = datagram =>
                datagram.Source.Address.Equals(Scenario.AddressA) && IkeWireTap.TryReadIke(datagram, out var header) && header.Exchange == ExchangeType.IkeAuth
                    ? DatagramFate.Drop
                    : DatagramFate.Pass;
            simulation.Start();
            var start = simulation.Now;
            Assert.True(a.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(1));

            // B's only pending work is to forget the half-open SA, 7 s (its negotiate-timeout) after answering.
            var answered = Assert.Single(b.EventTimes<IkeSaInitAnswered>());
            Assert.Equal(answered.AddSeconds(7), b.Engine.NextDeadline());
            simulation.RunFor(TimeSpan.FromSeconds(29));

            Assert.Equal(start.AddSeconds(12), Assert.Single(a.EventTimes<NegotiationFailed>(e => e.Phase2 is null && e.Reason == "negotiation timeout")));
            Assert.Equal(2, a.Events<RequestRetransmitted>().Count(e => e.Exchange == "AUTH"));
            Assert.Null(b.Engine.NextDeadline());
            Assert.Null(a.Engine.NextDeadline());
            Assert.Single(wire.InitRequestsFrom(Scenario.AddressA));
            Assert.Empty(a.IkeSas);
            Assert.Empty(b.IkeSas);
        });
    }

    /// <summary>idle-timeout: a tunnel without traffic for idle-timeoutinterval minutes is brought down; traffic keeps it up.</summary>
    [Fact]
    public void Idle_timeout_brings_an_unused_tunnel_down_and_traffic_keeps_it_up()
    {
        CheckedScenario.Run(seed: 40006, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap(3600) with { Keepalive = true, IdleTimeoutMinutes = 5 },
                TunnelConfig.SiteB.Cheap(3600) with { Keepalive = true });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            var sends = new List<DateTimeOffset>();
            var traffic = simulation.Every(TimeSpan.FromSeconds(60), () =>
            {
                sends.Add(simulation.Now);
                a.SendTraffic(Scenario.PacketAToB(sends.Count));
            });
            simulation.RunFor(TimeSpan.FromMinutes(30));
            Assert.Single(a.IkeSas);
            Assert.DoesNotContain(a.Events<IkeSaDeleted>(), e => e.Reason == "idle-timeout");

            traffic.Dispose();
            simulation.RunFor(TimeSpan.FromMinutes(10));

            // Down within a second (the data-plane poll) of five minutes after the last packet; the peer is told.
            var down = Assert.Single(a.EventTimes<IkeSaDeleted>(e => e.Reason == "idle-timeout"));
            Assert.InRange((down - sends[^1]).TotalSeconds, 300, 301);
            Assert.Empty(a.IkeSas);
            Assert.Empty(b.IkeSas);
            Assert.Contains(b.Events<IkeSaDeleted>(), e => e.Reason == "deleted by peer");
            Assert.Equal(30, b.Traffic(P1, P2).Delivered);
        });
    }
}
