namespace SharpSwan.Ike.Events;

/// <summary>Why a new IKE_SA_INIT request was dropped unanswered before any state or Diffie-Hellman work.</summary>
public enum InitRequestDropReason
{
    /// <summary>Larger than any IKE_SA_INIT SharpSwan accepts (it cannot be fragmented, so a real one is small).</summary>
    TooLarge,

    /// <summary>As many half-open IKE SAs exist as <c>ike-embryonic-limit</c> allows.</summary>
    HalfOpenLimit,

    /// <summary>The source address already has <c>ike-embryonic-limit-per-source</c> half-open IKE SAs.</summary>
    SourceLimit,
}
