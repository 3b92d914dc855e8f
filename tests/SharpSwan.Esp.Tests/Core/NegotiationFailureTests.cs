using SharpSwan.Esp.Core;
using SharpSwan.Ike.Events;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>
/// Drifted rule: the simulation dropped held packets when the engine stopped negotiating (read from its internals),
/// the gateway never did. Now both hosts pass the engine's NegotiationFailed event to the core, which decides.
/// </summary>
public sealed class NegotiationFailureTests
{
    public static TheoryData<NegotiationStage, string?, bool> Failures => new()
    {
        { NegotiationStage.IkeSaInit, null, true },
        { NegotiationStage.IkeAuth, null, true },
        { NegotiationStage.Start, CoreRig.Phase2, true },
        { NegotiationStage.ChildSa, CoreRig.Phase2, true },
        { NegotiationStage.ChildSa, "another-p2", false },
        { NegotiationStage.ChildSa, null, false },
        { NegotiationStage.IkeRekey, null, false },
        { NegotiationStage.Established, null, false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_of_the_IKE_SA_being_set_up_or_of_this_phase2_drops_the_held_packets(NegotiationStage stage, string? phase2, bool drops)
    {
        using var rig = new CoreRig(triggerQueue: 8);
        rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(), queueable: true, out _);

        PacketCore.NegotiationFailed([rig.LocalPath], new NegotiationFailed { Phase1 = CoreRig.Phase1, Stage = stage, Phase2 = phase2, Reason = "test" });
        rig.Local.ServiceQueue(rig.LocalPath, rig.LocalEvents);

        Assert.Equal(drops ? 0 : 1, rig.LocalPath.Trigger.Count);
        Assert.Equal(drops ? 1 : 0, rig.LocalEvents.Of<TriggerQueueDropped>().Count(d => d.Reason == TriggerQueueDropReason.NegotiationFailed));
    }

    [Fact]
    public void A_failure_of_another_tunnel_drops_nothing()
    {
        using var rig = new CoreRig(triggerQueue: 8);
        rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(), queueable: true, out _);

        PacketCore.NegotiationFailed([rig.LocalPath], new NegotiationFailed { Phase1 = "elsewhere", Stage = NegotiationStage.IkeSaInit, Reason = "test" });
        rig.Local.ServiceQueue(rig.LocalPath, rig.LocalEvents);

        Assert.Equal(1, rig.LocalPath.Trigger.Count);
    }

    [Fact]
    public void A_phase2_that_never_initiates_holds_nothing_and_asks_for_no_negotiation()
    {
        using var rig = new CoreRig();
        var server = new Phase2Path(CoreRig.Phase1, CoreRig.Settings("dialup-p2", "10.1.0.0", "10.2.0.0", 8), initiates: false);

        Assert.Equal(OutboundDecision.Dropped, rig.Local.Outbound(server, CoreRig.LocalToPeer(), queueable: true, out _));

        Assert.Equal(0, server.Trigger.Count);
        Assert.Equal((1, 1), (server.Traffic.Queued, server.Traffic.QueueDropped));
        Assert.Equal(TriggerQueueDropReason.NeverInitiates, Assert.Single(rig.LocalEvents.Of<TriggerQueueDropped>()).Reason);
        Assert.Empty(rig.LocalEvents.Of<AcquireRequested>());
    }
}
