namespace SharpSwan.Ike.Events;

/// <summary>A peer authenticated on a dial-up phase 1 and got its own instance (<see cref="IkeEvent.Phase1"/>), before its SAs.</summary>
public sealed record DialupInstanceCreated : IkeEvent
{
    /// <summary>The dynamic phase 1 it was made from.</summary>
    public required string Template { get; init; }
}
