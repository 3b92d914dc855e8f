using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 item 6, beyond FortiOS: `set trigger-queue &lt;packets&gt;` (phase 2, default 0) holds up to that many packets
/// while the phase 2 has no SA and sends them, in order, through the new SA once it is installed; they are dropped with a
/// counter if negotiation fails or takes longer than the phase 1 negotiate-timeout. 0 keeps FortiOS's drop.
/// </summary>
public sealed class TriggerQueueScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    /// <summary>trigger-queue 0 (default and explicit) is the FortiOS behaviour: the trigger and its followers are dropped.</summary>
    [Theory]
    [InlineData(null, 34001)]
    [InlineData(0, 34002)]
    public void With_trigger_queue_0_packets_before_the_SA_are_dropped_as_FortiOS_does(int? queue, int seed)
    {
        CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { TriggerQueue = queue }, TunnelConfig.SiteB);
            simulation.Start();
            for (var i = 0; i < 5; i++)
            {
                a.SendTraffic(Scenario.PacketAToB(i));
            }

            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(5, a.Traffic(P1, P2).DroppedWithoutSa);
            Assert.Equal(0, a.Traffic(P1, P2).Queued);
            Assert.Equal(0, b.Traffic(P1, P2).Delivered);
        });
    }

    [Fact]
    public void With_trigger_queue_N_the_packets_held_during_negotiation_are_delivered_in_order_through_the_new_SA()
    {
        CheckedScenario.Run(seed: 34003, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { TriggerQueue = 64 }, TunnelConfig.SiteB);
            var received = new List<int>();
            b.PacketReceived += (_, _, packet) => received.Add(Scenario.SequenceOf(packet));
            simulation.Start();
            var sequence = 0;
            using var flow = simulation.Every(TimeSpan.FromMilliseconds(2), () => a.SendTraffic(Scenario.PacketAToB(sequence++)));
            simulation.RunFor(TimeSpan.FromMilliseconds(200));
            flow.Dispose();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var counters = a.Traffic(P1, P2);
            Assert.True(counters.Queued >= 10, $"only {counters.Queued} packets were held");
            Assert.Equal(counters.Queued, counters.QueueReleased);
            Assert.Equal(0, counters.DroppedWithoutSa);
            Assert.Equal(0, counters.QueueDropped);
            Assert.Equal(Enumerable.Range(0, sequence), received);
            var released = Assert.Single(a.Timeline, e => e.Kind == SimulationEventKind.TriggerQueueReleased);
            Assert.Equal((int)counters.Queued, released.Packets);
            Assert.Equal(a.Timeline.Single(e => e.Kind == SimulationEventKind.ChildInstalled).Time, released.Time);
        });
    }

    /// <summary>Memory stays bounded: never more than N packets held; the rest are dropped and counted.</summary>
    [Fact]
    public void The_trigger_queue_holds_at_most_N_packets_and_counts_the_rest_as_dropped()
    {
        CheckedScenario.Run(seed: 34004, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { TriggerQueue = 4 }, TunnelConfig.SiteB);
            var received = new List<int>();
            b.PacketReceived += (_, _, packet) => received.Add(Scenario.SequenceOf(packet));
            simulation.Start();
            var mostHeld = 0;
            for (var i = 0; i < 10; i++)
            {
                a.SendTraffic(Scenario.PacketAToB(i, payloadBytes: 1000));
                mostHeld = Math.Max(mostHeld, a.QueuedPackets(P1, P2));
            }

            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal(4, mostHeld);
            Assert.Equal(4, a.Traffic(P1, P2).Queued);
            Assert.Equal(6, a.Traffic(P1, P2).DroppedWithoutSa);
            Assert.Equal([0, 1, 2, 3], received);
            Assert.Equal(0, a.QueuedPackets(P1, P2));
        });
    }

    /// <summary>Negotiation fails (the peer accepts none of our phase 2 proposals): held packets are dropped at once, counted.</summary>
    [Fact]
    public void Held_packets_are_dropped_with_a_counter_when_negotiation_fails()
    {
        CheckedScenario.Run(seed: 34005, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA with { TriggerQueue = 16 },
                TunnelConfig.SiteB with { Phase2Proposals = "chacha20poly1305" });
            simulation.Start();
            for (var i = 0; i < 3; i++)
            {
                a.SendTraffic(Scenario.PacketAToB(i));
            }

            simulation.RunFor(TimeSpan.FromSeconds(2));
            Assert.Empty(a.InstalledSas);
            Assert.Equal(3, a.Traffic(P1, P2).QueueDropped);
            Assert.Equal(0, a.QueuedPackets(P1, P2));
            Assert.Equal(0, b.Traffic(P1, P2).Delivered);
            var dropped = Assert.Single(a.Timeline, e => e.Kind == SimulationEventKind.TriggerQueueDropped);
            Assert.Contains("negotiation failed", dropped.Detail, StringComparison.Ordinal);
            Assert.Contains(a.Events<NegotiationFailed>(), e => e.Notify == NotifyType.NoProposalChosen);
        });
    }

    /// <summary>The peer never answers: held packets live no longer than the phase 1 negotiate-timeout.</summary>
    [Fact]
    public void Held_packets_are_dropped_with_a_counter_when_negotiation_times_out()
    {
        CheckedScenario.Run(seed: 34006, (simulation, _) =>
        {
            var (a, _) = simulation.AddPair(TunnelConfig.SiteA with { TriggerQueue = 16, NegotiateTimeout = 10 }, TunnelConfig.SiteB);
            simulation.Network.Partition(Scenario.AddressA, Scenario.AddressB);
            simulation.Start();
            var sentAt = simulation.Now;
            a.SendTraffic(Scenario.PacketAToB(0));
            a.SendTraffic(Scenario.PacketAToB(1));
            simulation.RunFor(TimeSpan.FromSeconds(9.9));
            Assert.Equal(2, a.QueuedPackets(P1, P2));

            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(0, a.QueuedPackets(P1, P2));
            Assert.Equal(2, a.Traffic(P1, P2).QueueDropped);
            var dropped = Assert.Single(a.Timeline, e => e.Kind == SimulationEventKind.TriggerQueueDropped);
            Assert.Equal(sentAt + TimeSpan.FromSeconds(10), dropped.Time);
        });
    }

    /// <summary>With a queue, the packet that revives an expired tunnel is not lost (it is without one: see OnDemandScenarios).</summary>
    [Fact]
    public void With_a_trigger_queue_the_packet_that_revives_an_expired_phase2_is_delivered()
    {
        CheckedScenario.Run(seed: 34007, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Phase2KeyLifeSeconds = 300, TriggerQueue = 8 }, TunnelConfig.SiteB with { Phase2KeyLifeSeconds = 300 });
            simulation.Start();
            a.SendTraffic(Scenario.PacketAToB(0));
            simulation.RunFor(TimeSpan.FromSeconds(400));
            Assert.Empty(a.InstalledSas);
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);

            a.SendTraffic(Scenario.PacketAToB(1));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(2, b.Traffic(P1, P2).Delivered);
            Assert.Equal(0, a.Traffic(P1, P2).DroppedWithoutSa);
        });
    }

    /// <summary>A dial-up server never initiates, so there is nothing to wait for: held packets go at once, counted.</summary>
    [Fact]
    public void On_a_dial_up_server_held_packets_are_dropped_at_once_because_it_never_initiates()
    {
        CheckedScenario.Run(seed: 34008, (simulation, _) =>
        {
            var hub = simulation.AddGateway("A", (TunnelConfig.SiteA with { Type = "dynamic", TriggerQueue = 8 }).Render(), Scenario.AddressA);
            simulation.AddGateway("B", TunnelConfig.SiteB.Render(), Scenario.AddressB);
            simulation.Start();
            hub.SendTraffic(Scenario.PacketAToB(0));
            Assert.Equal(1, hub.Traffic(P1, P2).QueueDropped);
            Assert.Equal(0, hub.QueuedPackets(P1, P2));
            simulation.RunFor(TimeSpan.FromMinutes(1));
            Assert.Empty(hub.IkeSas);
        });
    }
}
