namespace SharpSwan.Crypto.Certificates;

/// <summary>Outcome of <see cref="TrustStore.Validate"/>: whether the chain is trusted and, either way, why.</summary>
public sealed record CertificateVerdict(bool Trusted, string Reason);
