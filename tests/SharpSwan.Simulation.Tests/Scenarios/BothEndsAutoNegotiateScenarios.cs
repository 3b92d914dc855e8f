using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 item 8 (both ends auto-negotiate: either side can rekey; simultaneous child and IKE rekeys resolved per RFC 7296
/// §2.8.1/§2.8.2 with no loss and no duplicates) and the article's "If auto-negotiation is enabled at both FortiGates,
/// either side can renegotiate the phase 2 security association (SA) to keep the IPsec VPN tunnel active."
/// </summary>
public sealed class BothEndsAutoNegotiateScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    private static readonly TunnelConfig BothA = TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true };
    private static readonly TunnelConfig BothB = TunnelConfig.SiteB.Cheap() with { AutoNegotiate = true };

    /// <summary>Both start at the same instant: the IKE_SA_INIT tie-break leaves one IKE SA and one child SA.</summary>
    [Theory]
    [InlineData(38001)]
    [InlineData(38002)]
    [InlineData(38003)]
    public void Both_ends_starting_at_once_end_with_one_IKE_SA_and_one_child_SA(int seed)
    {
        CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(BothA, BothB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(1));

            var ikeA = Assert.Single(a.IkeSas);
            Assert.Equal(ikeA.InitiatorSpi, Assert.Single(b.IkeSas).InitiatorSpi);
            var childA = Assert.Single(a.InstalledSas);
            Assert.Equal(childA.InboundSpi, Assert.Single(b.InstalledSas).OutboundSpi);
        });
    }

    /// <summary>Article: "either side can renegotiate". Whichever end's lifetime is shorter keeps the tunnel rekeyed.</summary>
    [Theory]
    [InlineData("A", 38011)]
    [InlineData("B", 38012)]
    public void Either_side_rekeys_whichever_has_the_shorter_lifetime(string shorter, int seed)
    {
        CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                BothA with { Phase2KeyLifeSeconds = shorter == "A" ? 600 : 3600, Dpd = "disable" },
                BothB with { Phase2KeyLifeSeconds = shorter == "B" ? 600 : 3600, Dpd = "disable" });
            simulation.Start();
            simulation.RunFor(TimeSpan.FromHours(6));

            var rekeyer = shorter == "A" ? a : b;
            var other = shorter == "A" ? b : a;
            Assert.InRange(rekeyer.ChildRekeysInitiated().Count(), 6 * 3600 / 600, 6 * 3600 / 420);
            Assert.Empty(other.ChildRekeysInitiated());
            Assert.False(simulation.AnyExpiry());
        });
    }

    /// <summary>
    /// Article: "either side can renegotiate ... to keep the IPsec VPN tunnel active": whichever side takes the tunnel down,
    /// both try to bring it back, and the collision of their attempts still leaves exactly one SA pair.
    /// </summary>
    [Theory]
    [InlineData("A", 38021)]
    [InlineData("B", 38022)]
    public void When_either_side_brings_the_tunnel_down_it_is_renegotiated_at_once_into_one_IKE_SA(string downSide, int seed)
    {
        CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(BothA, BothB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(1));
            var before = a.IkeSas.Single();

            Assert.True((downSide == "A" ? a : b).Terminate(P1, null));
            simulation.RunFor(TimeSpan.FromSeconds(10));

            var after = Assert.Single(a.IkeSas);
            Assert.NotEqual(before.InitiatorSpi, after.InitiatorSpi);
            Assert.Equal(after.InitiatorSpi, Assert.Single(b.IkeSas).InitiatorSpi);
            Assert.Single(a.InstalledSas);
            Assert.Single(b.InstalledSas);
        });
    }

    /// <summary>RFC 7296 §2.8.1: simultaneous child rekeys, repeated with different timing, under traffic both ways.</summary>
    [Theory]
    [InlineData(0, 38031)]
    [InlineData(3, 38032)]
    [InlineData(7, 38033)]
    [InlineData(12, 38034)]
    public void Simultaneous_child_rekeys_leave_one_SA_per_selector_and_lose_nothing(int offsetMs, int seed)
    {
        var report = CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(BothA, BothB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(5));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(2));
            for (var round = 0; round < 5; round++)
            {
                simulation.RunFor(TimeSpan.FromSeconds(3));
                Assert.True(a.RekeyChild(P1, P2));
                simulation.After(TimeSpan.FromMilliseconds(offsetMs), () => b.RekeyChild(P1, P2));
            }

            simulation.RunFor(TimeSpan.FromSeconds(3));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal((childA.InboundSpi, childA.OutboundSpi), (childB.OutboundSpi, childB.InboundSpi));
            Assert.True(childA.IsActiveOutbound && childB.IsActiveOutbound);
            Assert.Single(a.ChildSas);
            Assert.Single(b.ChildSas);
            traffic.AssertNothingLost();
            ChildRekeyTests.AssertCleanTraffic(a, b);
        });
        Assert.True(report.Rekeys >= 10, report.ToString());
        Assert.Equal(0, report.PacketsLostDuringRekeys);
    }

    /// <summary>RFC 7296 §2.8.2: simultaneous IKE SA rekeys leave one IKE SA; the child SAs move over untouched.</summary>
    [Theory]
    [InlineData(0, 38041)]
    [InlineData(5, 38042)]
    public void Simultaneous_IKE_rekeys_leave_one_IKE_SA_and_the_child_SAs_untouched(int offsetMs, int seed)
    {
        CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(BothA, BothB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(5));
            var child = a.InstalledSas.Single();
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(5));
            var before = a.IkeSas.Single();
            Assert.True(a.RekeyIke(P1));
            simulation.After(TimeSpan.FromMilliseconds(offsetMs), () => b.RekeyIke(P1));
            simulation.RunFor(TimeSpan.FromSeconds(40));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var ikeA = Assert.Single(a.IkeSas);
            var ikeB = Assert.Single(b.IkeSas);
            Assert.NotEqual(before.InitiatorSpi, ikeA.InitiatorSpi);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeB.InitiatorSpi, ikeB.ResponderSpi));
            Assert.True(a.Events<RekeyCollision>().Any(e => e.IkeSa) && b.Events<RekeyCollision>().Any(e => e.IkeSa));
            var now = Assert.Single(a.InstalledSas);
            Assert.Equal((child.InboundSpi, child.OutboundSpi), (now.InboundSpi, now.OutboundSpi));
            Assert.Equal(1, ikeA.ChildCount);
            Assert.Equal(1, ikeB.ChildCount);
            traffic.AssertNothingLost();

            // The surviving IKE SA works: a child rekey over it completes.
            Assert.True(b.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(2));
            Assert.NotEqual(child.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
        });
    }
}
