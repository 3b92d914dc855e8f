namespace SharpSwan.Ike.Events;

/// <summary>An established IKE SA is gone, with its child SAs (log: <c>IKE SA i/r deleted (reason)</c>).</summary>
public sealed record IkeSaDeleted : IkeEvent
{
    /// <summary>SPIs (<c>i/r</c>) of the deleted IKE SA.</summary>
    public required string Spis { get; init; }

    /// <summary>Why: <c>rekeyed</c>, <c>deleted by peer</c>, <c>idle-timeout</c>, a failure reason, ...</summary>
    public required string Reason { get; init; }
}
