using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

public sealed class TrafficSelectorTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Fact]
    public void The_responder_narrows_wide_selectors_to_its_own_and_both_sides_install_the_narrowed_ones()
    {
        Scenario.Run(seed: 6001, simulation =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA with { Source = "10.1.0.0 255.255.0.0", Destination = "10.2.0.0 255.255.0.0" },
                TunnelConfig.SiteB);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            var childA = Assert.Single(a.InstalledSas);
            var childB = Assert.Single(b.InstalledSas);
            Assert.Equal("0:10.1.0.0-10.1.0.255:0", SelectorMath.Describe(childA.LocalSelector));
            Assert.Equal("0:10.2.0.0-10.2.0.255:0", SelectorMath.Describe(childA.RemoteSelector));
            Assert.Equal(childA.LocalSelector, childB.RemoteSelector);
            Assert.Equal(childA.RemoteSelector, childB.LocalSelector);
            Assert.Equal(childA.LocalSelector, Assert.Single(a.ChildSas).LocalSelector);

            // Inside the narrowed selectors traffic flows; outside them the initiator refuses to send it (RFC 4301 outbound
            // check: it is counted, never encrypted), and a packet a sender without that check encrypts anyway is refused
            // by the responder's inbound check.
            var outside = Ipv4Packet.Create(IPAddress.Parse("10.1.7.1"), IPAddress.Parse("10.2.0.7"), [1, 2, 3]);
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            Assert.False(a.SendTraffic(outside));
            Assert.Equal(1, a.Traffic(P1, P2).OutsideSelectors);
            Assert.Equal(1, a.Traffic(P1, P2).Sent);
            Assert.True(a.SendUnchecked(P1, P2, outside));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
            Assert.Equal(1, b.Traffic(P1, P2).Errors);
        });
    }

    [Fact]
    public void Disjoint_selectors_get_TS_UNACCEPTABLE_and_the_IKE_SA_stays_up()
    {
        Scenario.Run(seed: 6002, simulation =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA with { Destination = "10.9.0.0 255.255.255.0" },
                TunnelConfig.SiteB);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(5));

            Assert.Single(a.IkeSas);
            Assert.Single(b.IkeSas);
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.Contains(b.Events<NegotiationFailed>(), e => e.Notify == NotifyType.TsUnacceptable && e.NotifySent);
            Assert.Contains(a.Events<NegotiationFailed>(), e => e.Notify == NotifyType.TsUnacceptable && !e.NotifySent);

            // Still up later: nothing tore the IKE SA down.
            simulation.RunFor(TimeSpan.FromSeconds(60));
            Assert.Single(a.IkeSas);
            Assert.Single(b.IkeSas);
        });
    }
}
