using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Tests.Core;

/// <summary>Inbound: decryption, replay, the selector check and the make-before-break switch on first use.</summary>
public sealed class InboundTests
{
    [Fact]
    public void A_packet_is_delivered_in_place_and_counted()
    {
        using var rig = new CoreRig();
        var (local, peer) = rig.InstallPair(0x100);
        var inner = CoreRig.PeerToLocal(7);
        var esp = CoreRig.Seal(peer, inner);

        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(esp, CoreRig.Arrival, out var sa, out var offset, out var length));
        Assert.Same(local, sa);
        Assert.Equal(inner, esp.AsSpan(offset, length).ToArray());
        Assert.Equal(1, rig.LocalPath.Traffic.Delivered);
        Assert.Equal(1, rig.PeerPath.Traffic.Sent);
    }

    [Fact]
    public void A_replayed_packet_is_refused_and_counted()
    {
        using var rig = new CoreRig();
        var (_, peer) = rig.InstallPair(0x100);
        var esp = CoreRig.Seal(peer, CoreRig.PeerToLocal());
        var copy = esp.ToArray();

        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(esp, CoreRig.Arrival, out _, out _, out _));
        Assert.Equal(InboundResult.Replayed, rig.Local.Inbound(copy, CoreRig.Arrival, out _, out _, out _));
        Assert.Equal((1, 1), (rig.LocalPath.Traffic.Delivered, rig.LocalPath.Traffic.Replayed));
    }

    [Fact]
    public void A_packet_outside_the_negotiated_selectors_is_not_delivered()
    {
        using var rig = new CoreRig();
        var (_, peer) = rig.InstallPair(0x100);
        var esp = CoreRig.Seal(peer, CoreRig.Packet("10.9.0.1", "10.1.0.5"));

        Assert.Equal(InboundResult.OutsideSelectors, rig.Local.Inbound(esp, CoreRig.Arrival, out var sa, out _, out _));
        Assert.NotNull(sa);
        Assert.Equal((0, 1), (rig.LocalPath.Traffic.Delivered, rig.LocalPath.Traffic.Errors));
    }

    [Fact]
    public void Unknown_short_and_tampered_packets_are_refused()
    {
        using var rig = new CoreRig();
        var (_, peer) = rig.InstallPair(0x100);
        var esp = CoreRig.Seal(peer, CoreRig.PeerToLocal());
        esp[^1] ^= 1;

        Assert.Equal(InboundResult.TooShort, rig.Local.Inbound(new byte[7], CoreRig.Arrival, out _, out _, out _));
        Assert.Equal(InboundResult.UnknownSpi, rig.Local.Inbound(new byte[] { 0, 0, 9, 9, 0, 0, 0, 1, 0 }, CoreRig.Arrival, out var unknown, out _, out _));
        Assert.Null(unknown);
        Assert.Equal(InboundResult.Invalid, rig.Local.Inbound(esp, CoreRig.Arrival, out _, out _, out _));
        rig.Local.Remove(0x100);
        Assert.Equal(InboundResult.UnknownSpi, rig.Local.Inbound(CoreRig.Seal(peer, CoreRig.PeerToLocal()), CoreRig.Arrival, out _, out _, out _));
    }

    [Fact]
    public void The_first_packet_on_an_SA_held_back_from_outbound_makes_it_carry_outbound_traffic()
    {
        using var rig = new CoreRig();
        var (held, peer) = rig.InstallPair(0x100, holdLocalOutbound: true);
        Assert.Null(rig.LocalPath.Active);

        // It decrypts while held, and the peer's use of it proves the peer has it: we may send on it.
        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(CoreRig.Seal(peer, CoreRig.PeerToLocal(1)), CoreRig.Arrival, out _, out _, out _));
        Assert.Same(held, rig.LocalPath.Active);
        Assert.Equal(
            new OutboundSwitched(CoreRig.Phase1, CoreRig.Phase2, 0x100, 0x101, OutboundSwitchCause.FirstUse),
            Assert.Single(rig.LocalEvents.Of<OutboundSwitched>()));

        // Held beside a working SA, its first packet moves outbound over as a rekey's successor's does.
        var (successor, successorPeer) = rig.InstallPair(0x200, holdLocalOutbound: true);
        Assert.Same(held, rig.LocalPath.Active);
        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(CoreRig.Seal(successorPeer, CoreRig.PeerToLocal(2)), CoreRig.Arrival, out _, out _, out _));
        Assert.Same(successor, rig.LocalPath.Active);
    }

    [Fact]
    public void The_first_packet_on_a_newer_SA_moves_outbound_traffic_to_it_once()
    {
        using var rig = new CoreRig();
        var (old, oldPeer) = rig.InstallPair(0x100);
        var (successor, newPeer) = rig.InstallPair(0x200, activate: false);
        Assert.Same(old, rig.LocalPath.Active);

        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(CoreRig.Seal(newPeer, CoreRig.PeerToLocal(1)), CoreRig.Arrival, out _, out _, out _));
        Assert.Same(successor, rig.LocalPath.Active);
        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(CoreRig.Seal(newPeer, CoreRig.PeerToLocal(2)), CoreRig.Arrival, out _, out _, out _));

        // Late packets on the old SA are still delivered, but never move outbound back.
        Assert.Equal(InboundResult.Delivered, rig.Local.Inbound(CoreRig.Seal(oldPeer, CoreRig.PeerToLocal(3)), CoreRig.Arrival, out _, out _, out _));
        Assert.Same(successor, rig.LocalPath.Active);
        Assert.Equal(
            new OutboundSwitched(CoreRig.Phase1, CoreRig.Phase2, 0x200, 0x201, OutboundSwitchCause.FirstUse),
            Assert.Single(rig.LocalEvents.Of<OutboundSwitched>(), e => e.Cause == OutboundSwitchCause.FirstUse));
    }
}
