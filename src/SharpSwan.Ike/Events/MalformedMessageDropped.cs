using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Events;

/// <summary>
/// A datagram that did not parse as the IKE message it claimed to be was dropped unanswered (log: <c>dropped n bytes from
/// peer: too short for IKE</c>, <c>dropped request: ...</c>, <c>dropped response: ...</c>, <c>dropped SA_INIT ...</c>).
/// </summary>
public sealed record MalformedMessageDropped : IkeEvent
{
    /// <summary>Why it did not parse; <see cref="IkeParseError.Truncated"/> for a datagram shorter than the IKE header.</summary>
    public required IkeParseError Error { get; init; }
    public required bool IsResponse { get; init; }
}
