namespace SharpSwan.Ike.Events;

/// <summary>
/// Too many half-open IKE SAs: as responder we answered an IKE_SA_INIT with a COOKIE instead of keeping state (RFC 7296
/// §2.6; log: <c>n half-open IKE SAs: asking peer for a COOKIE</c>). The peer is <see cref="IkeEvent.Remote"/>.
/// </summary>
public sealed record CookieDemanded : IkeEvent
{
    public required int HalfOpen { get; init; }
}
