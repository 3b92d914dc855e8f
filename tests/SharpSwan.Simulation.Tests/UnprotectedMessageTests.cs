using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// Issue 11, item 1, in simulation: an on-path attacker who knows the SPIs and message IDs sends plaintext DELETE, NOTIFY
/// and IKE_AUTH messages, from the peer's address and from another port, into a tunnel carrying traffic over UDP 4500.
/// </summary>
public sealed class UnprotectedMessageTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Theory]
    [InlineData(11001)]
    [InlineData(11002)]
    public void Plaintext_delete_notify_and_auth_with_the_live_spis_change_nothing_and_are_counted(int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { NatTraversal = "forced" }, TunnelConfig.SiteB with { NatTraversal = "forced" });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(50));
            simulation.RunFor(TimeSpan.FromSeconds(1));

            var sa = a.Engine.Tunnels.Single().Current!;
            Assert.True(sa.UsesNatTraversal);
            var (local, remote) = (sa.Local, sa.Remote);
            var spis = a.IkeSas.Single();
            var child = a.InstalledSas.Single().InboundSpi;
            var expected = sa.NextExpectedRequestId;
            var ikeFromA = 0;
            simulation.Network.DatagramSent += d =>
            {
                if (d.Source.Address.Equals(a.LocalAddress) && IsIke(d))
                {
                    ikeFromA++;
                }
            };

            // From the peer's own endpoint, and from another port of its address (a NAT-T endpoint move, if believed).
            var elsewhere = new IPEndPoint(remote.Address, remote.Port + 1);
            Inject(simulation, remote, local, sa.InitiatorSpi, sa.ResponderSpi, ExchangeType.Informational, IkeFlags.None, expected, new DeletePayload(ProtocolId.Ike, []));
            Inject(simulation, elsewhere, local, sa.InitiatorSpi, sa.ResponderSpi, ExchangeType.Informational, IkeFlags.None, expected, new NotifyPayload(ProtocolId.None, [], NotifyType.AuthenticationFailed, []));
            Inject(simulation, remote, local, sa.InitiatorSpi, sa.ResponderSpi, ExchangeType.IkeAuth, IkeFlags.None, expected, new NotifyPayload(ProtocolId.None, [], NotifyType.InitialContact, []));
            simulation.RunFor(TimeSpan.FromSeconds(2));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal((spis.InitiatorSpi, spis.ResponderSpi), (a.IkeSas.Single().InitiatorSpi, a.IkeSas.Single().ResponderSpi));
            Assert.Equal(child, Assert.Single(a.InstalledSas).InboundSpi);
            Assert.Single(b.InstalledSas);
            Assert.Equal((local, remote), (sa.Local, sa.Remote));
            Assert.Equal(expected, sa.NextExpectedRequestId);
            Assert.Equal(0, ikeFromA);
            traffic.AssertNothingLost();
            Assert.DoesNotContain(a.Timeline, e => e.Kind == SimulationEventKind.IkeDown);
            Assert.Equal(3, a.Engine.Statistics.UnprotectedDropped);
            Assert.Equal(3, sa.Tunnel.UnprotectedDrops);
        });

    private static void Inject(Simulation simulation, IPEndPoint from, IPEndPoint to, ulong initiatorSpi, ulong responderSpi, ExchangeType exchange, IkeFlags flags, uint messageId, IkePayload payload)
    {
        var header = new IkeHeader(initiatorSpi, responderSpi, PayloadType.None, exchange, flags, messageId, 0);
        var message = IkeMessageCodec.Encode(header, [payload]);

        // On port 4500 IKE follows the four-octet non-ESP marker (RFC 3948).
        var datagram = to.Port == 4500 ? [0, 0, 0, 0, .. message] : message;
        simulation.Network.Inject(from, to, datagram);
    }

    /// <summary>IKE on port 500, or IKE behind the non-ESP marker on 4500 (a keepalive is one 0xFF octet, ESP has a non-zero SPI).</summary>
    private static bool IsIke(SimulatedDatagram d) =>
        d.Destination.Port == 500 || (d.Destination.Port == 4500 && d.Payload.Length > 4 && d.Payload.AsSpan(0, 4).SequenceEqual(new byte[4]));
}
