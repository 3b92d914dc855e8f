using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Events;

/// <summary>
/// A negotiation failed (log: <c>negotiation failure[ for phase2]: reason</c>, <c>no phase2 matches peer selectors ...</c>,
/// <c>IKE rekey failed: ...</c>, <c>cannot negotiate: ...</c>). Dead peers publish <see cref="DpdFailed"/> and refused
/// authentications <see cref="AuthenticationFailed"/> instead.
/// </summary>
public sealed record NegotiationFailed : IkeEvent
{
    public required NegotiationStage Stage { get; init; }

    /// <summary>The phase 2 concerned, for a child SA failure where it is known.</summary>
    public string? Phase2 { get; init; }

    /// <summary>The error notify involved, if any.</summary>
    public NotifyType? Notify { get; init; }

    /// <summary>True when we sent <see cref="Notify"/> (we refused); false when the peer answered with it.</summary>
    public bool NotifySent { get; init; }

    /// <summary>
    /// The child SA failed because of our <c>esn require</c>: the peer offered, or accepted, no extended sequence numbers.
    /// </summary>
    public bool EsnRequired { get; init; }

    /// <summary>Why, as the log line gives it after its prefix (e.g. <c>peer answered NO_PROPOSAL_CHOSEN</c>, <c>negotiation timeout</c>).</summary>
    public required string Reason { get; init; }
}
