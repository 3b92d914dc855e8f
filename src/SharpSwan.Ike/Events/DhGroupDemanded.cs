namespace SharpSwan.Ike.Events;

/// <summary>
/// As responder, we answered INVALID_KE_PAYLOAD: the peer's key exchange used a group we accept but do not prefer (log:
/// <c>peer p sent DH group a, asking for b</c>).
/// </summary>
public sealed record DhGroupDemanded : IkeEvent
{
    public required int Offered { get; init; }
    public required int Wanted { get; init; }
}
