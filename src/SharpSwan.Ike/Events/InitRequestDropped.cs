namespace SharpSwan.Ike.Events;

/// <summary>
/// A new IKE_SA_INIT request was dropped unanswered by the flood defences (issue 11, item 3); the peer is
/// <see cref="IkeEvent.Remote"/>. Counted in `diagnose vpn ike stats`.
/// </summary>
public sealed record InitRequestDropped : IkeEvent
{
    public required InitRequestDropReason Reason { get; init; }

    /// <summary>Half-open IKE SAs at the time.</summary>
    public required int HalfOpen { get; init; }
}
