using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Events;

/// <summary>Every fragment of a peer's message arrived and verified: the message was put together and handled as one.</summary>
public sealed record IkeMessageReassembled : IkeEvent
{
    public required ExchangeType Exchange { get; init; }

    public required uint MessageId { get; init; }

    public required bool IsResponse { get; init; }

    public required int Fragments { get; init; }
}
