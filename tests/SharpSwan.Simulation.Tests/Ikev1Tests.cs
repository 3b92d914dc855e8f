using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// IKEv1 (main mode with pre-shared keys, quick mode with PFS) between two SharpSwan gateways: the same engine, the same
/// packet core and the same phase-2 lifecycle as IKEv2.
/// </summary>
public sealed class Ikev1Tests
{
    private static readonly TunnelConfig SiteA = TunnelConfig.SiteA.Ikev1();
    private static readonly TunnelConfig SiteB = TunnelConfig.SiteB.Ikev1();

    [Fact]
    public void Main_mode_and_quick_mode_with_pfs_establish_one_isakmp_sa_and_one_child_that_carries_traffic_both_ways() =>
        Ikev1Rig.Run(seed: 1301, SiteA with { AutoNegotiate = true }, SiteB, rig =>
        {
            var (a, b) = rig;
            rig.Establish();

            var ikeA = Assert.Single(a.IkeSas);
            var ikeB = Assert.Single(b.IkeSas);
            Assert.Equal(IkeSaState.Established, ikeA.State);
            Assert.Equal(IkeSaState.Established, ikeB.State);
            Assert.True(ikeA.IsOriginalInitiator);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeB.InitiatorSpi, ikeB.ResponderSpi));
            Assert.Equal(EncryptionAlgorithm.AesCbc, ikeA.Suite!.Encryption);
            Assert.Equal(DiffieHellmanGroup.Modp2048, ikeB.Suite!.Group);

            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal(childA.InboundSpi, childB.OutboundSpi);
            Assert.Equal(childA.OutboundSpi, childB.InboundSpi);
            Assert.Equal(DiffieHellmanGroup.Modp2048, childA.Suite.Group);
            Assert.Equal(childA.LocalSelector, childB.RemoteSelector);
            rig.AssertMoreTrafficBothWays(5);
        });

    [Fact]
    public void Roles_reversed_b_initiates_on_demand_from_traffic_and_a_answers() =>
        Ikev1Rig.Run(seed: 1302, SiteA, SiteB, rig =>
        {
            var (a, b) = rig;
            b.SendTraffic(Scenario.PacketBToA(0));
            rig.Establish();

            Assert.True(Assert.Single(b.IkeSas).IsOriginalInitiator);
            Assert.False(Assert.Single(a.IkeSas).IsOriginalInitiator);
            rig.AssertMoreTrafficBothWays(3);
        });

    [Fact]
    public void Wrong_psk_fails_main_mode_with_an_authentication_event_and_no_child() =>
        Ikev1Rig.Run(seed: 1303, SiteA with { AutoNegotiate = true }, SiteB with { Psk = "another-secret" }, rig =>
        {
            var (a, b) = rig;
            rig.RunFor(20);

            Assert.NotEmpty(b.Events<AuthenticationFailed>());
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
        });

    [Fact]
    public void Rekey_by_a_new_quick_mode_before_the_soft_point_loses_no_packet_and_deletes_the_old_sa() =>
        Ikev1Rig.Run(seed: 1304, SiteA with { AutoNegotiate = true, Phase2KeyLifeSeconds = 300 }, SiteB with { Phase2KeyLifeSeconds = 300 }, rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            var first = a.InstalledSas[0].InboundSpi;
            int sent = 0;
            var traffic = rig.Simulation.Every(TimeSpan.FromSeconds(1), () =>
            {
                a.SendTraffic(Scenario.PacketAToB(sent));
                b.SendTraffic(Scenario.PacketBToA(sent));
                sent++;
            });
            rig.RunFor(700);
            traffic.Dispose();
            rig.RunFor(2);

            var aToB = b.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2);
            var bToA = a.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2);
            Assert.True(sent > 600);
            Assert.Equal((sent, sent), (aToB.Delivered, bToA.Delivered));
            Assert.True(a.Events<ChildSaInstalled>().Count(e => e.RekeyOf is not null) + b.Events<ChildSaInstalled>().Count(e => e.RekeyOf is not null) >= 2);
            Assert.Contains(a.Events<ChildSaDeleted>().Concat(b.Events<ChildSaDeleted>()), e => e.InboundSpi == first || e.OutboundSpi == first);
            Assert.Single(a.InstalledSas, s => s.IsActiveOutbound);
            Assert.Single(a.IkeSas);
        });

    /// <summary>
    /// A rekeys; its quick mode's 3rd message to B is held back 300 ms. B installs the new SA only when that message comes,
    /// so A goes on sending on the old SA (nothing reaches B on an SPI it does not know yet) until B sends on the new one,
    /// and deletes the old SA only after that.
    /// </summary>
    [Fact]
    public void A_rekey_waits_for_the_peer_to_use_the_new_sa_and_loses_nothing_when_quick_mode_message_3_is_late() =>
        Ikev1Rig.Run(seed: 1373, SiteA with { AutoNegotiate = true }, SiteB, rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            rig.AssertTrafficBothWays(2);
            var first = a.InstalledSas[0].InboundSpi;
            var quickModesFromA = 0;
            rig.Simulation.Network.Interfere = d =>
                d.Source.Address.Equals(Scenario.AddressA) && !d.IsRawEsp && IsakmpHeader.TryRead(d.Payload, out var header) &&
                header.Exchange == IsakmpExchangeType.QuickMode && ++quickModesFromA == 2
                    ? DatagramFate.Delay(TimeSpan.FromMilliseconds(300))
                    : DatagramFate.Pass;

            Assert.True(a.RekeyChild(TunnelConfig.Phase1, TunnelConfig.Phase2));
            Assert.True(rig.Simulation.RunUntil(() => a.InstalledSas.Count == 2, TimeSpan.FromSeconds(5)));
            var successor = a.InstalledSas.Single(s => s.InboundSpi != first);
            Assert.False(successor.IsActiveOutbound);
            var before = rig.Delivered;
            for (var i = 0; i < 3; i++)
            {
                a.SendTraffic(Scenario.PacketAToB(100 + i));
            }

            rig.Simulation.RunFor(TimeSpan.FromMilliseconds(100));
            Assert.Equal(2, quickModesFromA);
            Assert.Single(b.Events<ChildSaInstalled>());
            Assert.Equal(before.AtB + 3, rig.Delivered.AtB);

            // The 3rd message arrives: B commits the SA and sends on it; its first packet moves A's outbound over, well
            // within the commit grace, and A deletes the old SA only then.
            rig.Simulation.RunFor(TimeSpan.FromMilliseconds(400));
            Assert.Equal(2, b.Events<ChildSaInstalled>().Count());
            Assert.Equal(successor.InboundSpi, Assert.Single(b.InstalledSas, s => s.IsActiveOutbound).OutboundSpi);
            b.SendTraffic(Scenario.PacketBToA(200));
            rig.Simulation.RunFor(TimeSpan.FromMilliseconds(50));
            Assert.Equal(successor.InboundSpi, Assert.Single(a.InstalledSas, s => s.IsActiveOutbound).InboundSpi);
            Assert.DoesNotContain(a.Events<ChildSaDeleted>(), e => e.InboundSpi == first);

            rig.RunFor(3);
            Assert.Contains(a.Events<ChildSaDeleted>(), e => e.InboundSpi == first);
            Assert.Equal(successor.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
            rig.AssertMoreTrafficBothWays(3);
            Assert.Equal(0, a.UnknownSpiPackets + b.UnknownSpiPackets);
        });

    /// <summary>
    /// A rekeys and no traffic comes back on the new SA: after the commit grace A deletes the old SA and sends on the new
    /// one, which B has had since the 3rd message.
    /// </summary>
    [Fact]
    public void A_rekey_whose_new_sa_the_peer_never_sends_on_moves_outbound_over_after_the_commit_grace() =>
        Ikev1Rig.Run(seed: 1374, SiteA with { AutoNegotiate = true }, SiteB, rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            var first = a.InstalledSas[0].InboundSpi;
            Assert.True(a.RekeyChild(TunnelConfig.Phase1, TunnelConfig.Phase2));
            Assert.True(rig.Simulation.RunUntil(() => a.InstalledSas.Count == 2, TimeSpan.FromSeconds(5)));
            var successor = a.InstalledSas.Single(s => s.InboundSpi != first);
            Assert.False(successor.IsActiveOutbound);

            rig.RunFor(3);
            Assert.Contains(a.Events<ChildSaDeleted>(), e => e.InboundSpi == first);
            Assert.Contains(b.Events<ChildSaDeleted>(), e => e.OutboundSpi == first);
            Assert.Equal(successor.InboundSpi, Assert.Single(a.InstalledSas, s => s.IsActiveOutbound).InboundSpi);
            var before = rig.Delivered;
            a.SendTraffic(Scenario.PacketAToB(300));
            rig.RunFor(1);
            Assert.Equal(before.AtB + 1, rig.Delivered.AtB);
            Assert.Equal(0, a.UnknownSpiPackets + b.UnknownSpiPackets);
        });

    [Fact]
    public void An_idle_sa_is_left_to_expire_on_both_sides() =>
        Ikev1Rig.Run(seed: 1305, SiteA with { Phase2KeyLifeSeconds = 300 }, SiteB with { Phase2KeyLifeSeconds = 300 }, rig =>
        {
            var (a, b) = rig;
            a.SendTraffic(Scenario.PacketAToB(0));
            rig.Establish();
            rig.RunFor(400);

            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.Contains(a.Events<ChildSaSoftExpiry>().Concat(b.Events<ChildSaSoftExpiry>()), e => !e.Rekeying);
            Assert.NotEmpty(a.Events<ChildSaDeleted>());
            Assert.NotEmpty(b.Events<ChildSaDeleted>());
        });

    [Theory]
    [InlineData(1311)]
    [InlineData(1312)]
    [InlineData(1313)]
    public void With_30_percent_loss_main_mode_and_quick_mode_retransmit_answer_repeats_from_the_cache_and_end_in_one_matching_pair(int seed)
    {
        static void LoseThirtyPercent(Ikev1Rig rig) =>
            rig.Simulation.Network.SetLink(Scenario.AddressA, Scenario.AddressB, LinkConditions.Default with { LossPercent = 30 });

        Ikev1Rig.Run(seed, SiteA with { AutoNegotiate = true }, SiteB, LoseThirtyPercent, rig =>
        {
            var (a, b) = rig;
            rig.Establish(TimeSpan.FromMinutes(5));
            rig.Simulation.Network.SetLink(Scenario.AddressA, Scenario.AddressB, LinkConditions.Default);
            rig.RunFor(200);

            Assert.True(rig.Simulation.Network.LostCount > 0);
            Assert.True(a.Events<RequestRetransmitted>().Any() || b.Events<RequestRetransmitted>().Any(), "the loss never forced a retransmission");
            var ikeA = Assert.Single(a.IkeSas);
            var ikeB = Assert.Single(b.IkeSas);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeB.InitiatorSpi, ikeB.ResponderSpi));
            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal(childA.InboundSpi, childB.OutboundSpi);
            Assert.Equal(childA.OutboundSpi, childB.InboundSpi);
            rig.AssertMoreTrafficBothWays(2);
        });
    }

    [Fact]
    public void A_repeated_main_mode_message_is_answered_from_the_cache_not_processed_again()
    {
        // B's third datagram (main mode message 6) is lost: A repeats message 5, and B answers the repeat from its cache.
        int fromB = 0;
        void DropTheThirdFromB(Ikev1Rig rig) =>
            rig.Simulation.Network.Interfere = d => d.Source.Address.Equals(Scenario.AddressB) && ++fromB == 3 ? DatagramFate.Drop : DatagramFate.Pass;

        Ikev1Rig.Run(seed: 1314, SiteA with { AutoNegotiate = true }, SiteB, DropTheThirdFromB, rig =>
        {
            var (a, b) = rig;
            rig.Establish();

            Assert.NotEmpty(a.Events<RequestRetransmitted>());
            Assert.Contains(b.Events<ResponseRetransmitted>(), e => !e.SaInit);
            Assert.Single(b.Events<IkeSaEstablished>());
            Assert.Single(a.Events<IkeSaEstablished>());
            Assert.Single(b.IkeSas);
            Assert.Single(b.InstalledSas);
        });
    }
}
