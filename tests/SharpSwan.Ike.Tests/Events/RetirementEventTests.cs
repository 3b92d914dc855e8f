using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;

namespace SharpSwan.Ike.Tests.Events;

/// <summary>
/// Two real engines: an SA that stops being current before it is freed (rekeyed, being deleted) is announced as retired,
/// once, between the event that replaced it and its deletion, so a consumer can count current SAs from events alone.
/// </summary>
public sealed class RetirementEventTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    [Fact]
    public void ARekeyedChildIsRetiredOnceOnBothEndsAfterItsSuccessorAndBeforeItsDeletion()
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
        var retired = Assert.Single(link.A.Of<ChildSaRetired>());
        var deleted = Assert.Single(link.A.Of<ChildSaDeleted>());
        Assert.Equal((first.InboundSpi, first.OutboundSpi, first.ChildSerial), (retired.InboundSpi, retired.OutboundSpi, retired.ChildSerial));
        Assert.Equal("rekeyed", retired.Reason);
        Assert.Equal(EngineLink.Phase2A, retired.Phase2);
        Assert.Equal(EngineLink.PhaseA, retired.Phase1);
        Assert.True(link.A.Events.IndexOf(successor) < link.A.Events.IndexOf(retired));
        Assert.True(link.A.Events.IndexOf(retired) < link.A.Events.IndexOf(deleted));

        // The responder retires its end when the rekey completes and frees it when the initiator's DELETE arrives.
        var peerRetired = Assert.Single(link.B.Of<ChildSaRetired>());
        Assert.Equal(first.OutboundSpi, peerRetired.InboundSpi);
        Assert.True(link.B.Events.IndexOf(peerRetired) < link.B.Events.IndexOf(Assert.Single(link.B.Of<ChildSaDeleted>())));
        Assert.Empty(link.A.Of<ChildSaReinstated>());
    }

    [Fact]
    public void AChildTakenDownAloneIsRetiredWhileItsDeleteIsUnderWay()
    {
        using var link = new EngineLink();
        link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A);
        link.Run(Settle);
        var child = Assert.Single(link.A.Of<ChildSaInstalled>());

        Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, EngineLink.Phase2A));
        var retired = Assert.Single(link.A.Of<ChildSaRetired>());
        Assert.Equal(child.InboundSpi, retired.InboundSpi);
        Assert.StartsWith("deleting: ", retired.Reason, StringComparison.Ordinal);
        Assert.Empty(link.A.Of<ChildSaDeleted>());

        link.Run(Settle);
        Assert.Equal(child.InboundSpi, Assert.Single(link.A.Of<ChildSaDeleted>()).InboundSpi);
        Assert.Single(link.A.Of<ChildSaRetired>());
    }

    [Fact]
    public void ARekeyedIkeSaIsRetiredOnBothEndsBetweenTheRekeyAndItsDeletion()
    {
        using var link = new EngineLink();
        link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A);
        link.Run(Settle);
        var established = Assert.Single(link.A.Of<IkeSaEstablished>());

        Assert.True(link.A.Engine.RekeyIke(EngineLink.PhaseA));
        link.Run(Settle);

        var rekeyed = Assert.Single(link.A.Of<IkeSaRekeyed>());
        var retired = Assert.Single(link.A.Of<IkeSaRetired>());
        var deleted = Assert.Single(link.A.Of<IkeSaDeleted>());
        Assert.Equal(established.Spis, retired.Spis);
        Assert.Equal(rekeyed.OldSerial, retired.IkeSerial);
        Assert.Equal("rekeyed", retired.Reason);
        Assert.True(link.A.Events.IndexOf(rekeyed) < link.A.Events.IndexOf(retired));
        Assert.True(link.A.Events.IndexOf(retired) < link.A.Events.IndexOf(deleted));

        var peerRetired = Assert.Single(link.B.Of<IkeSaRetired>());
        Assert.Equal(established.Spis, peerRetired.Spis);
        Assert.Equal("rekeyed by peer", peerRetired.Reason);
        Assert.True(link.B.Events.IndexOf(peerRetired) < link.B.Events.IndexOf(Assert.Single(link.B.Of<IkeSaDeleted>())));

        // The children moved to the new IKE SA: none of them stopped being current.
        Assert.Empty(link.A.Of<ChildSaRetired>());
        Assert.Empty(link.B.Of<ChildSaRetired>());
    }

    [Fact]
    public void AnIkeSaDeletedOutrightIsNotRetiredFirst()
    {
        using var link = new EngineLink();
        link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A);
        link.Run(Settle);

        Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, null));
        link.Run(Settle);

        Assert.Single(link.A.Of<IkeSaDeleted>());
        Assert.Single(link.B.Of<IkeSaDeleted>());
        Assert.Empty(link.A.Of<IkeSaRetired>());
        Assert.Empty(link.B.Of<IkeSaRetired>());
    }
}
