namespace SharpSwan.Ike.Events;

/// <summary>
/// A child SA stopped being its phase 2's current SA while it still exists: a newer SA replaced it (rekey, or the duplicate
/// rule kept the other one), or a DELETE for it is under way. It may go on decrypting stragglers until
/// <see cref="ChildSaDeleted"/> follows. Published once when the SA leaves use, not again on its later steps.
/// </summary>
public sealed record ChildSaRetired : ChildSaEvent
{
    /// <summary>Why: <c>rekeyed</c>, <c>superseded by the peer's rekey</c>, <c>duplicate</c>, <c>deleting: ...</c>.</summary>
    public required string Reason { get; init; }
}
