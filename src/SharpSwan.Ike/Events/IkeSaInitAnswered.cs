namespace SharpSwan.Ike.Events;

/// <summary>As responder, we accepted a peer's IKE_SA_INIT and answered it (log: <c>responder: SA_INIT from peer, negotiation result: ...</c>).</summary>
public sealed record IkeSaInitAnswered : IkeEvent
{
    /// <summary>The chosen IKE proposal as FortiOS names it.</summary>
    public required string Proposal { get; init; }
    public required int DhGroup { get; init; }
}
