using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Tearing SAs down, as the SA manager: deleting a child SA (the DELETE exchange is <see cref="InformationalExchange"/>),
/// removing child and IKE SAs from our state and the data plane, and failing an IKE SA.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>Deletes a child SA; with notifyPeer an INFORMATIONAL DELETE is sent and the SA removed when answered.</summary>
    private void DeleteChild(IkeSa sa, ChildSa child, bool notifyPeer, string reason)
    {
        if (child.State == ChildSaState.Deleting)
        {
            return;
        }

        PublishChildRetired(sa, child, "deleting: " + reason);
        child.State = ChildSaState.Deleting;
        if (!notifyPeer || sa.State != IkeSaState.Established)
        {
            RemoveChild(sa, child, reason);
            return;
        }

        _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"sending DELETE for IPsec SA {child.InboundSpi:x8} ({reason})");
        Publish(sa, new ChildSaDeleteSent { Phase2 = child.Phase2Name, ChildSerial = child.Serial, InboundSpi = child.InboundSpi, OutboundSpi = child.OutboundSpi, Reason = reason });
        Enqueue(sa, new DeleteChildJob(child, reason));
    }

    /// <summary>Removes a child SA from our state and the data plane, without telling the peer.</summary>
    private void RemoveChild(IkeSa sa, ChildSa child, string reason, bool byPeer = false)
    {
        if (!sa.Children.Contains(child) && Holder(sa) is var holder && holder.Children.Contains(child))
        {
            // The answer to a DELETE sent before an IKE rekey: the child lives on the new IKE SA now.
            sa = holder;
        }

        if (!sa.Children.Remove(child))
        {
            return;
        }

        // A successor waiting for make-before-break takes over outbound traffic now; one already being deleted (the
        // redundant SA of a rekey collision) must not, or we would send on an SA the peer has dropped.
        var successors = child.Successors.Where(s => s.State != ChildSaState.Deleting && sa.Children.Contains(s)).ToList();
        var now = Now;
        if (child.Successors.Count > 0 && sa.State != IkeSaState.Dead && child.HardExpiry > now)
        {
            // Replaced by a rekey (even if its successor is itself being replaced already): packets the peer sent on it just
            // before switching may arrive after the DELETE exchange on a reordering network. Keep decrypting them a moment
            // (never past hard expiry); outbound moves on below.
            var until = child.HardExpiry < now + Phase2Lifecycle.StragglerGrace ? child.HardExpiry : now + Phase2Lifecycle.StragglerGrace;
            Schedule(until, new RemoveFromDataPlaneJob(sa.Tunnel.Name, child.Phase2Name, child.InboundSpi, child.OutboundSpi));
        }
        else
        {
            _host.RemoveChildSa(sa.Tunnel.Name, child.Phase2Name, child.InboundSpi, child.OutboundSpi);
        }

        _log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"deleted IPsec SA: SPIs={child.InboundSpi:x8}/{child.OutboundSpi:x8} ({reason})");
        Publish(sa, new ChildSaDeleted { Phase2 = child.Phase2Name, ChildSerial = child.Serial, InboundSpi = child.InboundSpi, OutboundSpi = child.OutboundSpi, Reason = reason, ByPeer = byPeer });
        // Never move outbound back to a successor older than the SA that now carries the phase 2: a stale successor the
        // peer dropped long ago (lost DELETE) must not take over from the current one.
        var newest = sa.Children.Where(c => c.Phase2Name == child.Phase2Name && c.State is ChildSaState.Installed or ChildSaState.Rekeying).MaxBy(c => c.InstalledAt);
        foreach (var successor in successors.Where(s => newest is null || s.InstalledAt >= newest.InstalledAt))
        {
            _host.ActivateOutbound(sa.Tunnel.Name, successor.Phase2Name, successor.OutboundSpi);
        }

        // The phase 2 may live on in the IKE SA that replaced this one (children move on an IKE rekey).
        if (!sa.Children.Any(c => c.Phase2Name == child.Phase2Name && c.State != ChildSaState.Deleting) &&
            !(sa.Tunnel.Current is { } current && current != sa && current.Children.Any(c => c.Phase2Name == child.Phase2Name && c.State != ChildSaState.Deleting)))
        {
            PhaseTwoDown(sa.Tunnel, child.Phase2Name, reason);
        }
    }

    private void PhaseTwoDown(TunnelRuntime tunnel, string phase2, string reason)
    {
        _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"phase2 {phase2} down ({reason})");
        Publish(tunnel, new Phase2Down { Phase2 = phase2, Reason = reason });
        if (tunnel.FindPhase2(phase2) is { AutoNegotiate: true } && !tunnel.NextAutoAttempt.ContainsKey(phase2))
        {
            tunnel.NextAutoAttempt[phase2] = Now;
        }
    }

    /// <summary>Sends a DELETE for the IKE SA (best effort, no retransmission) and drops it with its children.</summary>
    private void DeleteIkeSa(IkeSa sa, bool notifyPeer, string reason)
    {
        if (notifyPeer && sa.State == IkeSaState.Established && sa.V1 is not null)
        {
            IsakmpInfo.SendIsakmpDelete(sa);
        }
        else if (notifyPeer && sa.State == IkeSaState.Established && sa.Outbound is not null)
        {
            SendUnreliable(sa, ExchangeType.Informational, [new DeletePayload(ProtocolId.Ike, [])]);
        }

        RemoveIkeSa(sa, reason);
    }

    /// <summary>The peer stopped answering or negotiation failed: drop the IKE SA; auto-negotiate brings it back.</summary>
    private void FailIkeSa(IkeSa sa, string reason, NotifyType? notify = null, NegotiationStage? stage = null)
    {
        _log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"negotiation failure: {reason}");
        Publish(sa, new NegotiationFailed { Stage = stage ?? StageOf(sa), Notify = notify, Reason = reason });
        RemoveIkeSa(sa, reason);
    }

    private void RemoveIkeSa(IkeSa sa, string reason)
    {
        if (sa.State == IkeSaState.Dead)
        {
            return;
        }

        var tunnel = sa.Tunnel;
        var wasEstablished = sa.State is IkeSaState.Established or IkeSaState.Deleting;
        sa.State = IkeSaState.Dead;
        DropHeld(sa);
        if (!sa.Window.IsFree && tunnel.Current is { } current && current != sa)
        {
            // A child rekey still waiting for its answer on this (rekeyed) IKE SA will never get one: the child is ours
            // to rekey again from the current IKE SA, not stuck half-way.
            foreach (var child in current.Children.Where(c => c.State == ChildSaState.Rekeying && c.RekeyRequestedOn == sa.Serial))
            {
                _log.Child(IkeLogLevel.Negotiation, tunnel.Name, current.Serial, child.Phase2Name, child.Serial, $"rekey of {child.InboundSpi:x8} was lost with IKE SA {sa.SpiText}: will rekey again");
                child.State = ChildSaState.Installed;
            }
        }

        sa.Window.Clear();
        foreach (var child in sa.Children.ToList())
        {
            RemoveChild(sa, child, reason);
        }

        if (sa.V1 is { } v1)
        {
            foreach (var quick in v1.QuickModes.Values)
            {
                WithdrawPreinstalled(sa, quick);
            }
        }

        _sas.Remove(sa);

        tunnel.Retiring.Remove(sa);
        foreach (var phase2 in sa.WantedPhase2)
        {
            tunnel.Negotiating.Remove(phase2);
        }

        if (tunnel.Current == sa)
        {
            tunnel.Current = null;
            tunnel.Negotiating.Clear();
            foreach (var phase2 in tunnel.Phase2.Where(p => p.AutoNegotiate))
            {
                tunnel.NextAutoAttempt.TryAdd(phase2.Name, Now + (wasEstablished ? TimeSpan.Zero : _options.AutoNegotiateInterval));
            }

            // Phase 1 auto-negotiate: an IKE SA that was up is brought back at once, a failed attempt waits for its retry.
            if (wasEstablished)
            {
                tunnel.NextIkeAttempt = null;
            }
        }

        // An SA refused right after authentication (mode-cfg pool empty) was never reported up, so it is not reported down.
        if (wasEstablished && sa.EstablishedAt is not null)
        {
            _log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"IKE SA {sa.SpiText} deleted ({reason})");
            Publish(sa, new IkeSaDeleted { Spis = sa.SpiText, Reason = reason });
        }

        sa.Dispose();
        if (!tunnel.IsDialupInstance && tunnel.Current is null && tunnel.AssignedAddress is not null)
        {
            // A mode-cfg client loses its address with its last IKE SA; the next connection asks again.
            var released = tunnel.AssignedAddress;
            tunnel.AssignedAddress = null;
            _host.AssignedAddressChanged(tunnel.Name, null);
            Publish(sa, new AddressReleased { Address = released, ToPeer = false });
        }

        ReleaseInstanceIfUnused(tunnel);
    }
}
