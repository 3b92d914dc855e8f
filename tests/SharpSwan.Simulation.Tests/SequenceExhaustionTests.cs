using SharpSwan.Esp;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// Issue 11, item 4, in simulation with the outbound sequence counter fast-forwarded: an SA near 2^32 - 1 is rekeyed well
/// before it runs out, and one that does run out drops and counts its packets until its successor carries them.
/// </summary>
public sealed class SequenceExhaustionTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Theory]
    [InlineData(11101)]
    [InlineData(11102)]
    public void Passing_the_sequence_soft_point_rekeys_the_child_SA_without_losing_a_packet(int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b, before) = EstablishedWithSequenceAt(simulation, EspSecurityAssociation.SequenceSoftLimit - 20);

            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(20));
            simulation.RunFor(TimeSpan.FromSeconds(3));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(2));

            var soft = Assert.Single(a.Timeline, e => e.Kind == SimulationEventKind.SequenceSoftLimit);
            Assert.Equal(before, soft.OutboundSpi);
            var successor = Assert.Single(a.Timeline, e => e.Kind == SimulationEventKind.ChildInstalled && e.IsRekey);
            Assert.True(successor.Time >= soft.Time);
            Assert.NotEqual(before, a.ActiveOutboundSpi(P1, P2));
            Assert.Single(a.InstalledSas);
            traffic.AssertNothingLost();
            Assert.Equal(0, a.Traffic(P1, P2).SequenceExhausted);
        });

    [Theory]
    [InlineData(11103)]
    [InlineData(11104)]
    public void An_SA_that_runs_out_drops_and_counts_instead_of_wrapping_and_its_successor_carries_the_traffic(int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b, before) = EstablishedWithSequenceAt(simulation, uint.MaxValue - 2);
            var received = new List<int>();
            b.PacketReceived += (_, _, packet) => received.Add(Scenario.SequenceOf(packet));

            // Five packets at once: two get the last numbers, three find none left (the rekey cannot be that quick).
            for (var i = 0; i < 5; i++)
            {
                a.SendTraffic(P1, P2, Scenario.PacketAToB(i));
            }

            simulation.RunFor(TimeSpan.FromSeconds(2));
            Assert.Equal(3, a.Traffic(P1, P2).SequenceExhausted);
            Assert.Equal([0, 1], received);
            Assert.NotEqual(before, a.ActiveOutboundSpi(P1, P2));
            Assert.Single(a.Timeline, e => e.Kind == SimulationEventKind.SequenceExhausted && e.OutboundSpi == before);
            Assert.Single(a.Timeline, e => e.Kind == SimulationEventKind.ChildInstalled && e.IsRekey);

            Assert.True(a.SendTraffic(P1, P2, Scenario.PacketAToB(5)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal([0, 1, 5], received);
            Assert.Equal(3, a.Traffic(P1, P2).SequenceExhausted);
        });

    /// <summary>A tunnel up between A and B, A's outbound sequence counter moved to <paramref name="next"/>; A's outbound SPI.</summary>
    private static (SharpSwan.Simulation.SimulatedGateway A, SharpSwan.Simulation.SimulatedGateway B, uint? OutboundSpi) EstablishedWithSequenceAt(SharpSwan.Simulation.Simulation simulation, uint next)
    {
        var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
        simulation.Start();
        Assert.True(a.Initiate(P1, P2));
        simulation.RunUntilEstablished(a, b);
        var spi = a.ActiveOutboundSpi(P1, P2);
        Assert.True(a.FastForwardOutboundSequence(P1, P2, next));
        return (a, b, spi);
    }
}
