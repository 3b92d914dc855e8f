namespace SharpSwan.Ike.Events;

/// <summary>A response came for a message ID we have no request outstanding for, e.g. a duplicate (log: <c>ignoring response id n: not outstanding</c>).</summary>
public sealed record ResponseIgnored : IkeEvent
{
    public required uint MessageId { get; init; }
}
