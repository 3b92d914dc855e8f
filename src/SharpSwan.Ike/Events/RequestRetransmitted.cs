namespace SharpSwan.Ike.Events;

/// <summary>One of our requests went unanswered for its interval and was sent again (log: <c>label: retransmission n to peer</c>).</summary>
public sealed record RequestRetransmitted : IkeEvent
{
    /// <summary>The exchange as the log names it (e.g. <c>AUTH</c>, <c>CREATE_CHILD rekey p2</c>, <c>DPD</c>).</summary>
    public required string Exchange { get; init; }
    /// <summary>Which retransmission this is, from 1.</summary>
    public required int Attempt { get; init; }
}
