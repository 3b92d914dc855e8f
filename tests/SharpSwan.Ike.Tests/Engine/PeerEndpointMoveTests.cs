using System.Net;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Issue 11, item 6: when an authenticated IKE message shows that the peer's NAT mapping moved, the IKE SA follows it and so
/// does every child SA's ESP destination (the engine tells the data plane which SAs and where to).
/// </summary>
public sealed class PeerEndpointMoveTests
{
    private const string AddressA = "192.0.2.1";
    private const string AddressB = "198.51.100.2";

    [Fact]
    public void A_new_NAT_mapping_seen_on_an_authenticated_request_moves_the_child_SAs_ESP_destination()
    {
        using var network = new EngineNetwork();
        var offset = 10000;
        var a = IPAddress.Parse(AddressA);
        // A sits behind a NAT that maps its ports up by `offset`; answers to an old mapping are lost.
        network.SourceNat = source => source.Address.Equals(a) ? new IPEndPoint(a, source.Port + offset) : source;
        network.DestinationNat = to => !to.Address.Equals(a) ? to : to.Port > offset && to.Port - offset is 500 or 4500 ? new IPEndPoint(a, to.Port - offset) : null;
        var nodeA = network.Add("A", AddressA, EngineNetwork.SiteToSite("to-b", "to-b-p2", AddressA, AddressB, "10.1.0.0", "10.2.0.0"));
        var nodeB = network.Add("B", AddressB, EngineNetwork.SiteToSite("to-a", "to-a-p2", AddressB, AddressA, "10.2.0.0", "10.1.0.0"));
        Assert.True(nodeA.Engine.Initiate("to-b", "to-b-p2"));
        network.Run(TimeSpan.FromSeconds(5));
        var saB = nodeB.Engine.Tunnels.Single().Current!;
        Assert.Equal(IkeSaState.Established, saB.State);
        Assert.Equal(new IPEndPoint(a, 14500), saB.Remote);
        var childB = Assert.Single(saB.Children);

        offset = 20000;
        Assert.True(nodeA.Engine.RekeyChild("to-b", "to-b-p2"));
        network.Run(TimeSpan.FromSeconds(5));

        // The first move is the float to UDP 4500 at IKE_AUTH, before any child SA existed.
        Assert.Equal(2, nodeB.Of<PeerEndpointMoved>().Count);
        Assert.Equal((new IPEndPoint(a, 10500), 0), (nodeB.Of<PeerEndpointMoved>()[0].Previous, nodeB.Of<PeerEndpointMoved>()[0].ChildSas));
        var moved = nodeB.Of<PeerEndpointMoved>()[1];
        Assert.Equal(new IPEndPoint(a, 14500), moved.Previous);
        Assert.Equal(new IPEndPoint(a, 24500), moved.Remote);
        Assert.Equal(1, moved.ChildSas);
        var (spis, remote) = Assert.Single(nodeB.PeerMoves);
        Assert.Equal([childB.InboundSpi], spis);
        Assert.Equal(new IPEndPoint(a, 24500), remote);
        Assert.Equal(new IPEndPoint(a, 24500), saB.Remote);
        // The rekey's answer reached A through the new mapping, and the new child SA is installed toward it.
        Assert.Contains(nodeA.Of<ChildSaInstalled>(), c => c.RekeyOf is not null);
        Assert.Contains(nodeB.Of<ChildSaInstalled>(), c => c.RekeyOf == childB.InboundSpi);
        Assert.Empty(nodeA.Of<PeerEndpointMoved>());
    }
}
