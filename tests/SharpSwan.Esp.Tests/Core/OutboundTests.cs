using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>The outbound decision: send, hold in the trigger queue or drop, and when the engine is asked to negotiate.</summary>
public sealed class OutboundTests
{
    [Fact]
    public void With_an_SA_a_packet_is_sent_on_the_outbound_one()
    {
        using var rig = new CoreRig();
        var (local, _) = rig.InstallPair(0x100);

        Assert.Equal(OutboundDecision.Send, rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(), queueable: true, out var sa));
        Assert.Same(local, sa);
        Assert.Empty(rig.LocalEvents.Of<AcquireRequested>());
    }

    [Fact]
    public void Without_an_SA_and_without_a_trigger_queue_packets_are_dropped_and_counted()
    {
        using var rig = new CoreRig(triggerQueue: 0);

        Assert.Equal(OutboundDecision.Dropped, rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(), queueable: true, out var sa));
        Assert.Null(sa);
        Assert.Equal(1, rig.LocalPath.Traffic.DroppedWithoutSa);
    }

    [Fact]
    public void Held_packets_leave_in_order_through_the_SA_once_it_is_installed()
    {
        using var rig = new CoreRig(triggerQueue: 2);
        for (byte i = 0; i < 3; i++)
        {
            rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(i), queueable: true, out _);
        }

        Assert.Equal(OutboundDecision.Dropped, rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(9), queueable: false, out _));
        Assert.True(rig.Local.ServiceQueue(rig.LocalPath, rig.LocalEvents));
        var (local, _) = rig.InstallPair(0x100);
        Assert.False(rig.Local.ServiceQueue(rig.LocalPath, rig.LocalEvents));

        Assert.Equal([CoreRig.LocalToPeer(0), CoreRig.LocalToPeer(1)], rig.LocalEvents.Sent.Select(s => s.Packet));
        Assert.All(rig.LocalEvents.Sent, s => Assert.Same(local, s.Sa));
        Assert.Equal(new TriggerQueueReleased(CoreRig.Phase1, CoreRig.Phase2, 0x100, 0x101, 2), Assert.Single(rig.LocalEvents.Of<TriggerQueueReleased>()));
        var traffic = rig.LocalPath.Traffic;
        Assert.Equal((2, 2, 2), (traffic.Queued, traffic.QueueReleased, traffic.DroppedWithoutSa));
    }

    /// <summary>Drifted rule: held packets are dropped on age (the phase 1 negotiate-timeout), in both hosts.</summary>
    [Fact]
    public void Held_packets_are_dropped_once_they_waited_the_negotiate_timeout()
    {
        using var rig = new CoreRig(triggerQueue: 8);
        rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(0), queueable: true, out _);
        rig.Clock.Advance(TimeSpan.FromSeconds(4));
        rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(1), queueable: true, out _);
        Assert.Equal(TimeSpan.FromSeconds(6), rig.Local.TimeToQueueDeadline(rig.LocalPath));

        rig.Clock.Advance(TimeSpan.FromSeconds(6) - TimeSpan.FromTicks(1));
        Assert.True(rig.Local.ServiceQueue(rig.LocalPath, rig.LocalEvents));
        Assert.Equal(2, rig.LocalPath.Trigger.Count);

        rig.Clock.Advance(TimeSpan.FromTicks(1));
        Assert.True(rig.Local.ServiceQueue(rig.LocalPath, rig.LocalEvents));
        Assert.Equal(1, rig.LocalPath.Trigger.Count);
        Assert.Equal(
            new TriggerQueueDropped(CoreRig.Phase1, CoreRig.Phase2, 1, TriggerQueueDropReason.NegotiateTimeout),
            Assert.Single(rig.LocalEvents.Of<TriggerQueueDropped>()));
        Assert.Equal(1, rig.LocalPath.Traffic.QueueDropped);
    }

    /// <summary>Drifted rule: a failed negotiation drops held packets at once, on the host's explicit report only.</summary>
    [Fact]
    public void Held_packets_are_dropped_at_once_when_the_host_reports_failed_negotiation()
    {
        using var rig = new CoreRig(triggerQueue: 8);
        rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(0), queueable: true, out _);
        rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(1), queueable: true, out _);
        Assert.True(rig.Local.ServiceQueue(rig.LocalPath, rig.LocalEvents));

        PacketCore.NegotiationFailed(rig.LocalPath);
        Assert.False(rig.Local.ServiceQueue(rig.LocalPath, rig.LocalEvents));

        Assert.Equal(0, rig.LocalPath.Trigger.Count);
        Assert.Equal(
            new TriggerQueueDropped(CoreRig.Phase1, CoreRig.Phase2, 2, TriggerQueueDropReason.NegotiationFailed),
            Assert.Single(rig.LocalEvents.Of<TriggerQueueDropped>()));
    }

    [Fact]
    public void A_failure_reported_while_nothing_is_held_does_not_drop_packets_queued_later()
    {
        using var rig = new CoreRig(triggerQueue: 8);
        PacketCore.NegotiationFailed(rig.LocalPath);
        rig.Local.ServiceQueue(rig.LocalPath, rig.LocalEvents);

        rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(), queueable: true, out _);
        Assert.True(rig.Local.ServiceQueue(rig.LocalPath, rig.LocalEvents));
        Assert.Equal(1, rig.LocalPath.Trigger.Count);
        Assert.Empty(rig.LocalEvents.Of<TriggerQueueDropped>());
    }

    /// <summary>Drifted rule: the engine is asked at most once a second per phase 2 (the simulation asked on every packet).</summary>
    [Fact]
    public void The_engine_is_asked_to_negotiate_at_most_once_a_second_per_phase2()
    {
        using var rig = new CoreRig(triggerQueue: 4);
        var other = new Phase2Path(CoreRig.Phase1, CoreRig.Settings("other", "10.1.1.0", "10.2.1.0", 0));
        for (var i = 0; i < 5; i++)
        {
            rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(), queueable: true, out _);
        }

        rig.Local.Outbound(other, CoreRig.LocalToPeer(), queueable: true, out _);
        rig.Clock.Advance(PacketCore.AcquireInterval - TimeSpan.FromTicks(1));
        rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(), queueable: true, out _);
        Assert.Equal(
            [new AcquireRequested(CoreRig.Phase1, CoreRig.Phase2), new AcquireRequested(CoreRig.Phase1, "other")],
            rig.LocalEvents.Of<AcquireRequested>());

        rig.Clock.Advance(TimeSpan.FromTicks(1));
        rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(), queueable: true, out _);
        Assert.Equal(3, rig.LocalEvents.Of<AcquireRequested>().Count());
    }

    [Fact]
    public void A_smaller_trigger_queue_after_a_configuration_change_drops_what_no_longer_fits()
    {
        using var rig = new CoreRig(triggerQueue: 4);
        for (byte i = 0; i < 3; i++)
        {
            rig.Local.Outbound(rig.LocalPath, CoreRig.LocalToPeer(i), queueable: true, out _);
        }

        PacketCore.Reconfigure(rig.LocalPath, CoreRig.Settings(CoreRig.Phase2, "10.1.0.0", "10.3.0.0", 1));

        Assert.Equal((1, 2), (rig.LocalPath.Trigger.Count, rig.LocalPath.Traffic.QueueDropped));
        Assert.True(rig.LocalPath.Covers(0x0a010005, 0x0a030001));
        Assert.False(rig.LocalPath.Covers(0x0a010005, 0x0a020007));
    }
}
