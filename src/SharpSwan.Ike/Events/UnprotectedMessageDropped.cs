using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Events;

/// <summary>
/// A message for a known IKE SA that did not arrive inside a verified Encrypted payload was dropped unanswered (issue 11,
/// RFC 7296 §3.14): after IKE_SA_INIT every message must carry SK as its only outer payload and pass its integrity check.
/// Whoever sent it can see the SPIs but has no keys, so nothing in it was acted on: no Delete, notify, NAT-T move or
/// message-ID change.
/// </summary>
public sealed record UnprotectedMessageDropped : IkeEvent
{
    public required ulong InitiatorSpi { get; init; }

    public required ulong ResponderSpi { get; init; }

    public required ExchangeType Exchange { get; init; }

    public required uint MessageId { get; init; }

    public required bool IsResponse { get; init; }

    public required UnprotectedMessageReason Reason { get; init; }
}
