namespace SharpSwan.Ike.Events;

/// <summary>
/// The peer repeated a request we had answered, and we sent the cached answer again without processing it twice (log:
/// <c>retransmitting response to duplicate request id n</c>, or <c>retransmitting SA_INIT response</c>).
/// </summary>
public sealed record ResponseRetransmitted : IkeEvent
{
    public required uint MessageId { get; init; }
    /// <summary>The repeated request was an IKE_SA_INIT (answered from the half-open SA).</summary>
    public required bool SaInit { get; init; }
}
