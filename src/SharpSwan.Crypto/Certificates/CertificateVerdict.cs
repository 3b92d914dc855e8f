namespace SharpSwan.Crypto.Certificates;

/// <summary>Outcome of <see cref="TrustStore.Validate"/>: whether the chain is trusted and, either way, why.</summary>
public sealed record CertificateVerdict(bool Trusted, string Reason)
{
    /// <summary>What was wrong, when not trusted.</summary>
    public CertificateProblem Problem { get; init; } = Trusted ? CertificateProblem.None : CertificateProblem.Untrusted;

    /// <summary>SHA-256 thumbprints (hex) of the validated chain, leaf first, when trusted: which CAs it passed through.</summary>
    public IReadOnlyList<string> ChainThumbprints { get; init; } = [];
}
