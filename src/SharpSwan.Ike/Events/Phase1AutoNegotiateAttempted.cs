namespace SharpSwan.Ike.Events;

/// <summary>
/// Phase 1 <c>auto-negotiate enable</c> found the IKE SA down with no phase 2 asking for it and started bringing it up,
/// carrying <see cref="Phase2"/> (the phase 1's first phase 2) in IKE_AUTH because an IKEv2 SA needs one child.
/// </summary>
public sealed record Phase1AutoNegotiateAttempted : IkeEvent
{
    public required string Phase2 { get; init; }
}
