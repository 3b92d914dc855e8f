namespace SharpSwan.Ike.Engine;

/// <summary>
/// Gateway-wide IKE counters (`diagnose vpn ike stats`). Written on the engine's thread only; read there too (the
/// gateway reads them through its engine loop).
/// </summary>
public sealed class IkeStatistics
{
    /// <summary>Messages for a known IKE SA whose first payload was not SK (or that came before its keys): dropped unanswered.</summary>
    public long UnprotectedDropped { get; internal set; }

    /// <summary>Messages whose SK payload was malformed or failed its integrity check: dropped unanswered.</summary>
    public long IntegrityFailed { get; internal set; }

    /// <summary>Our protected messages sent as RFC 7383 fragments because they would not fit fragmentation-mtu.</summary>
    public long MessagesFragmented { get; internal set; }

    /// <summary>Peer messages put together from verified fragments.</summary>
    public long MessagesReassembled { get; internal set; }

    /// <summary>Fragments dropped: unverified, malformed, unexpected, duplicate, over a cap or stale (each published with why).</summary>
    public long FragmentsDropped { get; internal set; }

    /// <summary>Messages that came while their IKE SA computed and were not kept for later: over the hold cap, or the SA went.</summary>
    public long HeldMessagesDropped { get; internal set; }

    /// <summary>IKE_SA_INIT requests answered with a COOKIE instead of state (RFC 7296 §2.6).</summary>
    public long CookiesSent { get; internal set; }

    /// <summary>IKE_SA_INIT requests whose COOKIE was not ours, or made with a secret older than the previous one.</summary>
    public long CookiesRejected { get; internal set; }

    /// <summary>IKE_SA_INIT requests over the size cap, dropped unread.</summary>
    public long InitTooLarge { get; internal set; }

    /// <summary>IKE_SA_INIT requests dropped because <c>ike-embryonic-limit</c> half-open SAs existed.</summary>
    public long InitHalfOpenLimit { get; internal set; }

    /// <summary>IKE_SA_INIT requests dropped because their source had <c>ike-embryonic-limit-per-source</c> half-open SAs.</summary>
    public long InitSourceLimit { get; internal set; }

    /// <summary>Requests refused before any tunnel took them (no phase 1 for the peer, an IKEv1 exchange we do not start).</summary>
    public long PeersRefused { get; internal set; }

    /// <summary>Of <see cref="PeersRefused"/>, those only counted (not logged one by one) during a flood; summarised later.</summary>
    public long RefusalsNotLogged { get; internal set; }

    /// <summary>The version of the COOKIE secret in use (it rotates; the one before is still accepted).</summary>
    public int CookieSecretVersion { get; internal set; }
}
