namespace SharpSwan.Ike.Events;

/// <summary>Auto-negotiate found a phase 2 without a usable SA and started bringing it up (log: <c>auto-negotiate connection p2</c>).</summary>
public sealed record AutoNegotiateAttempted : IkeEvent
{
    public required string Phase2 { get; init; }
}
