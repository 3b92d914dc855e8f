using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>Install, activate, remove and fall back: which SA carries a phase 2's outbound traffic, and what is reported.</summary>
public sealed class SaDatabaseTests
{
    [Fact]
    public void The_first_SA_carries_outbound_traffic_and_a_later_one_only_when_the_engine_says_so()
    {
        using var rig = new CoreRig();
        var (first, _) = rig.InstallPair(0x100);
        var (second, _) = rig.InstallPair(0x200, activate: false);

        Assert.Same(first, rig.LocalPath.Active);
        Assert.Equal([first, second], rig.LocalPath.Installed);
        Assert.True(rig.Local.ActivateOutbound(rig.LocalPath, second.Install.OutboundSpi));
        Assert.Same(second, rig.LocalPath.Active);
        Assert.Equal(
            [
                new OutboundSwitched(CoreRig.Phase1, CoreRig.Phase2, 0x100, 0x101, OutboundSwitchCause.Installed),
                new OutboundSwitched(CoreRig.Phase1, CoreRig.Phase2, 0x200, 0x201, OutboundSwitchCause.Activated),
            ],
            rig.LocalEvents.Of<OutboundSwitched>());
        Assert.False(rig.Local.ActivateOutbound(rig.LocalPath, 0xdead));
    }

    [Fact]
    public void An_SA_held_back_from_outbound_carries_none_even_alone_until_the_engine_activates_it()
    {
        using var rig = new CoreRig();
        var (held, _) = rig.InstallPair(0x100, holdLocalOutbound: true);

        Assert.Null(rig.LocalPath.Active);
        Assert.Empty(rig.LocalEvents.Of<OutboundSwitched>());
        Assert.True(rig.Local.ActivateOutbound(rig.LocalPath, held.Install.OutboundSpi));
        Assert.Same(held, rig.LocalPath.Active);

        // The phase 2's first SA, so it counts as installed, not as the end of a rekey.
        Assert.Equal(new OutboundSwitched(CoreRig.Phase1, CoreRig.Phase2, 0x100, 0x101, OutboundSwitchCause.Installed), Assert.Single(rig.LocalEvents.Of<OutboundSwitched>()));
    }

    [Fact]
    public void An_SA_held_back_beside_a_working_one_leaves_outbound_where_it_is()
    {
        using var rig = new CoreRig();
        var (old, _) = rig.InstallPair(0x100);
        var (held, _) = rig.InstallPair(0x200, holdLocalOutbound: true);

        Assert.Same(old, rig.LocalPath.Active);
        Assert.Equal([old, held], rig.LocalPath.Installed);
        Assert.True(rig.Local.ActivateOutbound(rig.LocalPath, held.Install.OutboundSpi));
        Assert.Equal(new OutboundSwitched(CoreRig.Phase1, CoreRig.Phase2, 0x200, 0x201, OutboundSwitchCause.Activated), rig.LocalEvents.Events[^1]);
    }

    [Fact]
    public void Removing_the_outbound_SA_falls_back_to_the_newest_remaining_one()
    {
        using var rig = new CoreRig();
        var (oldest, _) = rig.InstallPair(0x100);
        var (middle, _) = rig.InstallPair(0x200, activate: false);
        var (newest, _) = rig.InstallPair(0x300);

        Assert.Same(newest, rig.Local.Remove(0x300));
        Assert.Same(middle, rig.LocalPath.Active);
        Assert.Equal(new OutboundSwitched(CoreRig.Phase1, CoreRig.Phase2, 0x200, 0x201, OutboundSwitchCause.Fallback), rig.LocalEvents.Events[^1]);
        Assert.True(newest.Removed);
        Assert.Null(rig.Local.Find(0x300));

        rig.Local.Remove(0x200);
        rig.Local.Remove(0x100);
        Assert.Null(rig.LocalPath.Active);
        Assert.Empty(rig.LocalPath.Installed);
        Assert.True(oldest.Removed);
        Assert.Equal(2, rig.LocalEvents.Of<OutboundSwitched>().Count(e => e.Cause == OutboundSwitchCause.Fallback));
    }

    [Fact]
    public void Removing_an_SA_that_does_not_carry_outbound_traffic_switches_nothing()
    {
        using var rig = new CoreRig();
        var (first, _) = rig.InstallPair(0x100);
        rig.InstallPair(0x200, activate: false);
        var before = rig.LocalEvents.Events.Count;

        rig.Local.Remove(0x200);

        Assert.Same(first, rig.LocalPath.Active);
        Assert.Equal(before, rig.LocalEvents.Events.Count);
        Assert.Null(rig.Local.Remove(0x200));
    }

    [Fact]
    public void Activity_reports_last_use_and_bytes_per_direction()
    {
        using var rig = new CoreRig();
        var (local, peer) = rig.InstallPair(0x100);
        Assert.Null(rig.Local.Activity(0x100).LastAny);

        rig.Clock.Advance(TimeSpan.FromSeconds(5));
        var sentAt = rig.Clock.GetUtcNow();
        var esp = CoreRig.Seal(peer, CoreRig.PeerToLocal());
        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(esp, CoreRig.Arrival, out _, out _, out _));
        CoreRig.Seal(local, CoreRig.LocalToPeer());

        var activity = rig.Local.Activity(0x100);
        Assert.Equal(sentAt, activity.LastInbound);
        Assert.Equal(sentAt, activity.LastOutbound);
        Assert.Equal((60, 60), (activity.InboundBytes, activity.OutboundBytes));
        Assert.Equal(default, rig.Local.Activity(0x999));
    }

    /// <summary>Drifted rule: ciphers were freed by a 2 s Task.Delay (gateway) or at once (simulation); now by the clock.</summary>
    [Fact]
    public void A_removed_SA_keeps_its_ciphers_for_the_grace_period_and_loses_them_once_the_clock_passed_it()
    {
        using var rig = new CoreRig();
        var (local, _) = rig.InstallPair(0x100);
        rig.Local.Remove(0x100);

        // A packet thread that still holds the SA may finish with it.
        rig.Clock.Advance(PacketCore.CipherGrace - TimeSpan.FromTicks(1));
        rig.Local.ReleaseRetired();
        CoreRig.Seal(local, CoreRig.LocalToPeer());

        rig.Clock.Advance(TimeSpan.FromTicks(1));
        rig.Local.ReleaseRetired();
        Assert.Throws<ObjectDisposedException>(() => CoreRig.Seal(local, CoreRig.LocalToPeer()));
    }

    [Fact]
    public void Installing_releases_the_ciphers_of_SAs_retired_long_enough_ago()
    {
        using var rig = new CoreRig();
        var (old, _) = rig.InstallPair(0x100);
        rig.Local.Remove(0x100);
        rig.Clock.Advance(PacketCore.CipherGrace);

        rig.InstallPair(0x200);

        Assert.Throws<ObjectDisposedException>(() => CoreRig.Seal(old, CoreRig.LocalToPeer()));
    }
}
