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
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(SiteA with { AutoNegotiate = aInitiates }, SiteB with { AutoNegotiate = !aInitiates });
            simulation.Start();
            simulation.RunUntilEstablished(a, b);

            var ikeA = Assert.Single(a.IkeSas);
            var ikeB = Assert.Single(b.IkeSas);
            Assert.Equal(aInitiates, ikeA.IsOriginalInitiator);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeB.InitiatorSpi, ikeB.ResponderSpi));
            Assert.Equal("branch.example.com", Assert.Single(a.Events<IkeSaEstablished>()).PeerIdentity);
            Assert.Equal("hq.example.com", Assert.Single(b.Events<IkeSaEstablished>()).PeerIdentity);
            var childA = Assert.Single(a.InstalledSas);
            Assert.Equal(childA.InboundSpi, Assert.Single(b.InstalledSas).OutboundSpi);

            for (var i = 0; i < 3; i++)
            {
                Assert.True(a.SendTraffic(Scenario.PacketAToB(i)));
                Assert.True(b.SendTraffic(Scenario.PacketBToA(i)));
            }

            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(3, b.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered);
            Assert.Equal(3, a.Traffic(TunnelConfig.Phase1, TunnelConfig.Phase2).Delivered);
        });

    [Fact]
    public void A_peer_id_other_than_peerid_is_refused_by_the_responder_before_it_answers() =>
        Scenario.Run(seed: 1333, simulation =>
        {
            var (a, b) = simulation.AddPair(SiteA with { AutoNegotiate = true, LocalId = "intruder.example.com" }, SiteB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(20));

            Assert.Contains(b.Events<AuthenticationFailed>(), e => e.PeerIdentity == "intruder.example.com");
            Assert.Empty(a.Events<IkeSaEstablished>());
            Assert.Empty(b.Events<IkeSaEstablished>());
            Assert.Empty(a.InstalledSas);
        });

    [Fact]
    public void Wrong_psk_fails_at_hash_r_on_the_initiator_and_nothing_is_installed() =>
        Scenario.Run(seed: 1334, simulation =>
        {
            var (a, b) = simulation.AddPair(SiteA with { AutoNegotiate = true }, SiteB with { Psk = "another-secret" });
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(20));

            Assert.NotEmpty(a.Events<AuthenticationFailed>());
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.Empty(a.Events<IkeSaEstablished>());
        });

    [Fact]
    public void Main_mode_against_an_aggressive_phase1_is_refused() =>
        Scenario.Run(seed: 1335, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Ikev1() with { AutoNegotiate = true }, SiteB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(10));

            Assert.NotEmpty(b.Events<PeerRefused>());
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.IkeSas);
        });

    [Fact]
    public void Aggressive_mode_phase1_renews_at_keylife_with_the_ipsec_sa_carried_over() =>
        Scenario.Run(seed: 1336, simulation =>
        {
            var (a, b) = simulation.AddPair(SiteA with { AutoNegotiate = true, Phase1KeyLife = 120, Phase2KeyLifeSeconds = 900 }, SiteB with { Phase1KeyLife = 120, Phase2KeyLifeSeconds = 900 });
            simulation.Start();
            simulation.RunUntilEstablished(a, b);
            var child = Assert.Single(a.InstalledSas);
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(500));
            simulation.RunFor(TimeSpan.FromSeconds(130));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            traffic.AssertNothingLost();
            Assert.NotEmpty(a.Events<IkeSaRekeyed>());
            Assert.Equal(IkeSaState.Established, Assert.Single(a.IkeSas).State);
            Assert.Single(b.IkeSas);
            Assert.Equal(child.InboundSpi, Assert.Single(a.InstalledSas).InboundSpi);
        });
}
