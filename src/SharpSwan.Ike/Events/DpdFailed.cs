namespace SharpSwan.Ike.Events;

/// <summary>
/// Dead peer detection gave up: the peer answered none of the probes, and the IKE SA goes with its child SAs (log:
/// <c>negotiation failure: dead peer: ...</c>). Published instead of a <see cref="NegotiationFailed"/>.
/// </summary>
public sealed record DpdFailed : IkeEvent
{
    public required int Probes { get; init; }

    /// <summary>The reason as the log line gives it (<c>dead peer: no answer to N DPD probes</c>).</summary>
    public required string Reason { get; init; }
}
