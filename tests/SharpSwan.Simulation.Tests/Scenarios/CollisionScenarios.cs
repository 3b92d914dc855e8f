using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 3 item 8's collision cases that peers' users keep hitting (reference/peers.md §4): a rekey crossing a DELETE
/// (strongswan#1458), a collision with a lost packet and TEMPORARY_FAILURE (strongswan#1896), TS_UNACCEPTABLE crossing the
/// peer's successful rekey (strongswan#2477), and a lost response. Traffic runs every 2-5 ms both ways throughout, so any
/// moment without a usable SA pair shows up as lost packets.
/// </summary>
public sealed class CollisionScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    /// <summary>
    /// strongswan#1458: a CREATE_CHILD_SA response and a DELETE arrive out of order. Our rekey of the SA reaches the peer
    /// just before the peer's copy expires; the peer answers, then deletes the old SA at its hard lifetime, and its DELETE
    /// overtakes the answer. The tunnel must end with one working SA pair, not with the new keys removed.
    /// </summary>
    /// <param name="autoNegotiate">
    /// With auto-negotiate on A (and a long lifetime, so only B's copy expires), the DELETE also makes A want a fresh SA
    /// while its rekey is still in flight: it must not end up with two.
    /// </param>
    [Theory]
    [InlineData(false, 39001)]
    [InlineData(true, 39002)]
    public void A_rekey_answer_overtaken_by_the_peers_DELETE_of_the_old_SA_still_ends_with_one_working_SA(bool autoNegotiate, int seed)
    {
        CheckedScenario.Run(seed, (simulation, _) =>
        {
            // B idles without keepalive, so its copy of the SA runs to its hard lifetime.
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA with { Phase2KeyLifeSeconds = autoNegotiate ? 3600 : 300, AutoNegotiate = autoNegotiate },
                TunnelConfig.SiteB with { Phase2KeyLifeSeconds = 300 });
            simulation.Start();
            a.Initiate(P1, P2);
            simulation.RunUntilEstablished(a, b);
            var old = b.InstalledSas.Single();
            var installedB = b.Timeline.Single(e => e.Kind == SimulationEventKind.ChildInstalled).Time;
            simulation.RunUntil(installedB + TimeSpan.FromSeconds(300) - TimeSpan.FromMilliseconds(15));

            // A's rekey arrives 5 ms before B's copy expires; B's answer is held back 30 ms, so B's DELETE arrives first.
            var heldBack = false;
            simulation.Network.Interfere = datagram =>
            {
                if (!heldBack && datagram.Source.Address.Equals(Scenario.AddressB) && IkeWireTap.TryReadIke(datagram, out var header) &&
                    header.Exchange == ExchangeType.CreateChildSa && header.IsResponse)
                {
                    heldBack = true;
                    return DatagramFate.Delay(TimeSpan.FromMilliseconds(30));
                }

                return DatagramFate.Pass;
            };
            var rekeyAt = simulation.Now;
            Assert.True(a.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.True(heldBack);

            // The DELETE of the old SA did reach A before the answer that completes A's rekey.
            var deleteSeen = a.EventTimes<ChildSaDeleted>(e => e.ByPeer && e.InboundSpi == old.OutboundSpi).First();
            var newInstalled = a.Timeline.First(e => e.Kind == SimulationEventKind.ChildInstalled && e.Time > rekeyAt).Time;
            Assert.True(deleteSeen < newInstalled, $"DELETE at {deleteSeen:ss.fff}, new SA at {newInstalled:ss.fff}");
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(5));
            simulation.RunFor(TimeSpan.FromSeconds(30));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Contains(b.TimedHardExpiries(), e => e.InboundSpi == old.InboundSpi && e.OutboundSpi == old.OutboundSpi);
            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal((childA.InboundSpi, childA.OutboundSpi), (childB.OutboundSpi, childB.InboundSpi));
            Assert.NotEqual(old.InboundSpi, childB.InboundSpi);
            traffic.AssertNothingLost();
        });
    }

    /// <summary>
    /// A rekey crossing the peer's DELETE of the same SA (the peer brings the phase 2 down as our rekey is on the wire):
    /// the peer refuses the rekey of an SA it is deleting, we drop the SA on its DELETE, and auto-negotiate brings one
    /// fresh SA up, with no half-installed SA left on either side.
    /// </summary>
    [Theory]
    [InlineData(0, 39011)]
    [InlineData(4, 39012)]
    [InlineData(9, 39013)]
    public void A_rekey_crossing_the_peers_DELETE_of_the_same_SA_ends_with_one_fresh_SA(int offsetMs, int seed)
    {
        CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true }, TunnelConfig.SiteB.Cheap());
            simulation.Start();
            simulation.RunUntilEstablished(a, b);
            var old = a.InstalledSas.Single();

            Assert.True(a.RekeyChild(P1, P2));
            simulation.After(TimeSpan.FromMilliseconds(offsetMs), () => b.Terminate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(10));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(5));
            simulation.RunFor(TimeSpan.FromSeconds(5));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.NotEqual(old.InboundSpi, childA.InboundSpi);
            Assert.Equal((childA.InboundSpi, childA.OutboundSpi), (childB.OutboundSpi, childB.InboundSpi));
            Assert.Single(a.ChildSas);
            Assert.Single(b.ChildSas);
            traffic.AssertNothingLost();
        });
    }

    /// <summary>
    /// strongswan#1896: a rekey collision plus a lost packet plus TEMPORARY_FAILURE. Both ends rekey; A's request is held
    /// back so B has finished its own rekey and answers TEMPORARY_FAILURE; B's DELETE of the old SA is lost once. The
    /// outbound SA must end up installed on both sides, with no packet lost meanwhile.
    /// </summary>
    [Fact]
    public void A_rekey_collision_with_TEMPORARY_FAILURE_and_a_lost_DELETE_installs_the_outbound_SA_and_loses_no_packet()
    {
        CheckedScenario.Run(seed: 39021, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true }, TunnelConfig.SiteB.Cheap() with { AutoNegotiate = true });
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(2));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(2));
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var delayed = 0;
            var dropped = 0;
            simulation.Network.Interfere = datagram =>
            {
                if (!IkeWireTap.TryReadIke(datagram, out var header) || header.IsResponse)
                {
                    return DatagramFate.Pass;
                }

                if (delayed == 0 && header.Exchange == ExchangeType.CreateChildSa && datagram.Source.Address.Equals(Scenario.AddressA))
                {
                    delayed++;
                    return DatagramFate.Delay(TimeSpan.FromMilliseconds(50));
                }

                if (dropped == 0 && header.Exchange == ExchangeType.Informational && datagram.Source.Address.Equals(Scenario.AddressB))
                {
                    dropped++;
                    return DatagramFate.Drop;
                }

                return DatagramFate.Pass;
            };
            Assert.True(a.RekeyChild(P1, P2));
            Assert.True(b.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(10));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal((1, 1), (delayed, dropped));
            Assert.Contains(a.Events<ChildExchangeRetryScheduled>(), e => e.Notify == NotifyType.TemporaryFailure);
            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal((childA.InboundSpi, childA.OutboundSpi), (childB.OutboundSpi, childB.InboundSpi));
            Assert.True(childA.IsActiveOutbound && childB.IsActiveOutbound);
            Assert.True(childA.PacketsIn > 0 && childB.PacketsIn > 0);
            traffic.AssertNothingLost();
            Assert.Equal(0, a.UnknownSpiPackets + b.UnknownSpiPackets);
        });
    }

    /// <summary>
    /// A lost response inside a collision: both ends rekey at once and B's answer to A's request is lost, so A only learns
    /// of its own new SA when it retransmits 2 s later. Until then no side may send on an SA the other lacks.
    /// </summary>
    [Theory]
    [InlineData(39031)]
    [InlineData(39032)]
    [InlineData(39033)]
    [InlineData(39034)]
    public void A_rekey_collision_whose_answer_is_lost_loses_no_packet_while_the_request_is_retransmitted(int seed)
    {
        CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true }, TunnelConfig.SiteB.Cheap() with { AutoNegotiate = true });
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(2));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(2));
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var dropped = 0;
            simulation.Network.Interfere = datagram =>
                dropped == 0 && datagram.Source.Address.Equals(Scenario.AddressB) && IkeWireTap.TryReadIke(datagram, out var header) &&
                header.Exchange == ExchangeType.CreateChildSa && header.IsResponse
                    ? DatagramFate.Drop with { } is var drop && ++dropped > 0 ? drop : DatagramFate.Pass
                    : DatagramFate.Pass;
            Assert.True(a.RekeyChild(P1, P2));
            Assert.True(b.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(10));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal(1, dropped);
            Assert.Contains(a.Events<RequestRetransmitted>(), e => e.Exchange == "CREATE_CHILD rekey vpn-p2" && e.Attempt == 1);
            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal((childA.InboundSpi, childA.OutboundSpi), (childB.OutboundSpi, childB.InboundSpi));
            traffic.AssertNothingLost();
            Assert.Equal(0, a.UnknownSpiPackets + b.UnknownSpiPackets);
        });
    }

    /// <summary>A lost rekey answer without a collision: retransmitted, answered from the cache, no duplicate SA, no loss.</summary>
    [Fact]
    public void A_lost_rekey_answer_is_retransmitted_and_leaves_no_duplicate_SA_and_no_loss()
    {
        CheckedScenario.Run(seed: 39041, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap() with { AutoNegotiate = true }, TunnelConfig.SiteB.Cheap());
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(2));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(5));
            var dropped = 0;
            simulation.Network.Interfere = datagram =>
            {
                if (dropped == 0 && datagram.Source.Address.Equals(Scenario.AddressB) && IkeWireTap.TryReadIke(datagram, out var header) &&
                    header.Exchange == ExchangeType.CreateChildSa && header.IsResponse)
                {
                    dropped++;
                    return DatagramFate.Drop;
                }

                return DatagramFate.Pass;
            };
            Assert.True(a.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(10));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Single(b.Events<PeerChildRekeyAccepted>(), e => e.Phase2 == "vpn-p2");
            Assert.Contains(b.Events<ResponseRetransmitted>(), e => !e.SaInit);
            Assert.Single(a.InstalledSas);
            Assert.Single(b.InstalledSas);
            traffic.AssertNothingLost();
        });
    }

    /// <summary>
    /// strongswan#2477's theme: a TS_UNACCEPTABLE answer on the IKE SA crossing the peer's successful rekey must not keep
    /// the rekeyed SA from being installed and used. A has a second phase 2 that B does not know (refused every 5 s);
    /// B rekeys the shared phase 2 at the same instants.
    /// </summary>
    [Fact]
    public void TS_UNACCEPTABLE_crossing_the_peers_successful_rekey_leaves_the_rekeyed_SA_installed_and_used()
    {
        CheckedScenario.Run(seed: 39051, (simulation, _) =>
        {
            var siteA = TunnelConfig.SiteA.Cheap() with
            {
                AutoNegotiate = true,
                ExtraPhase2 = [("unknown-to-b", "10.1.9.0 255.255.255.0", "10.2.9.0 255.255.255.0")],
            };
            var (a, b) = simulation.AddPair(siteA, TunnelConfig.SiteB.Cheap());
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(1));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(2));

            // A retries the unknown phase 2 every 5 s from the start; B rekeys the shared one in the same instants.
            for (var round = 1; round <= 4; round++)
            {
                simulation.RunUntil(simulation.Clock.Start + TimeSpan.FromSeconds(5 * round));
                Assert.True(b.RekeyChild(P1, P2));
            }

            simulation.RunFor(TimeSpan.FromSeconds(3));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.True(a.Events<NegotiationFailed>().Count(e => e.Stage == NegotiationStage.ChildSa && e.Phase2 == "unknown-to-b" && e.Notify == NotifyType.TsUnacceptable && !e.NotifySent) >= 4);
            Assert.Equal(4, b.ChildRekeysInitiated().Count());
            var childA = Assert.Single(a.InstalledSas, s => s.Phase2 == P2);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal((childA.InboundSpi, childA.OutboundSpi), (childB.OutboundSpi, childB.InboundSpi));
            Assert.True(childA.IsActiveOutbound && childB.IsActiveOutbound);
            Assert.DoesNotContain(a.InstalledSas, s => s.Phase2 == "unknown-to-b");
            traffic.AssertNothingLost();
        });
    }
}
