namespace SharpSwan.Ike.Events;

/// <summary>As responder, we took up the peer's request to rekey one of our child SAs (log: <c>responder: peer rekeys p2 SPI s</c>).</summary>
public sealed record PeerChildRekeyAccepted : IkeEvent
{
    public required string Phase2 { get; init; }
    /// <summary>The inbound SPI of the SA the peer rekeys.</summary>
    public required uint RekeyOf { get; init; }
}
