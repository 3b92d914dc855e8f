namespace SharpSwan.Ike.Events;

/// <summary>
/// The lifetimes a new child SA got as it was installed (log: <c>set sa life soft seconds=s. hard seconds=h.</c>): the hard
/// lifetime as configured, the soft point before it (earlier on the side that created the SA, with jitter).
/// </summary>
public sealed record ChildSaLifetimeSet : ChildSaEvent
{
    public required int SoftSeconds { get; init; }
    public required int HardSeconds { get; init; }
}
