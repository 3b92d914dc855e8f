using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Events;

/// <summary>
/// A protected message would not fit <c>fragmentation-mtu</c>, and both ends announced RFC 7383 support: it went out as
/// <see cref="Fragments"/> Encrypted Fragment messages, each sealed on its own (a retransmission resends them all).
/// </summary>
public sealed record IkeMessageFragmented : IkeEvent
{
    public required ExchangeType Exchange { get; init; }

    public required uint MessageId { get; init; }

    public required bool IsResponse { get; init; }

    public required int Fragments { get; init; }

    /// <summary>The largest fragment's IP datagram, IP and UDP headers and the non-ESP marker counted.</summary>
    public required int LargestDatagram { get; init; }
}
