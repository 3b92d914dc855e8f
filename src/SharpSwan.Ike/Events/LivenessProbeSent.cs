namespace SharpSwan.Ike.Events;

/// <summary>Dead peer detection found the peer silent and sent a liveness check (log: <c>DPD: peer silent for ns, sending a liveness check</c>).</summary>
public sealed record LivenessProbeSent : IkeEvent
{
    /// <summary>How long nothing had come from the peer.</summary>
    public required TimeSpan SilentFor { get; init; }
}
