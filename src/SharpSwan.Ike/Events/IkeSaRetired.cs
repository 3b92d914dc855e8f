namespace SharpSwan.Ike.Events;

/// <summary>
/// An established IKE SA stopped being its tunnel's IKE SA while it still exists: a rekey replaced it and its DELETE is
/// pending (or the peer is expected to send one). <see cref="IkeSaDeleted"/> follows when it is gone.
/// </summary>
public sealed record IkeSaRetired : IkeEvent
{
    /// <summary>SPIs (<c>i/r</c>) of the retired IKE SA.</summary>
    public required string Spis { get; init; }

    /// <summary>Why: <c>rekeyed</c>, <c>rekeyed by peer</c>, <c>peer's rekey won the collision</c>.</summary>
    public required string Reason { get; init; }
}
