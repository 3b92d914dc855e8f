namespace SharpSwan.Ike.Events;

/// <summary>
/// A peer was turned away before it had a tunnel: no phase 1 for its address (log: <c>ignoring IKE request from ...</c>,
/// <see cref="IkeEvent.Phase1"/> null) or no mode-cfg address left for it (log: <c>mode-cfg: no address left in pool ...</c>).
/// </summary>
public sealed record PeerRefused : IkeEvent
{
    /// <summary>Why, without the peer (e.g. <c>no phase1 configured for this peer</c>, <c>mode-cfg: no address left in pool a-b</c>).</summary>
    public required string Reason { get; init; }

    public string? PeerIdentity { get; init; }
}
