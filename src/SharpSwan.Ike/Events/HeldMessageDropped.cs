namespace SharpSwan.Ike.Events;

/// <summary>
/// A datagram for an IKE SA that came while the SA waited for its public-key work was dropped unread (it would have been
/// taken once the work was back). Nothing in it was acted on; it was not even verified.
/// </summary>
public sealed record HeldMessageDropped : IkeEvent
{
    /// <summary>The IKE major version of its header (1 or 2).</summary>
    public required int Version { get; init; }

    /// <summary>The exchange type octet of its header (an IKEv2 <see cref="SharpSwan.Ike.Wire.ExchangeType"/> or an ISAKMP exchange).</summary>
    public required byte Exchange { get; init; }

    /// <summary>The message ID of its header.</summary>
    public required uint MessageId { get; init; }

    public required HeldMessageDropReason Reason { get; init; }
}
