using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;

namespace SharpSwan.Ike.Tests.Support;

/// <summary>The check IKEv2's CREATE_CHILD_SA and IKEv1's quick mode share for our key pair when the host cannot make it.</summary>
public static class FailedKeyPair
{
    /// <summary>
    /// On <paramref name="link"/> (up, A to rekey its child), A's first rekey key pair of kind <typeparamref name="TPair"/>
    /// comes back without a result (the host's worker failed): the rekey fails as a failed exchange does, and the child is
    /// not left marked as rekeying, so the next rekey is made and installed at both ends.
    /// </summary>
    /// <param name="which">The computations A's host takes (the others run inline); null: all.</param>
    public static void LeavesTheChildToBeRekeyedAgain<TPair>(EngineLink link, Func<EngineComputation, bool>? which = null)
        where TPair : EngineComputation
    {
        var held = link.A.HoldComputations(which);
        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        var failed = Assert.IsType<TPair>(Assert.Single(held));

        failed.Discard();
        link.A.Engine.CompleteComputation(failed);
        Assert.Equal(NegotiationStage.ChildSa, Assert.Single(link.A.Of<NegotiationFailed>()).Stage);
        Assert.True(link.A.Engine.RekeyChild(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));

        Assert.Equal(2, held.Count);
        var pair = Assert.IsType<TPair>(held[1]);
        pair.Run();
        link.A.Offload = null;
        link.A.Engine.CompleteComputation(pair);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(2, link.A.Of<ChildSaInstalled>().Count);
        Assert.Equal(2, link.B.Of<ChildSaInstalled>().Count);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }
}
