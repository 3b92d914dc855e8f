using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Ike.Events;

/// <summary>
/// The peer's certificate did not pass: untrusted, out of date, revoked by a configured CRL, or not allowed to sign. Published
/// just before the <see cref="AuthenticationFailed"/> (we are responder) or <see cref="NegotiationFailed"/> (initiator) that
/// ends the exchange, whose reason (and so the event log) carries the same words as <see cref="Reason"/>.
/// </summary>
public sealed record PeerCertificateRefused : IkeEvent
{
    public required CertificateProblem Problem { get; init; }

    /// <summary>The refused certificate's subject.</summary>
    public required string Subject { get; init; }

    /// <summary>Why, in words (e.g. <c>certificate CN=x (serial 0A) is revoked since ... by the CRL of CN=ca</c>).</summary>
    public required string Reason { get; init; }
}
