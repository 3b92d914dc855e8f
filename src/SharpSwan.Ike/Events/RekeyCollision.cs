namespace SharpSwan.Ike.Events;

/// <summary>
/// Both ends rekeyed the same SA at once and the nonces decided which new SA stays (RFC 7296 §2.8.1, §2.8.2; log:
/// <c>rekey collision: keeping ...</c> for a child SA, <c>IKE rekey collision: ...</c> for the IKE SA).
/// </summary>
public sealed record RekeyCollision : IkeEvent
{
    /// <summary>True for the IKE SA, false for a child SA.</summary>
    public required bool IkeSa { get; init; }
    /// <summary>For a child SA: its phase 2.</summary>
    public string? Phase2 { get; init; }
}
