using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

public sealed class DeleteTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Theory]
    [InlineData("A", 4001)]
    [InlineData("B", 4002)]
    public void Terminating_a_phase2_removes_its_child_SA_on_both_sides_and_keeps_the_IKE_SA(string side, int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            var ike = a.IkeSas.Single();

            Assert.True((side == "A" ? a : b).Terminate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(2));

            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.Empty(a.ChildSas);
            Assert.Empty(b.ChildSas);
            Assert.Equal(ike.InitiatorSpi, Assert.Single(a.IkeSas).InitiatorSpi);
            Assert.Equal(ike.InitiatorSpi, Assert.Single(b.IkeSas).InitiatorSpi);

            // Without an SA, traffic is dropped and asks for a new one.
            Assert.False(a.SendTraffic(Scenario.PacketAToB(0)));
            simulation.RunFor(TimeSpan.FromSeconds(2));
            Assert.Single(a.InstalledSas);
            Assert.Single(b.InstalledSas);
        });

    [Theory]
    [InlineData("A", 4003)]
    [InlineData("B", 4004)]
    public void Terminating_a_phase1_removes_the_IKE_SA_and_its_children_on_both_sides(string side, int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            Assert.True((side == "A" ? a : b).Terminate(P1, null));
            simulation.RunFor(TimeSpan.FromSeconds(2));

            Assert.Empty(a.IkeSas);
            Assert.Empty(b.IkeSas);
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.Single(a.Timeline, e => e.Kind == SimulationEventKind.IkeDown);
            Assert.Single(b.Timeline, e => e.Kind == SimulationEventKind.IkeDown);
        });

    [Fact]
    public void An_auto_negotiate_tunnel_comes_back_after_the_peer_deletes_its_IKE_SA()
    {
        Scenario.Run(seed: 4005, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { AutoNegotiate = true }, TunnelConfig.SiteB);
            simulation.Start();
            simulation.RunUntilEstablished(a, b);
            var first = a.IkeSas.Single();

            Assert.True(b.Terminate(P1, null));
            simulation.RunFor(TimeSpan.FromSeconds(10));

            var second = Assert.Single(a.IkeSas);
            Assert.NotEqual(first.InitiatorSpi, second.InitiatorSpi);
            Assert.Single(a.InstalledSas);
            Assert.Single(b.InstalledSas);
        });
    }
}
