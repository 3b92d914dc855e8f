using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>IKEv1 aggressive mode with pre-shared keys and FQDN identities (`set mode aggressive`, `localid`, `peerid`).</summary>
public sealed class Ikev1AggressiveModeTests
{
    private static readonly TunnelConfig SiteA = TunnelConfig.SiteA.Ikev1() with { Mode = "aggressive", LocalId = "hq.example.com", PeerId = "branch.example.com" };
    private static readonly TunnelConfig SiteB = TunnelConfig.SiteB.Ikev1() with { Mode = "aggressive", LocalId = "branch.example.com", PeerId = "hq.example.com" };

    [Theory]
    [InlineData(true, 1331)]
    [InlineData(false, 1332)]
    public void Aggressive_mode_establishes_with_fqdn_ids_in_either_role_and_quick_mode_carries_traffic(bool aInitiates, int seed) =>
        Ikev1Rig.Run(seed, SiteA with { AutoNegotiate = aInitiates }, SiteB with { AutoNegotiate = !aInitiates }, rig =>
        {
            var (a, b) = rig;
            rig.Establish();

            var ikeA = Assert.Single(a.IkeSas);
            var ikeB = Assert.Single(b.IkeSas);
            Assert.Equal(aInitiates, ikeA.IsOriginalInitiator);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeB.InitiatorSpi, ikeB.ResponderSpi));
            Assert.Equal("branch.example.com", Assert.Single(a.Events<IkeSaEstablished>()).PeerIdentity);
            Assert.Equal("hq.example.com", Assert.Single(b.Events<IkeSaEstablished>()).PeerIdentity);
            var childA = Assert.Single(a.InstalledSas);
            Assert.Equal(childA.InboundSpi, Assert.Single(b.InstalledSas).OutboundSpi);
            rig.AssertTrafficBothWays(3);
        });

    [Fact]
    public void A_peer_id_other_than_peerid_is_refused_by_the_responder_before_it_answers() =>
        Ikev1Rig.Run(seed: 1333, SiteA with { AutoNegotiate = true, LocalId = "intruder.example.com" }, SiteB, rig =>
        {
            var (a, b) = rig;
            rig.RunFor(20);

            Assert.Contains(b.Events<AuthenticationFailed>(), e => e.PeerIdentity == "intruder.example.com");
            Assert.Empty(a.Events<IkeSaEstablished>());
            Assert.Empty(b.Events<IkeSaEstablished>());
            Assert.Empty(a.InstalledSas);
        });

    [Fact]
    public void Wrong_psk_fails_at_hash_r_on_the_initiator_and_nothing_is_installed() =>
        Ikev1Rig.Run(seed: 1334, SiteA with { AutoNegotiate = true }, SiteB with { Psk = "another-secret" }, rig =>
        {
            var (a, b) = rig;
            rig.RunFor(20);

            Assert.NotEmpty(a.Events<AuthenticationFailed>());
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.Empty(a.Events<IkeSaEstablished>());
        });

    [Fact]
    public void Main_mode_against_an_aggressive_phase1_is_refused() =>
        Ikev1Rig.Run(seed: 1335, TunnelConfig.SiteA.Ikev1() with { AutoNegotiate = true }, SiteB, rig =>
        {
            var (a, b) = rig;
            rig.RunFor(10);

            Assert.NotEmpty(b.Events<PeerRefused>());
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.IkeSas);
        });

    [Fact]
    public void Aggressive_mode_phase1_renews_at_keylife_with_the_ipsec_sa_carried_over() =>
        Ikev1Rig.Run(seed: 1336, SiteA with { AutoNegotiate = true, Phase1KeyLife = 120, Phase2KeyLifeSeconds = 900 }, SiteB with { Phase1KeyLife = 120, Phase2KeyLifeSeconds = 900 }, rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            var child = Assert.Single(a.InstalledSas);
            using var traffic = new TwoWayTraffic(rig.Simulation, a, b, TimeSpan.FromMilliseconds(500));
            rig.RunFor(130);
            traffic.Stop();
            rig.RunFor(1);

            traffic.AssertNothingLost();
            Assert.NotEmpty(a.Events<IkeSaRekeyed>());
            Assert.Equal(IkeSaState.Established, Assert.Single(a.IkeSas).State);
            Assert.Single(b.IkeSas);
            Assert.Equal(child.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
        });

    /// <summary>
    /// Message 3 is lost: nothing answers it, so the responder resends message 2, the initiator answers the repeat with
    /// its message 3 from the cache (not a second exchange), and the ISAKMP SA comes up on both ends with one SA each.
    /// </summary>
    [Fact]
    public void A_lost_third_message_is_recovered_by_the_responder_resending_its_second_from_the_cache()
    {
        int thirds = 0;
        void DropTheFirstThirdMessage(Ikev1Rig rig) => rig.Simulation.Network.Interfere = d =>
            d.Source.Address.Equals(Scenario.AddressA) && IsAggressive(d.Payload, encrypted: true) && thirds++ == 0 ? DatagramFate.Drop : DatagramFate.Pass;

        Ikev1Rig.Run(seed: 1336, SiteA with { AutoNegotiate = true }, SiteB, DropTheFirstThirdMessage, rig =>
        {
            var (a, b) = rig;
            rig.Establish();

            // The first message 3 was dropped; the one from the cache got through.
            Assert.True(thirds >= 2, $"message 3 sent {thirds} times");
            Assert.Contains(b.Events<RequestRetransmitted>(), e => e.Exchange == "aggressive mode 2nd message");
            Assert.NotEmpty(a.Events<ResponseRetransmitted>());
            Assert.Single(a.Events<IsakmpNegotiationStarted>());
            Assert.Equal(Assert.Single(a.IkeSas).InitiatorSpi, Assert.Single(b.IkeSas).InitiatorSpi);
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            rig.RunFor(1);
            Assert.Equal(1, b.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered);
        });
    }

    /// <summary>Message 2 is lost: the initiator's repeated message 1 is answered with message 2 from the cache, never processed twice.</summary>
    [Fact]
    public void A_lost_second_message_is_answered_from_the_cache_when_message_one_repeats()
    {
        // Every message 2 is lost until the initiator has repeated its message 1 (the responder resends on its own too).
        int seconds = 0;
        void DropSecondMessagesUntilTheFirstRepeats(Ikev1Rig rig) => rig.Simulation.Network.Interfere = d =>
            d.Source.Address.Equals(Scenario.AddressB) && IsAggressive(d.Payload, encrypted: false) && ++seconds > 0 && !rig.A.Events<RequestRetransmitted>().Any()
                ? DatagramFate.Drop
                : DatagramFate.Pass;

        Ikev1Rig.Run(seed: 1337, SiteA with { AutoNegotiate = true }, SiteB, DropSecondMessagesUntilTheFirstRepeats, rig =>
        {
            var (a, b) = rig;
            rig.Establish();

            Assert.True(seconds >= 2, $"message 2 sent {seconds} times");
            Assert.Contains(a.Events<RequestRetransmitted>(), e => e.Exchange == "aggressive mode 1st message");
            Assert.Contains(b.Events<ResponseRetransmitted>(), e => e.SaInit);
            Assert.Single(b.Events<IsakmpNegotiationStarted>());
            Assert.Single(b.IkeSas);
        });
    }

    private static bool IsAggressive(byte[] datagram, bool encrypted)
    {
        var header = SharpSwan.Ike.V1.Wire.IsakmpCodec.Decode(datagram).Header;
        return header is { Exchange: SharpSwan.Ike.V1.Wire.IsakmpExchangeType.Aggressive } h && h.IsEncrypted == encrypted;
    }
}
