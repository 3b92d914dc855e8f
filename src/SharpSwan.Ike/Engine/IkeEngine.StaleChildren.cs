using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Cleaning up after loss: SAs that crossing exchanges left behind (a DELETE or a rekey answer that never arrived) are
/// found by the traffic the peer sends, and deleted, so that none lingers to its hard lifetime or carries traffic the peer
/// would drop. Run from <see cref="Tick"/> on the tunnel's current IKE SA.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>How long a second SA for one phase 2 must have been silent before the duplicate sweep removes it.</summary>
    private static readonly TimeSpan DuplicateSettle = Phase2Lifecycle.DuplicateSettle;

    /// <summary>How long a peer has to start using an SA we created for its rekey before we conclude it gave the rekey up.</summary>
    private static readonly TimeSpan AbandonedRekeyWait = Phase2Lifecycle.AbandonedRekeyWait;

    /// <summary>
    /// Under loss, crossing exchanges can leave us a second SA for a phase 2 that the peer already dropped (its DELETE
    /// lost, or the SA rode an IKE SA it had replaced). When exactly one of them still receives traffic, the peer has
    /// shown which one it uses: the silent ones are deleted. Without that evidence nothing is touched, so both ends never
    /// delete the one SA they share.
    /// </summary>
    private void SweepStaleDuplicates(IkeSa sa, DateTimeOffset now)
    {
        if (sa.Tunnel.Current != sa || sa.Children.Count < 2)
        {
            return;
        }

        AbandonUnfinishedPeerRekeys(sa, now);
        RetireSilentPredecessors(sa, now);
        foreach (var group in sa.Children.Where(c => c.State == ChildSaState.Installed).GroupBy(c => c.Phase2Name).ToList())
        {
            var children = group.ToList();
            if (children.Count < 2 || sa.Tunnel.Negotiating.Contains(group.Key) || children.Any(c => now - c.InstalledAt < DuplicateSettle))
            {
                continue;
            }

            var lastInbound = children.ToDictionary(c => c, c => _host.GetActivity(c.InboundSpi, c.OutboundSpi).LastInbound);
            var live = children.Where(c => lastInbound[c] is { } seen && now - seen < DuplicateSettle).ToList();
            if (live.Count != 1)
            {
                continue;
            }

            foreach (var stale in children.Where(c => c != live[0]))
            {
                _log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, stale.Phase2Name, stale.Serial, $"duplicate IPsec SA {stale.InboundSpi:x8}/{stale.OutboundSpi:x8} silent while the peer sends on {live[0].InboundSpi:x8}: deleting it");
                DeleteChild(sa, stale, notifyPeer: true, reason: "duplicate");
            }
        }
    }

    /// <summary>
    /// We answered the peer's rekey and installed the new SA, but the answer was lost and the peer gave up (its IKE SA was
    /// replaced meanwhile): it never uses the new SA nor deletes the old one, and keeps sending on the old. Once that has
    /// gone on for a while, the new SA is dropped and the old one is ours again (to rekey at its soft point as usual).
    /// The same holds after a rekey collision that the peer's SA won here but whose answer never reached the peer: our
    /// own, redundant successor is gone or going, so only the peer's unused one counts.
    /// </summary>
    private void AbandonUnfinishedPeerRekeys(IkeSa sa, DateTimeOffset now)
    {
        foreach (var successor in sa.Children.Where(c => !c.CreatedByUs && c.State == ChildSaState.Installed && now - c.InstalledAt >= AbandonWait(c, sa)).ToList())
        {
            if (successor.Predecessor is not { State: ChildSaState.Rekeyed } predecessor || !sa.Children.Contains(predecessor) ||
                predecessor.Successors.Count(s => s.State != ChildSaState.Deleting && sa.Children.Contains(s)) != 1)
            {
                continue;
            }

            var unused = _host.GetActivity(successor.InboundSpi, successor.OutboundSpi).LastInbound is null;
            var stillUsed = _host.GetActivity(predecessor.InboundSpi, predecessor.OutboundSpi).LastInbound is { } seen && seen > successor.InstalledAt + DuplicateSettle;
            if (!unused || !stillUsed)
            {
                continue;
            }

            _log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, successor.Phase2Name, successor.Serial, $"peer never finished its rekey of {predecessor.InboundSpi:x8}: dropping unused SA {successor.InboundSpi:x8}/{successor.OutboundSpi:x8}, keeping the old one");
            // Forget the collision's loser too: a later rekey of the old SA must count as its first successor, not a collision.
            predecessor.Successors.Clear();
            predecessor.State = ChildSaState.Installed;
            predecessor.RetireAt = null;
            PublishChildReinstated(sa, predecessor);
            _host.ActivateOutbound(sa.Tunnel.Name, predecessor.Phase2Name, predecessor.OutboundSpi);
            DeleteChild(sa, successor, notifyPeer: true, reason: "rekey abandoned by peer");
        }
    }

    /// <summary>
    /// An SA the peer rekeyed stays for stragglers until the peer's DELETE; when that DELETE was lost with an IKE SA it
    /// never comes. Once the peer has been sending on the successor for a while and nothing arrived on the old SA, the
    /// old one is deleted (a peer that dropped it already answers the DELETE with an empty one).
    /// </summary>
    private void RetireSilentPredecessors(IkeSa sa, DateTimeOffset now)
    {
        foreach (var old in sa.Children.Where(c => c.State == ChildSaState.Rekeyed && c.RetireAt is { } retire && retire - now > DuplicateSettle).ToList())
        {
            // Its successor, or whichever SA now carries the phase 2 (the successor itself may have gone as a duplicate).
            var carrier = sa.Children.FirstOrDefault(c => c != old && c.Phase2Name == old.Phase2Name && c.State is ChildSaState.Installed or ChildSaState.Rekeying &&
                                                          now - c.InstalledAt >= AbandonedRekeyWait &&
                                                          _host.GetActivity(c.InboundSpi, c.OutboundSpi).LastInbound is { } seen && now - seen < DuplicateSettle);
            var oldSeen = _host.GetActivity(old.InboundSpi, old.OutboundSpi).LastInbound;
            if (carrier is not null && (oldSeen is null || now - oldSeen.Value >= AbandonedRekeyWait))
            {
                _log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, old.Phase2Name, old.Serial, $"rekeyed IPsec SA {old.InboundSpi:x8}/{old.OutboundSpi:x8} silent, peer's DELETE never came: deleting it");
                DeleteChild(sa, old, notifyPeer: true, reason: "rekeyed, peer's DELETE missing");
            }
        }
    }

    /// <summary>
    /// A peer whose IKE SA was replaced since it asked for the rekey will never retransmit that request: a short wait is
    /// proof enough. Otherwise its retransmissions may still fetch our answer, so wait longer.
    /// </summary>
    private static TimeSpan AbandonWait(ChildSa successor, IkeSa owner) =>
        successor.NegotiatedOn != owner.Serial ? DuplicateSettle : AbandonedRekeyWait;

    /// <summary>The earliest time the duplicate sweep may act on this IKE SA's children (null when there is nothing to sweep).</summary>
    private DateTimeOffset? NextDuplicateSweep(IkeSa sa)
    {
        if (sa.Tunnel.Current != sa || sa.Children.Count < 2)
        {
            return null;
        }

        DateTimeOffset? next = null;
        foreach (var successor in sa.Children.Where(c => !c.CreatedByUs && c.State == ChildSaState.Installed && c.Predecessor is { State: ChildSaState.Rekeyed }))
        {
            var due = successor.InstalledAt + AbandonWait(successor, sa);
            due = due > Now ? due : Now + DuplicateSettle;
            next = next is null || due < next ? due : next;
        }

        foreach (var old in sa.Children.Where(c => c.State == ChildSaState.Rekeyed && c.RetireAt is { } retire && retire - Now > DuplicateSettle))
        {
            // Look again a little later: the carrier and the old SA's silence are both judged by time.
            var due = old.InstalledAt + AbandonedRekeyWait;
            due = due > Now ? due : Now + DuplicateSettle;
            next = next is null || due < next ? due : next;
        }

        foreach (var group in sa.Children.Where(c => c.State == ChildSaState.Installed).GroupBy(c => c.Phase2Name))
        {
            if (group.Count() < 2)
            {
                continue;
            }

            var due = group.Max(c => c.InstalledAt) + DuplicateSettle;
            due = due > Now ? due : Now + DuplicateSettle;
            next = next is null || due < next ? due : next;
        }

        return next;
    }
}
