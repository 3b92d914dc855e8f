namespace SharpSwan.Ike.Events;

/// <summary>
/// We refused a peer's IKE_AUTH as responder and answered AUTHENTICATION_FAILED (log: <c>authentication failed: reason</c>).
/// The peer is <see cref="IkeEvent.Remote"/>. (When our own IKE_AUTH request is refused, or the responder's AUTH does not
/// check out, that is a <see cref="NegotiationFailed"/> at <see cref="NegotiationStage.IkeAuth"/>.)
/// </summary>
public sealed record AuthenticationFailed : IkeEvent
{
    /// <summary>Why, without the peer (e.g. <c>PSK auth failed: probable pre-shared key mismatch</c>).</summary>
    public required string Reason { get; init; }

    /// <summary>The identity the peer claimed, when it got that far.</summary>
    public string? PeerIdentity { get; init; }
}
