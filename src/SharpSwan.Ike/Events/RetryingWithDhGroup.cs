namespace SharpSwan.Ike.Events;

/// <summary>
/// The peer answered INVALID_KE_PAYLOAD and we retry with the group it wants (log: <c>peer wants DH group n: retrying</c>
/// for IKE_SA_INIT, <c>peer wants DH group n for p2: retrying</c> for CREATE_CHILD_SA).
/// </summary>
public sealed record RetryingWithDhGroup : IkeEvent
{
    public required int DhGroup { get; init; }
    /// <summary>The phase 2 for a CREATE_CHILD_SA retry; null for IKE_SA_INIT.</summary>
    public string? Phase2 { get; init; }
}
