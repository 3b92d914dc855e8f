using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

public sealed class LossyNetworkTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Theory]
    [InlineData(7001)]
    [InlineData(7002)]
    [InlineData(7003)]
    [InlineData(7004)]
    public void With_30_percent_loss_establishment_and_rekeys_still_end_in_one_matching_SA_pair(int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { AutoNegotiate = true }, TunnelConfig.SiteB);
            var lossy = LinkConditions.Default with { LossPercent = 30 };
            simulation.Network.SetLink(Scenario.AddressA, Scenario.AddressB, lossy);
            simulation.Start();
            simulation.RunUntilEstablished(a, b, TimeSpan.FromMinutes(5));

            // Keep the exchanges coming over the lossy link: child rekeys from both ends, then an IKE rekey.
            for (var round = 0; round < 4; round++)
            {
                simulation.RunFor(TimeSpan.FromSeconds(20));
                (round % 2 == 0 ? a : b).RekeyChild(P1, P2);
                simulation.RunFor(TimeSpan.FromSeconds(40));
            }

            a.RekeyIke(P1);
            simulation.RunFor(TimeSpan.FromSeconds(60));

            // Heal and let every half-finished exchange resolve (a full retransmission cycle is 126 s).
            simulation.Network.SetLink(Scenario.AddressA, Scenario.AddressB, LinkConditions.Default);
            simulation.RunFor(TimeSpan.FromSeconds(200));

            Assert.True(simulation.Network.LostCount > 0);
            Assert.True(a.Events<RequestRetransmitted>().Any() || b.Events<RequestRetransmitted>().Any(), "the loss never forced a retransmission");
            Assert.True(a.Events<ResponseRetransmitted>().Any(e => !e.SaInit) || b.Events<ResponseRetransmitted>().Any(e => !e.SaInit), "no lost response was answered from the cache");
            var ikeA = Assert.Single(a.IkeSas);
            var ikeB = Assert.Single(b.IkeSas);
            Assert.Equal((ikeA.InitiatorSpi, ikeA.ResponderSpi), (ikeB.InitiatorSpi, ikeB.ResponderSpi));
            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal(childA.InboundSpi, childB.OutboundSpi);
            Assert.Equal(childA.OutboundSpi, childB.InboundSpi);
            Assert.Equal(a.ChildSas.Single().InboundSpi, childA.InboundSpi);
            Assert.Equal(b.ChildSas.Single().InboundSpi, childB.InboundSpi);

            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            Assert.True(b.SendTraffic(Scenario.PacketBToA(1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.InstalledSas.Single().PacketsIn);
            Assert.Equal(1, a.InstalledSas.Single().PacketsIn);
        });

    [Fact]
    public void A_lost_response_is_answered_from_the_responders_cache_when_the_request_is_retransmitted()
    {
        Scenario.Run(seed: 7010, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            // Drop B's answer to the rekey once: A retransmits the same request, B must not run the rekey twice.
            var dropped = 0;
            simulation.Network.DatagramSent += datagram =>
            {
                if (datagram.Source.Address.Equals(Scenario.AddressB) && datagram.Destination.Port == 500 && dropped == 0)
                {
                    dropped++;
                    simulation.Network.Partition(Scenario.AddressA, Scenario.AddressB);
                    simulation.After(TimeSpan.FromMilliseconds(1), () => simulation.Network.Heal(Scenario.AddressA, Scenario.AddressB));
                }
            };
            Assert.True(a.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(10));

            Assert.Equal(1, dropped);
            Assert.Contains(a.Events<RequestRetransmitted>(), e => e.Exchange == "CREATE_CHILD rekey vpn-p2" && e.Attempt == 1);
            Assert.Single(b.Events<ResponseRetransmitted>(), e => !e.SaInit && e.MessageId == 2);
            Assert.Single(b.Events<PeerChildRekeyAccepted>(), e => e.Phase2 == "vpn-p2");
            Assert.Single(a.InstalledSas);
            Assert.Single(b.InstalledSas);
            Assert.Equal(a.InstalledSas[0].InboundSpi, b.InstalledSas[0].OutboundSpi);
        });
    }

    [Fact]
    public void Requests_duplicated_by_the_network_are_processed_once_and_answered_from_the_cache()
    {
        Scenario.Run(seed: 7011, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            simulation.Network.SetLink(Scenario.AddressA, Scenario.AddressB, LinkConditions.Default with { DuplicatePercent = 100 });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromSeconds(5));

            Assert.True(simulation.Network.DuplicatedCount > 0);
            Assert.Single(b.Events<IkeSaInitAnswered>());
            Assert.Contains(b.Events<ResponseRetransmitted>(), e => e.SaInit);
            Assert.Contains(b.Events<ResponseRetransmitted>(), e => !e.SaInit && e.MessageId == 1);
            Assert.Single(b.Events<IkeSaEstablished>());
            Assert.Single(b.Timeline, e => e.Kind == SimulationEventKind.ChildInstalled);
            Assert.Single(a.Timeline, e => e.Kind == SimulationEventKind.ChildInstalled);
            Assert.Contains(a.Events<ResponseIgnored>(), e => e.MessageId == 1);

            // ESP duplicates are the replay window's job.
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
            Assert.Equal(1, b.Traffic(P1, P2).Replayed);
        });
    }

    [Fact]
    public void A_partitioned_peer_is_declared_dead_after_the_retransmit_limit_and_the_IKE_SA_is_removed()
    {
        Scenario.Run(seed: 7020, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            simulation.Network.Partition(Scenario.AddressA, Scenario.AddressB);
            var start = simulation.Now;
            Assert.True(a.RekeyChild(P1, P2));
            var gone = simulation.RunUntil(() => a.IkeSas.Count == 0, TimeSpan.FromMinutes(10));

            Assert.True(gone, "the initiator never gave up");
            Assert.Equal(a.Options.RetransmitLimit, a.Events<RequestRetransmitted>().Count(e => e.Exchange == "CREATE_CHILD rekey vpn-p2"));
            Assert.NotEmpty(a.Events<ExchangeTimedOut>());
            Assert.Empty(a.InstalledSas);
            Assert.Empty(a.ChildSas);

            // 2 s doubling per retry: 2+4+8+16+32 s of retransmissions, then one more timeout of 64 s before giving up.
            var expected = TimeSpan.FromSeconds(2 + 4 + 8 + 16 + 32 + 64);
            Assert.Equal(expected, simulation.Now - start);

            // The peer heard nothing and still holds its SAs.
            Assert.Single(b.IkeSas);
            Assert.Single(b.InstalledSas);
        });
    }

    [Fact]
    public void A_restarted_peer_that_initiates_again_replaces_the_stale_SAs_on_the_other_side()
    {
        Scenario.Run(seed: 7030, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            var stale = a.InstalledSas.Single();

            b.Restart();
            Assert.Empty(b.IkeSas);
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.UnknownSpiPackets);

            Assert.True(b.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(3));

            var ikeA = Assert.Single(a.IkeSas);
            Assert.False(ikeA.IsOriginalInitiator);
            Assert.Equal(ikeA.InitiatorSpi, Assert.Single(b.IkeSas).InitiatorSpi);
            var fresh = Assert.Single(a.InstalledSas);
            Assert.NotEqual(stale.InboundSpi, fresh.InboundSpi);
            Assert.Contains(a.Timeline, e => e.Kind == SimulationEventKind.ChildRemoved && e.Detail.Contains($"in={stale.InboundSpi:x8}", StringComparison.Ordinal));
            Assert.True(a.SendTraffic(Scenario.PacketAToB(2)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
        });
    }
    [Fact]
    public void A_peer_that_crashes_silently_is_found_dead_by_DPD_when_traffic_gets_no_answer_and_the_tunnel_comes_back()
    {
        Scenario.Run(seed: 7031, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { AutoNegotiate = true }, TunnelConfig.SiteB);
            simulation.Start();
            simulation.RunUntilEstablished(a, b);
            var before = a.IkeSas.Single();
            simulation.Every(TimeSpan.FromSeconds(1), () => a.SendTraffic(Scenario.PacketAToB(0)));

            b.Restart();
            var replaced = simulation.RunUntil(
                () => a.IkeSas.Count == 1 && a.IkeSas[0].InitiatorSpi != before.InitiatorSpi && b.InstalledSas.Count == 1,
                TimeSpan.FromMinutes(5));

            Assert.True(replaced, "A never noticed that B had lost its SAs");
            Assert.NotEmpty(a.Events<LivenessProbeSent>());
            Assert.NotEmpty(a.Events<DpdFailed>());
            Assert.Equal(b.IkeSas.Single().InitiatorSpi, a.IkeSas.Single().InitiatorSpi);
            var delivered = b.Traffic(P1, P2).Delivered;
            simulation.RunFor(TimeSpan.FromSeconds(5));
            Assert.True(b.Traffic(P1, P2).Delivered > delivered);
        });
    }
}
