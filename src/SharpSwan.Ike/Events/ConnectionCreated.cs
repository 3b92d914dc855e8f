namespace SharpSwan.Ike.Events;

/// <summary>We started a new IKE SA to the peer (log: <c>created connection: local->remote (reason)</c>).</summary>
public sealed record ConnectionCreated : IkeEvent
{
    /// <summary>What asked for it: <c>traffic</c>, <c>auto-negotiate</c>, <c>manual</c>, ...</summary>
    public required string Reason { get; init; }
}
