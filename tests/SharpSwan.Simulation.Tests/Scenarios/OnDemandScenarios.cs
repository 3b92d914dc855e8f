using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 items 3 and 6 (no traffic; on demand, the default) and the article's sentences about them. Both gateways keep
/// the FortiOS defaults: auto-negotiate and keepalive disabled.
/// </summary>
public sealed class OnDemandScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    /// <summary>
    /// Article: "By default, the phase 2 security association (SA) is not negotiated until a peer attempts to send data."
    /// and "if there is interesting traffic towards the tunnel, the tunnel negotiation will occur automatically."
    /// </summary>
    [Fact]
    public void By_default_nothing_is_negotiated_until_a_peer_sends_data_then_the_packet_starts_negotiation_at_once()
    {
        CheckedScenario.Run(seed: 33001, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromDays(1));
            Assert.Empty(wire.Messages);
            Assert.Empty(a.IkeSas);

            var sentAt = simulation.Now;
            Assert.False(a.SendTraffic(Scenario.PacketAToB(0)));
            simulation.RunUntilEstablished(a, b);

            var init = Assert.Single(wire.InitRequestsFrom(Scenario.AddressA));
            Assert.Equal(sentAt, init.Time);
            Assert.Equal("traffic", Assert.Single(a.Events<ConnectionCreated>()).Reason);
        });
    }

    /// <summary>Either end's traffic starts the negotiation; the one that sends becomes the initiator.</summary>
    [Fact]
    public void Traffic_from_the_other_side_makes_the_other_side_initiate()
    {
        CheckedScenario.Run(seed: 33002, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromHours(1));
            Assert.False(b.SendTraffic(Scenario.PacketBToA(0)));
            simulation.RunUntilEstablished(a, b);
            Assert.True(b.IkeSas.Single().IsOriginalInitiator);
        });
    }

    /// <summary>
    /// Article: "The triggering packet and some subsequent packets are dropped until the SA is established." (FortiOS
    /// default, trigger-queue 0.) One negotiation, however many packets ask for it.
    /// </summary>
    [Fact]
    public void The_triggering_packet_and_the_ones_after_it_are_dropped_until_the_SA_is_established()
    {
        CheckedScenario.Run(seed: 33003, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            var wire = new IkeWireTap(simulation);
            var received = new List<int>();
            b.PacketReceived += (_, _, packet) => received.Add(Scenario.SequenceOf(packet));
            simulation.Start();
            var sendTimes = new List<DateTimeOffset>();
            var sequence = 0;
            using var flow = simulation.Every(TimeSpan.FromMilliseconds(5), () =>
            {
                sendTimes.Add(simulation.Now);
                a.SendTraffic(Scenario.PacketAToB(sequence++));
            });
            simulation.RunFor(TimeSpan.FromSeconds(1));
            flow.Dispose();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var installed = a.Timeline.Single(e => e.Kind == SimulationEventKind.ChildInstalled).Time;
            var beforeSa = sendTimes.Count(t => t < installed);
            Assert.True(beforeSa >= 5, $"only {beforeSa} packets were sent during negotiation");
            Assert.Equal(beforeSa, a.Traffic(P1, P2).DroppedWithoutSa);
            Assert.Equal(0, a.Traffic(P1, P2).Queued);

            // Exactly the packets from the installation on arrived, in order; the first ones (the trigger included) did not.
            Assert.Equal(Enumerable.Range(beforeSa, sequence - beforeSa), received);
            Assert.Single(wire.InitRequestsFrom(Scenario.AddressA));
        });
    }

    /// <summary>
    /// Article: "Applications normally resend this data, so there is no loss, but there might be a noticeable delay in
    /// response to the user." An application resends its request every second until it gets through.
    /// </summary>
    [Fact]
    public void An_application_that_resends_loses_nothing_but_waits_one_resend_interval()
    {
        CheckedScenario.Run(seed: 33004, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            DateTimeOffset? arrived = null;
            b.PacketReceived += (_, _, _) => arrived ??= simulation.Now;
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(10));

            var firstTry = simulation.Now;
            a.SendTraffic(Scenario.PacketAToB(42));
            using var resend = simulation.Every(TimeSpan.FromSeconds(1), () =>
            {
                if (arrived is null)
                {
                    a.SendTraffic(Scenario.PacketAToB(42));
                }
            });
            simulation.RunFor(TimeSpan.FromSeconds(10));

            Assert.NotNull(arrived);
            var delay = arrived.Value - firstTry;
            var negotiation = a.Timeline.Single(e => e.Kind == SimulationEventKind.ChildInstalled).Time - firstTry;
            Assert.True(negotiation > TimeSpan.Zero && negotiation < TimeSpan.FromSeconds(1), $"negotiation took {negotiation}");
            Assert.InRange(delay.TotalSeconds, 1.0, 1.1);
            Assert.Equal(1, a.Traffic(P1, P2).DroppedWithoutSa);
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
        });
    }

    /// <summary>
    /// Issue item 3 and the article: "However, if there is no traffic, the SA expires (by default) and phase-2 goes down."
    /// The expiring side sends a DELETE, which the peer sees; both data planes end up empty.
    /// </summary>
    [Fact]
    public void An_idle_SA_expires_at_its_hard_lifetime_the_peer_sees_the_DELETE_and_phase2_goes_down()
    {
        CheckedScenario.Run(seed: 33005, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Phase2KeyLifeSeconds = 600 }, TunnelConfig.SiteB with { Phase2KeyLifeSeconds = 600 });
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            a.SendTraffic(Scenario.PacketAToB(0));
            simulation.RunUntilEstablished(a, b);
            var child = b.InstalledSas.Single();
            simulation.RunFor(TimeSpan.FromSeconds(700));

            // B installed first, so B's SA expires first: B sends the DELETE, A sees it and drops its half.
            Assert.Contains(b.TimedHardExpiries(), e => e.InboundSpi == child.InboundSpi && e.OutboundSpi == child.OutboundSpi);
            Assert.Contains(b.Events<ChildSaDeleteSent>(), e => e.InboundSpi == child.InboundSpi && e.Reason == "expired");
            Assert.Contains(a.Events<ChildSaDeleted>(), e => e.ByPeer && e.InboundSpi == child.OutboundSpi && e.OutboundSpi == child.InboundSpi);
            Assert.Contains(a.Events<Phase2Down>(), e => e.Phase2 == "vpn-p2" && e.Reason == "deleted by peer");
            Assert.Contains(b.Events<Phase2Down>(), e => e.Phase2 == "vpn-p2" && e.Reason == "expired");
            Assert.Single(wire.RequestsFrom(Scenario.AddressB, ExchangeType.Informational), m => m.Time == b.EventTimes<ChildSaHardExpiry>(e => !e.ByBytes).First());
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.Empty(a.ChildSas);
            Assert.Empty(b.ChildSas);

            // Phase 1 stays up: only phase 2 went down.
            Assert.Single(a.IkeSas);
        });
    }

    /// <summary>Article: "A new SA will not be generated until there is traffic." Then the first packet brings it back.</summary>
    [Fact]
    public void After_expiry_no_SA_is_negotiated_for_hours_until_traffic_arrives()
    {
        CheckedScenario.Run(seed: 33006, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Phase2KeyLifeSeconds = 600 }, TunnelConfig.SiteB with { Phase2KeyLifeSeconds = 600 });
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            a.SendTraffic(Scenario.PacketAToB(0));
            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromSeconds(700));
            Assert.Empty(a.InstalledSas);
            var createChildBefore = wire.Messages.Count(m => m.Exchange == ExchangeType.CreateChildSa);

            simulation.RunFor(TimeSpan.FromHours(2));
            Assert.Equal(createChildBefore, wire.Messages.Count(m => m.Exchange == ExchangeType.CreateChildSa));
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);

            var sentAt = simulation.Now;
            Assert.False(b.SendTraffic(Scenario.PacketBToA(1)));
            Assert.True(simulation.RunUntil(() => a.InstalledSas.Count == 1 && b.InstalledSas.Count == 1, TimeSpan.FromSeconds(5)));
            var request = wire.RequestsFrom(Scenario.AddressB, ExchangeType.CreateChildSa).Last();
            Assert.Equal(sentAt, request.Time);
        });
    }
}
