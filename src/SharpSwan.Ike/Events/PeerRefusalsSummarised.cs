namespace SharpSwan.Ike.Events;

/// <summary>
/// Refusals (<see cref="PeerRefused"/> without a tunnel) that came too fast to be logged one by one: after the first few of a
/// window, each is only counted, and this reports the count once the window ends (log: <c>n more requests refused since
/// t: reason</c>). Together with the <see cref="PeerRefused"/> events it accounts for every refusal.
/// </summary>
public sealed record PeerRefusalsSummarised : IkeEvent
{
    /// <summary>The reason shared by the refusals, as in <see cref="PeerRefused.Reason"/>.</summary>
    public required string Reason { get; init; }

    /// <summary>How many refusals were counted without being logged or published one by one.</summary>
    public required long Count { get; init; }

    /// <summary>When the first of them happened.</summary>
    public required DateTimeOffset Since { get; init; }
}
