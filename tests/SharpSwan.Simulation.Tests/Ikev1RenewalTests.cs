using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// IKEv1 phase 1 over time and in races: the ISAKMP SA renewed at its keylife with the IPsec SAs carried over (no loss),
/// both ends starting main mode at once, renewals crossing, repeated main-mode answers, and quick-mode rekeys colliding.
/// </summary>
public sealed class Ikev1RenewalTests
{
    private static readonly TunnelConfig SiteA = TunnelConfig.SiteA.Ikev1();
    private static readonly TunnelConfig SiteB = TunnelConfig.SiteB.Ikev1();

    [Fact]
    public void Two_phase1_renewals_at_keylife_carry_the_ipsec_sa_over_and_lose_no_packet() =>
        Ikev1Rig.Run(seed: 1321, 
                SiteA with { AutoNegotiate = true, Phase1KeyLife = 120, Phase2KeyLifeSeconds = 900 },
                SiteB with { Phase1KeyLife = 120, Phase2KeyLifeSeconds = 900 }, rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            var firstIke = Assert.Single(a.IkeSas);
            var childA = Assert.Single(a.InstalledSas);
            using var traffic = new TwoWayTraffic(rig.Simulation, a, b, TimeSpan.FromMilliseconds(500));
            rig.RunFor(250);
            traffic.Stop();
            rig.RunFor(2);

            traffic.AssertNothingLost();
            Assert.True(a.Events<IkeSaRekeyed>().Count() >= 2, $"A renewed its ISAKMP SA {a.Events<IkeSaRekeyed>().Count()} time(s)");
            Assert.True(b.Events<IkeSaRekeyed>().Count() >= 2, $"B saw {b.Events<IkeSaRekeyed>().Count()} renewal(s)");
            var ikeA = Assert.Single(a.IkeSas);
            var ikeB = Assert.Single(b.IkeSas);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeB.InitiatorSpi, ikeB.ResponderSpi));
            Assert.NotEqual(firstIke.InitiatorSpi, ikeA.InitiatorSpi);
            Assert.Equal(IkeSaState.Established, ikeA.State);

            // The IPsec SA is the one quick mode made at the start: carried over twice, never deleted nor renegotiated.
            var now = Assert.Single(a.InstalledSas);
            Assert.Equal((childA.InboundSpi, childA.OutboundSpi), (now.InboundSpi, now.OutboundSpi));
            Assert.Empty(a.Events<ChildSaDeleted>());
            Assert.Empty(b.Events<ChildSaDeleted>());
            Assert.Single(a.Events<ChildSaInstalled>());
            Assert.Equal(1, ikeA.ChildCount);
            Assert.Equal(1, ikeB.ChildCount);

            // The renewed SA carries the next quick mode.
            Assert.True(a.RekeyChild(TunnelConfig.Phase1, TunnelConfig.Phase2));
            rig.RunFor(3);
            Assert.NotEqual(childA.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
            Assert.Single(b.InstalledSas);
        });

    [Fact]
    public void Both_ends_auto_negotiate_at_once_and_resolve_to_one_isakmp_sa_and_one_ipsec_sa_without_flapping() =>
        Ikev1Rig.Run(seed: 1322, SiteA with { AutoNegotiate = true }, SiteB with { AutoNegotiate = true }, rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            rig.RunFor(90);

            var ikeA = Assert.Single(a.IkeSas);
            var ikeB = Assert.Single(b.IkeSas);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeB.InitiatorSpi, ikeB.ResponderSpi));
            Assert.Single(a.Events<IkeSaEstablished>());
            Assert.Single(b.Events<IkeSaEstablished>());
            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal(childA.InboundSpi, childB.OutboundSpi);
            Assert.Equal(childA.OutboundSpi, childB.InboundSpi);
            Assert.Empty(a.Events<IkeSaDeleted>());
            Assert.Empty(b.Events<IkeSaDeleted>());
            rig.AssertMoreTrafficBothWays(3);
        });

    [Fact]
    public void Renewals_started_by_both_ends_at_once_end_in_one_new_isakmp_sa_with_the_ipsec_sa_carried_over() =>
        Ikev1Rig.Run(seed: 1323, SiteA with { AutoNegotiate = true }, SiteB, rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            var first = Assert.Single(a.IkeSas);
            var child = Assert.Single(a.InstalledSas);
            using var traffic = new TwoWayTraffic(rig.Simulation, a, b, TimeSpan.FromMilliseconds(200));
            rig.RunFor(2);

            Assert.True(a.RekeyIke(TunnelConfig.Phase1));
            Assert.True(b.RekeyIke(TunnelConfig.Phase1));
            rig.RunFor(60);
            traffic.Stop();
            rig.RunFor(1);

            traffic.AssertNothingLost();
            var ikeA = Assert.Single(a.IkeSas);
            var ikeB = Assert.Single(b.IkeSas);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeB.InitiatorSpi, ikeB.ResponderSpi));
            Assert.NotEqual(first.InitiatorSpi, ikeA.InitiatorSpi);
            Assert.Equal(child.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
            Assert.Single(b.InstalledSas);
            Assert.Single(a.Events<IkeSaRekeyed>());
            Assert.Single(b.Events<IkeSaRekeyed>());
            rig.AssertMoreTrafficBothWays(3);
        });

    [Fact]
    public void The_initiator_ignores_repeated_main_mode_answers_2_and_4_and_establishes_once()
    {
        // B's messages 2 and 4 each arrive a second time: message 2 again while A waits for 4, message 4 again while A
        // waits for 6 (as a responder's own retransmission would).
        int fromB = 0;
        void RepeatTheFirstTwoFromB(Ikev1Rig rig) => rig.Simulation.Network.Interfere = d =>
        {
            if (d.Source.Address.Equals(Scenario.AddressB) && ++fromB <= 2)
            {
                rig.Simulation.Network.Inject(d.Source, d.Destination, d.Payload, TimeSpan.FromMilliseconds(1));
            }

            return DatagramFate.Pass;
        };

        Ikev1Rig.Run(seed: 1324, SiteA with { AutoNegotiate = true }, SiteB, RepeatTheFirstTwoFromB, rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            rig.RunFor(30);

            Assert.NotEmpty(a.Events<ResponseIgnored>());
            Assert.NotEmpty(a.Events<UnprotectedMessageDropped>());
            Assert.Empty(a.Events<NegotiationFailed>());
            Assert.Single(a.Events<IkeSaEstablished>());
            Assert.Single(b.Events<IkeSaEstablished>());
            Assert.Single(a.IkeSas);
            Assert.Single(a.InstalledSas);
            rig.AssertMoreTrafficBothWays(3);
        });
    }

    [Theory]
    [InlineData(1325)]
    [InlineData(1326)]
    public void Quick_mode_rekeys_started_by_both_ends_at_once_keep_one_sa_chosen_by_the_lowest_nonce(int seed) =>
        Ikev1Rig.Run(seed, SiteA with { AutoNegotiate = true }, SiteB, rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            var original = Assert.Single(a.InstalledSas);
            using var traffic = new TwoWayTraffic(rig.Simulation, a, b, TimeSpan.FromMilliseconds(200));
            rig.RunFor(2);

            Assert.True(a.RekeyChild(TunnelConfig.Phase1, TunnelConfig.Phase2));
            Assert.True(b.RekeyChild(TunnelConfig.Phase1, TunnelConfig.Phase2));
            rig.RunFor(30);
            traffic.Stop();
            rig.RunFor(1);

            traffic.AssertNothingLost();
            Assert.NotEmpty(a.Events<RekeyCollision>());
            Assert.NotEmpty(b.Events<RekeyCollision>());
            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.NotEqual(original.InboundSpi, childA.InboundSpi);
            Assert.Equal(childA.InboundSpi, childB.OutboundSpi);
            Assert.Equal(childA.OutboundSpi, childB.InboundSpi);

            // Both quick modes completed as rekeys of the original on both ends; both ends computed the same verdict from the
            // nonces, so the redundant one was deleted by its creator and no duplicate is left on either side.
            Assert.Equal(2, a.Events<ChildSaInstalled>().Count(e => e.RekeyOf == original.InboundSpi));
            Assert.Equal(2, b.Events<ChildSaInstalled>().Count(e => e.RekeyOf == original.OutboundSpi));
            Assert.Contains(a.Events<ChildSaDeleted>().Concat(b.Events<ChildSaDeleted>()), e => e.Reason.Contains("collision", StringComparison.Ordinal));
            rig.AssertMoreTrafficBothWays(3);
        });
}
