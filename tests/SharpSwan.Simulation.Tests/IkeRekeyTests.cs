using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

public sealed class IkeRekeyTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Theory]
    [InlineData("A", 3001)]
    [InlineData("B", 3002)]
    public void IKE_rekey_keeps_the_children_and_their_SPIs_replaces_the_IKE_SPIs_and_removes_the_old_IKE_SA_on_both_sides(string rekeyingSide, int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { AutoNegotiate = true }, TunnelConfig.SiteB);
            simulation.Start();
            simulation.RunUntilEstablished(a, b);
            var oldIke = a.IkeSas.Single();
            var childA = a.InstalledSas.Single();
            var childB = b.InstalledSas.Single();
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(100));
            simulation.RunFor(TimeSpan.FromSeconds(2));

            Assert.True((rekeyingSide == "A" ? a : b).RekeyIke(P1));
            simulation.RunFor(TimeSpan.FromSeconds(5));

            var newA = Assert.Single(a.IkeSas);
            var newB = Assert.Single(b.IkeSas);
            Assert.Equal((newA.InitiatorSpi, newA.ResponderSpi), (newB.InitiatorSpi, newB.ResponderSpi));
            Assert.NotEqual(oldIke.InitiatorSpi, newA.InitiatorSpi);
            Assert.NotEqual(oldIke.ResponderSpi, newA.ResponderSpi);
            Assert.Equal(1, newA.ChildCount);
            Assert.Equal(1, newB.ChildCount);

            // The side that started the rekey is the original initiator of the new IKE SA (RFC 7296 §2.18).
            Assert.Equal(rekeyingSide == "A", newA.IsOriginalInitiator);
            Assert.Equal(rekeyingSide == "B", newB.IsOriginalInitiator);

            var oldSpis = $"{oldIke.InitiatorSpi:x16}/{oldIke.ResponderSpi:x16}";
            Assert.Contains(a.Timeline, e => e.Kind == SimulationEventKind.IkeDown && e.Detail.Contains(oldSpis, StringComparison.Ordinal));
            Assert.Contains(b.Timeline, e => e.Kind == SimulationEventKind.IkeDown && e.Detail.Contains(oldSpis, StringComparison.Ordinal));

            // Children moved untouched: same SPIs, nothing removed or reinstalled.
            Assert.Equal((childA.InboundSpi, childA.OutboundSpi), (a.InstalledSas.Single().InboundSpi, a.InstalledSas.Single().OutboundSpi));
            Assert.Equal((childB.InboundSpi, childB.OutboundSpi), (b.InstalledSas.Single().InboundSpi, b.InstalledSas.Single().OutboundSpi));
            Assert.DoesNotContain(simulation.Timeline, e => e.Kind is SimulationEventKind.ChildRemoved);

            // The new IKE SA works: a child rekey over it succeeds.
            Assert.True(a.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(3));
            Assert.NotEqual(childA.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
            Assert.Single(b.InstalledSas);

            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));
            traffic.AssertNothingLost();
            ChildRekeyTests.AssertCleanTraffic(a, b);
        });
}
