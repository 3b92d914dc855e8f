using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// What a new child SA means for the ones beside it, whichever exchange made it (IKE_AUTH or CREATE_CHILD_SA, either role):
/// the rekey succession with the RFC 7296 §2.8.1 collision rule, and the same rule for two new SAs of one phase 2.
/// </summary>
internal sealed class ChildSettlement(IExchangeContext context)
{
    /// <summary>After the answer that created <paramref name="child"/> has gone out: the rekey succession, or duplicate resolution.</summary>
    public void Settle(IkeSa sa, ChildSa? child, ChildSa? rekeyOf)
    {
        if (child is null)
        {
            return;
        }

        if (rekeyOf is not null)
        {
            FinishRekey(sa, rekeyOf, child);
        }
        else
        {
            ResolveDuplicate(sa, child);
        }
    }

    /// <summary>
    /// Both ends created a new SA for the same phase 2 at once (both auto-negotiate). As for rekey collisions, the SA whose
    /// exchange had the lowest nonce is redundant and its creator deletes it; both ends reach the same verdict.
    /// </summary>
    private void ResolveDuplicate(IkeSa sa, ChildSa child)
    {
        var other = sa.Children.FirstOrDefault(c => c != child && c.Phase2Name == child.Phase2Name && c.State == ChildSaState.Installed && c.Predecessor is null && c.Successors.Count == 0);
        if (other is null)
        {
            return;
        }

        var redundant = Phase2Lifecycle.FirstIsRedundant(child.LowestNonce, other.LowestNonce) ? child : other;
        var survivor = redundant == child ? other : child;
        context.Log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"both ends created {child.Phase2Name}: keeping SPIs {survivor.InboundSpi:x8}/{survivor.OutboundSpi:x8}, {(redundant.CreatedByUs ? "deleting" : "peer deletes")} {redundant.InboundSpi:x8}/{redundant.OutboundSpi:x8}");
        context.Host.ActivateOutbound(sa.Tunnel.Name, survivor.Phase2Name, survivor.OutboundSpi);
        if (redundant.CreatedByUs)
        {
            context.DeleteChild(sa, redundant, notifyPeer: true, reason: "duplicate");
        }
        else
        {
            // Keep it for stragglers until the peer deletes it; if that DELETE never comes (the peer may have dropped the
            // SA with an IKE SA it replaced), retire it soon rather than at hard expiry.
            context.PublishChildRetired(sa, redundant, "duplicate");
            redundant.State = ChildSaState.Rekeyed;
            redundant.RetireAt = context.Now + Phase2Lifecycle.DuplicateSettle;
        }
    }

    /// <summary>
    /// A rekey produced a successor for old. With one successor, its creator deletes the old SA. With two (both ends rekeyed
    /// at once), RFC 7296 §2.8.1: the SA whose exchange had the lowest nonce is redundant and is deleted by the side that created
    /// it; the other's creator then deletes the old SA.
    /// </summary>
    private void FinishRekey(IkeSa sa, ChildSa old, ChildSa successor)
    {
        successor.Predecessor = old;
        old.Successors.Add(successor);
        if (old.Successors.Count > 1)
        {
            SettleRekeyCollision(sa, old);
            return;
        }

        if (old.State == ChildSaState.Rekeying && !successor.CreatedByUs)
        {
            // Our own rekey of the same SA is still in flight: decide when it completes.
            return;
        }

        context.PublishChildRetired(sa, old, "rekeyed");
        old.State = ChildSaState.Rekeyed;
        if (successor.CreatedByUs && successor.OutboundDeferred)
        {
            // The peer may not have the new SA yet: the old one carries outbound traffic a moment longer.
            context.DeleteRekeyedLater(sa, old);
        }
        else if (successor.CreatedByUs)
        {
            context.DeleteChild(sa, old, notifyPeer: true, reason: "rekeyed");
        }
        else
        {
            // Keep decrypting stragglers until the peer's DELETE, at most until hard expiry.
            old.RetireAt = old.HardExpiry;
        }
    }

    private void SettleRekeyCollision(IkeSa sa, ChildSa old)
    {
        var first = old.Successors[0];
        var second = old.Successors[1];
        var redundant = Phase2Lifecycle.FirstIsRedundant(first.LowestNonce, second.LowestNonce) ? first : second;
        var survivor = redundant == first ? second : first;
        context.Log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, old.Phase2Name, old.Serial, $"rekey collision: keeping SPIs {survivor.InboundSpi:x8}/{survivor.OutboundSpi:x8}, {(redundant.CreatedByUs ? "deleting" : "peer deletes")} {redundant.InboundSpi:x8}/{redundant.OutboundSpi:x8}");
        context.Publish(sa, new RekeyCollision { IkeSa = false, Phase2 = old.Phase2Name });
        context.PublishChildRetired(sa, old, "rekeyed");
        old.State = ChildSaState.Rekeyed;
        if (redundant.CreatedByUs)
        {
            context.DeleteChild(sa, redundant, notifyPeer: true, reason: "redundant after rekey collision");
        }

        // The peer installs an SA it created only when our answer reaches it, and that answer may be lost: until the peer
        // uses its SA or deletes the old one (RemoveChild then moves outbound over), keep sending on the old SA. If the
        // old SA is gone already, the peer's DELETE proved it has its SA.
        var outbound = survivor.CreatedByUs || !sa.Children.Contains(old) ? survivor : old;
        context.Host.ActivateOutbound(sa.Tunnel.Name, outbound.Phase2Name, outbound.OutboundSpi);
        if (survivor.CreatedByUs)
        {
            context.DeleteChild(sa, old, notifyPeer: true, reason: "rekeyed");
        }
        else
        {
            old.RetireAt = old.HardExpiry;
        }
    }
}
