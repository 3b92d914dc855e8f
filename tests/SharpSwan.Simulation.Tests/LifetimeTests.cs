using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// Child SA lifetimes depend on the traffic the data plane reports (IIkeEngineHost.GetActivity), read from the ESP SAs'
/// last-use timestamps on the virtual clock. Phase 2 lifetime 300 s: A's soft point lies near 210-225 s, B's near 270 s.
/// </summary>
public sealed class LifetimeTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Fact]
    public void A_busy_child_SA_is_rekeyed_at_its_soft_lifetime_without_losing_traffic()
    {
        Scenario.Run(seed: 10001, simulation =>
        {
            var (a, b) = StartPair(simulation);
            var first = a.InstalledSas.Single();
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromSeconds(1));
            simulation.RunFor(TimeSpan.FromSeconds(290));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.NotEmpty(a.TimedSoftRekeys());
            Assert.Empty(a.SoftLetExpire());
            var current = Assert.Single(a.InstalledSas);
            Assert.NotEqual(first.InboundSpi, current.InboundSpi);
            Assert.Equal(current.InboundSpi, Assert.Single(b.InstalledSas).OutboundSpi);
            traffic.AssertNothingLost();
        });
    }

    [Fact]
    public void An_idle_child_SA_is_left_to_expire_at_its_hard_lifetime()
    {
        Scenario.Run(seed: 10002, simulation =>
        {
            var (a, b) = StartPair(simulation);
            simulation.RunFor(TimeSpan.FromSeconds(290));
            Assert.NotEmpty(a.SoftLetExpire());
            Assert.NotEmpty(b.SoftLetExpire());
            Assert.Single(a.InstalledSas);

            simulation.RunFor(TimeSpan.FromSeconds(20));
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.True(a.TimedHardExpiries().Any() || b.TimedHardExpiries().Any());
            Assert.Empty(a.Events<CreateChildInitiated>());
            Assert.Empty(b.Events<CreateChildInitiated>());
            Assert.Single(a.IkeSas);
        });
    }

    [Fact]
    public void Traffic_after_the_soft_lifetime_of_an_idle_SA_starts_the_rekey_at_once()
    {
        Scenario.Run(seed: 10003, simulation =>
        {
            var (a, b) = StartPair(simulation);
            var first = a.InstalledSas.Single();
            simulation.RunFor(TimeSpan.FromSeconds(240));
            Assert.NotEmpty(a.SoftLetExpire());

            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunFor(TimeSpan.FromSeconds(5));

            Assert.NotEmpty(a.TrafficAfterSoftRekeys());
            var current = Assert.Single(a.InstalledSas);
            Assert.NotEqual(first.InboundSpi, current.InboundSpi);
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);

            // The new SA lives a full lifetime from now, past the old SA's hard expiry.
            simulation.RunFor(TimeSpan.FromSeconds(60));
            Assert.Equal(current.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
        });
    }

    private static (SimulatedGateway A, SimulatedGateway B) StartPair(Simulation simulation)
    {
        var (a, b) = simulation.AddPair(
            TunnelConfig.SiteA with { Phase2KeyLifeSeconds = 300 },
            TunnelConfig.SiteB with { Phase2KeyLifeSeconds = 300 });
        simulation.Start();
        Assert.True(a.Initiate(P1, P2));
        simulation.RunUntilEstablished(a, b);
        return (a, b);
    }
}
