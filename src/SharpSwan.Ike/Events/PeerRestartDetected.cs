namespace SharpSwan.Ike.Events;

/// <summary>
/// The peer authenticated with INITIAL_CONTACT while we still held SAs from it: it restarted, and what we held is removed.
/// For a dial-up peer <see cref="IkeEvent.Phase1"/> names the stale instance being removed.
/// </summary>
public sealed record PeerRestartDetected : IkeEvent
{
    public required string PeerIdentity { get; init; }

    /// <summary>SPIs (<c>i/r</c>) of the stale IKE SA removed, when there was one.</summary>
    public string? StaleSpis { get; init; }
}
