using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

public sealed class ChildRekeyTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Theory]
    [InlineData("A", 2001)]
    [InlineData("B", 2002)]
    public void Child_rekey_leaves_one_new_SA_per_side_removes_the_old_one_on_both_and_loses_no_packet(string rekeyingSide, int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { AutoNegotiate = true }, TunnelConfig.SiteB);
            simulation.Start();
            simulation.RunUntilEstablished(a, b);
            var ikeBefore = a.IkeSas.Single();
            var oldA = a.InstalledSas.Single();
            var oldB = b.InstalledSas.Single();
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(100));
            simulation.RunFor(TimeSpan.FromSeconds(2));

            var rekeying = rekeyingSide == "A" ? a : b;
            Assert.True(rekeying.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(5));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var newA = Assert.Single(a.InstalledSas);
            var newB = Assert.Single(b.InstalledSas);
            Assert.Single(a.ChildSas);
            Assert.Single(b.ChildSas);
            Assert.NotEqual(oldA.InboundSpi, newA.InboundSpi);
            Assert.NotEqual(oldA.OutboundSpi, newA.OutboundSpi);
            Assert.Equal(newA.InboundSpi, newB.OutboundSpi);
            Assert.Equal(newA.OutboundSpi, newB.InboundSpi);
            Assert.True(newA.IsActiveOutbound && newB.IsActiveOutbound);
            Assert.Contains(a.Timeline, e => e.Kind == SimulationEventKind.ChildRemoved && e.Detail.Contains($"in={oldA.InboundSpi:x8}", StringComparison.Ordinal));
            Assert.Contains(b.Timeline, e => e.Kind == SimulationEventKind.ChildRemoved && e.Detail.Contains($"in={oldB.InboundSpi:x8}", StringComparison.Ordinal));

            // The rekey happened under the same IKE SA, and the new SAs carried traffic.
            Assert.Equal(ikeBefore.InitiatorSpi, a.IkeSas.Single().InitiatorSpi);
            Assert.True(newA.PacketsIn > 0 && newB.PacketsIn > 0);
            traffic.AssertNothingLost();
            AssertCleanTraffic(a, b);
        });

    [Fact]
    public void Simultaneous_child_rekey_from_both_sides_converges_on_one_SA_pair_without_losing_packets()
    {
        Scenario.Run(seed: 2003, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { AutoNegotiate = true }, TunnelConfig.SiteB);
            simulation.Start();
            simulation.RunUntilEstablished(a, b);
            var old = a.InstalledSas.Single();

            // Dense traffic, so that any moment the data plane sends on an SA the peer has already dropped shows up as loss.
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(2));
            simulation.RunFor(TimeSpan.FromSeconds(1));

            // Both requests cross on the wire: RFC 7296 §2.8.1 keeps the SA pair whose exchange had the larger nonces.
            Assert.True(a.RekeyChild(P1, P2));
            Assert.True(b.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(2));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var newA = Assert.Single(a.InstalledSas);
            var newB = Assert.Single(b.InstalledSas);
            Assert.NotEqual(old.InboundSpi, newA.InboundSpi);
            Assert.Equal(newA.InboundSpi, newB.OutboundSpi);
            Assert.Equal(newA.OutboundSpi, newB.InboundSpi);
            Assert.True(a.Events<RekeyCollision>().Any() && b.Events<RekeyCollision>().Any());
            traffic.AssertNothingLost();
            AssertCleanTraffic(a, b);
        });
    }

    [Fact]
    public void Repeated_child_rekeys_keep_exactly_one_SA_and_lose_nothing()
    {
        Scenario.Run(seed: 2004, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { AutoNegotiate = true }, TunnelConfig.SiteB);
            simulation.Start();
            simulation.RunUntilEstablished(a, b);
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(100));
            var seen = new HashSet<uint> { a.InstalledSas.Single().InboundSpi };
            for (var round = 0; round < 6; round++)
            {
                Assert.True((round % 2 == 0 ? a : b).RekeyChild(P1, P2));
                simulation.RunFor(TimeSpan.FromSeconds(3));
                Assert.True(seen.Add(Assert.Single(a.InstalledSas).InboundSpi), "a rekey reused an SPI or did not happen");
                Assert.Single(b.InstalledSas);
            }

            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));
            traffic.AssertNothingLost();
            AssertCleanTraffic(a, b);
        });
    }

    internal static void AssertCleanTraffic(SimulatedGateway a, SimulatedGateway b)
    {
        foreach (var gateway in new[] { a, b })
        {
            var counters = gateway.Traffic(P1, P2);
            Assert.True(counters.DroppedWithoutSa == 0 && counters.Errors == 0 && counters.Replayed == 0, $"{gateway.Name}: {counters}");
            Assert.Equal(0, gateway.UnknownSpiPackets);
        }
    }
}
