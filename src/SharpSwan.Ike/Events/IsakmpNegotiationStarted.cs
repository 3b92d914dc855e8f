namespace SharpSwan.Ike.Events;

/// <summary>
/// An IKEv1 phase 1 began: as initiator we sent main or aggressive mode's first message, or as responder we answered a
/// peer's first message with a chosen proposal. IKEv1's counterpart of <see cref="IkeSaInitSent"/>/<see cref="IkeSaInitAnswered"/>.
/// </summary>
public sealed record IsakmpNegotiationStarted : IkeEvent
{
    public required bool AsInitiator { get; init; }

    /// <summary>"main" or "aggressive", as FortiOS's <c>mode</c> setting names the exchange.</summary>
    public required string Mode { get; init; }
}
