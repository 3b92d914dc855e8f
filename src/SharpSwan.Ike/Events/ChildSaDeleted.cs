namespace SharpSwan.Ike.Events;

/// <summary>A child SA pair was removed from the engine (log: <c>deleted IPsec SA: SPIs=in/out (reason)</c>).</summary>
public sealed record ChildSaDeleted : ChildSaEvent
{
    /// <summary>Why: <c>rekeyed</c>, <c>deleted by peer</c>, <c>expired</c>, <c>duplicate</c>, ...</summary>
    public required string Reason { get; init; }

    /// <summary>The peer's DELETE removed it.</summary>
    public required bool ByPeer { get; init; }
}
