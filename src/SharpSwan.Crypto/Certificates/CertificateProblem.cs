namespace SharpSwan.Crypto.Certificates;

/// <summary>Why a peer certificate was refused, for typed events (the verdict's reason says it in words).</summary>
public enum CertificateProblem
{
    /// <summary>Accepted.</summary>
    None,

    /// <summary>The chain does not end at a configured CA, is too long, or does not parse.</summary>
    Untrusted,

    /// <summary>A certificate of the chain is outside its validity period.</summary>
    OutsideValidity,

    /// <summary>A bad signature or a misused CA in the chain.</summary>
    Invalid,

    /// <summary>The leaf's keyUsage does not allow digitalSignature, so it may not sign IKE AUTH.</summary>
    KeyUsage,

    /// <summary>A configured CRL of its issuer lists a certificate of the chain.</summary>
    Revoked,

    /// <summary>Trusted, but not the peer the phase 1's <c>peer</c>/<c>peergrp</c> (config user peer) names.</summary>
    PeerMismatch,
}
