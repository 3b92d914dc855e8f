namespace SharpSwan.Ike.Events;

/// <summary>
/// One of our requests went unanswered through all its retransmissions (log: <c>label: no response from peer after n
/// retransmissions, giving up</c>). What that means for the SA follows as its own event (a failure, or the end of a rekeyed SA).
/// </summary>
public sealed record ExchangeTimedOut : IkeEvent
{
    /// <summary>The exchange as the log names it (e.g. <c>AUTH</c>, <c>CREATE_CHILD rekey p2</c>, <c>DPD</c>).</summary>
    public required string Exchange { get; init; }

    public required int Retransmits { get; init; }
}
