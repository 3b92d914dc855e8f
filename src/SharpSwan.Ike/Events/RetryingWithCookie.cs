namespace SharpSwan.Ike.Events;

/// <summary>The responder asked for a COOKIE: we send our IKE_SA_INIT again with it (log: <c>peer asked for a COOKIE, retrying with it</c>).</summary>
public sealed record RetryingWithCookie : IkeEvent
{
}
