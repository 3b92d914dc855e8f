namespace SharpSwan.Ike.Events;

/// <summary>A dial-up instance (<see cref="IkeEvent.Phase1"/>) is gone, after its last IKE SA.</summary>
public sealed record DialupInstanceRemoved : IkeEvent
{
    public required string Template { get; init; }
}
