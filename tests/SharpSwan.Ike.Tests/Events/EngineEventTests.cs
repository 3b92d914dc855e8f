using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Events;

/// <summary>Two real engines: the typed events each publishes through its host over a tunnel's life.</summary>
public sealed class EngineEventTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    [Fact]
    public void EstablishingPublishesTheIkeSaThenItsChildOnBothEnds()
    {
        using var link = new EngineLink();
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);

        var ours = Assert.Single(link.A.Of<IkeSaEstablished>());
        var theirs = Assert.Single(link.B.Of<IkeSaEstablished>());
        Assert.Equal(IkeRole.Initiator, ours.Role);
        Assert.Equal(IkeRole.Responder, theirs.Role);
        Assert.Equal(ours.Spis, theirs.Spis);
        Assert.Equal(EngineLink.PhaseA, ours.Phase1);
        Assert.Equal(IPAddress.Parse(EngineLink.AddressB), ours.Remote!.Address);
        Assert.Equal(20, ours.DhGroup);
        Assert.Null(ours.Replaces);

        var childA = Assert.Single(link.A.Of<ChildSaInstalled>());
        var childB = Assert.Single(link.B.Of<ChildSaInstalled>());
        Assert.Equal(EngineLink.Phase2A, childA.Phase2);
        Assert.Equal(EngineLink.Phase2B, childB.Phase2);
        Assert.Equal((childA.InboundSpi, childA.OutboundSpi), (childB.OutboundSpi, childB.InboundSpi));
        Assert.Equal(IkeRole.Initiator, childA.Role);
        Assert.Equal(IkeRole.Responder, childB.Role);
        Assert.False(childA.IsRekey);
        Assert.Equal(ours.IkeSerial, childA.IkeSerial);
        Assert.True(link.A.Events.IndexOf(ours) < link.A.Events.IndexOf(childA));
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Empty(link.B.Of<NegotiationFailed>());
    }

    [Fact]
    public void ChildRekeyPublishesTheSuccessorThenThePredecessorsDeletionWithoutPhase2Down()
    {
        using var link = new EngineLink();
        link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A);
        link.Run(Settle);
        var first = Assert.Single(link.A.Of<ChildSaInstalled>());
        link.A.Events.Clear();
        link.B.Events.Clear();

        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(Settle);

        var successor = Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Equal(first.InboundSpi, successor.RekeyOf);
        Assert.Equal(IkeRole.Initiator, successor.Role);
        var deleted = Assert.Single(link.A.Of<ChildSaDeleted>());
        Assert.Equal(first.InboundSpi, deleted.InboundSpi);
        Assert.Equal("rekeyed", deleted.Reason);
        Assert.False(deleted.ByPeer);
        Assert.True(link.A.Events.IndexOf(successor) < link.A.Events.IndexOf(deleted));

        var peerSuccessor = Assert.Single(link.B.Of<ChildSaInstalled>());
        Assert.Equal(first.OutboundSpi, peerSuccessor.RekeyOf);
        Assert.Equal(IkeRole.Responder, peerSuccessor.Role);
        var peerDeleted = Assert.Single(link.B.Of<ChildSaDeleted>());
        Assert.True(peerDeleted.ByPeer);
        Assert.Equal(first.OutboundSpi, peerDeleted.InboundSpi);

        Assert.Empty(link.A.Of<Phase2Down>());
        Assert.Empty(link.B.Of<Phase2Down>());
    }

    [Fact]
    public void IkeRekeyPublishesRekeyedAndTheOldSasDeletion()
    {
        using var link = new EngineLink();
        link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A);
        link.Run(Settle);
        var established = Assert.Single(link.A.Of<IkeSaEstablished>());

        Assert.True(link.A.Engine.RekeyIke(EngineLink.PhaseA));
        link.Run(Settle);

        var rekeyed = Assert.Single(link.A.Of<IkeSaRekeyed>());
        Assert.Equal(established.Spis, rekeyed.OldSpis);
        Assert.False(rekeyed.ByPeer);
        Assert.NotEqual(rekeyed.OldSerial, rekeyed.IkeSerial);
        var gone = Assert.Single(link.A.Of<IkeSaDeleted>());
        Assert.Equal(established.Spis, gone.Spis);
        Assert.Equal("rekeyed", gone.Reason);

        var peer = Assert.Single(link.B.Of<IkeSaRekeyed>());
        Assert.True(peer.ByPeer);
        Assert.Equal(rekeyed.NewSpis, peer.NewSpis);
        Assert.Empty(link.A.Of<ChildSaDeleted>());
        Assert.Empty(link.B.Of<Phase2Down>());
    }

    [Fact]
    public void DeletingTheTunnelPublishesChildPhase2AndIkeDeletionsOnBothEnds()
    {
        using var link = new EngineLink();
        link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A);
        link.Run(Settle);
        var established = Assert.Single(link.A.Of<IkeSaEstablished>());

        Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, null));
        link.Run(Settle);

        var ikeA = Assert.Single(link.A.Of<IkeSaDeleted>());
        Assert.Equal("administrative down", ikeA.Reason);
        Assert.Equal(established.Spis, ikeA.Spis);
        Assert.Equal(EngineLink.Phase2A, Assert.Single(link.A.Of<Phase2Down>()).Phase2);
        Assert.Equal("administrative down", Assert.Single(link.A.Of<ChildSaDeleted>()).Reason);

        var ikeB = Assert.Single(link.B.Of<IkeSaDeleted>());
        Assert.Equal("deleted by peer", ikeB.Reason);
        Assert.Equal(established.Spis, ikeB.Spis);
        Assert.Equal(EngineLink.Phase2B, Assert.Single(link.B.Of<Phase2Down>()).Phase2);
        Assert.True(link.B.Events.IndexOf(link.B.Of<Phase2Down>()[0]) < link.B.Events.IndexOf(ikeB));
    }

    [Fact]
    public void AWrongPreSharedKeyIsRefusedByTheResponderAndFailsTheInitiator()
    {
        using var link = new EngineLink(pskB: "another-secret-value");
        link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A);
        link.Run(Settle);

        var refused = Assert.Single(link.B.Of<AuthenticationFailed>());
        Assert.Equal(IPAddress.Parse(EngineLink.AddressA), refused.Remote!.Address);
        Assert.Contains("pre-shared key", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(EngineLink.AddressA, refused.PeerIdentity);
        Assert.Empty(link.B.Of<IkeSaEstablished>());

        var failed = Assert.Single(link.A.Of<NegotiationFailed>());
        Assert.Equal(NegotiationStage.IkeAuth, failed.Stage);
        Assert.Equal(NotifyType.AuthenticationFailed, failed.Notify);
        Assert.False(failed.NotifySent);
        Assert.Empty(link.A.Of<IkeSaEstablished>());
        Assert.Empty(link.A.Of<IkeSaDeleted>());
    }

    [Fact]
    public void ARequestFromAnUnknownPeerIsRefusedGatewayWide()
    {
        using var link = new EngineLink(remoteOfB: "203.0.113.9");
        link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A);
        link.Run(Settle);

        var refused = link.B.Of<PeerRefused>();
        Assert.NotEmpty(refused);
        Assert.All(refused, r =>
        {
            Assert.Null(r.Phase1);
            Assert.Equal(IPAddress.Parse(EngineLink.AddressA), r.Remote!.Address);
        });
    }

    [Fact]
    public void ASilentPeerIsDeclaredDeadByDpd()
    {
        using var link = new EngineLink(phase1Extra: "set dpd on-idle\n set dpd-retryinterval 5\n set dpd-retrycount 3");
        link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A);
        link.Run(Settle);
        Assert.Single(link.A.Of<IkeSaEstablished>());

        link.Drop = to => to == link.B;
        link.Run(TimeSpan.FromMinutes(2));

        var dead = Assert.Single(link.A.Of<DpdFailed>());
        Assert.Equal(3, dead.Probes);
        Assert.Contains(link.A.Of<IkeSaDeleted>(), d => d.Reason == dead.Reason);
        Assert.Single(link.A.Of<Phase2Down>());
        Assert.DoesNotContain(link.A.Of<NegotiationFailed>(), f => f.Reason == dead.Reason);
    }

    [Fact]
    public void AnIdleChildSaPassesItsSoftPointAndExpiresAtItsHardPoint()
    {
        using var link = new EngineLink(phase2Extra: "set keylifeseconds 300");
        link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A);
        link.Run(Settle);
        var child = Assert.Single(link.A.Of<ChildSaInstalled>());

        link.Run(TimeSpan.FromSeconds(300));

        var soft = Assert.Single(link.A.Of<ChildSaSoftExpiry>());
        Assert.False(soft.Rekeying);
        Assert.Equal(child.InboundSpi, soft.InboundSpi);
        var hard = link.A.Of<ChildSaHardExpiry>().Concat(link.B.Of<ChildSaHardExpiry>()).ToList();
        Assert.NotEmpty(hard);
        Assert.All(hard, h => Assert.False(h.Replaced));
        Assert.Contains(link.A.Of<ChildSaDeleted>(), d => d.InboundSpi == child.InboundSpi);
        Assert.Single(link.A.Of<Phase2Down>());
        Assert.True(link.A.Events.IndexOf(soft) < link.A.Events.IndexOf(link.A.Of<Phase2Down>()[0]));
    }
}
