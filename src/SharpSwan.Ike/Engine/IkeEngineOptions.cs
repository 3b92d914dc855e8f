using System.Net;
using SharpSwan.Config;

namespace SharpSwan.Ike.Engine;

/// <summary>Engine-wide knobs; the per-tunnel settings come from the configuration.</summary>
public sealed record IkeEngineOptions
{
    /// <summary>Resolves the local address a phase 1 speaks from (local-gw, or its interface's primary IPv4).</summary>
    public required Func<Phase1Settings, IPAddress?> LocalAddressResolver { get; init; }

    /// <summary>
    /// Half-open IKE SAs from which IKE_SA_INIT requests must carry a valid COOKIE (RFC 7296 §2.6), overriding the
    /// configuration's <c>ike-cookie-threshold</c> (tests); null: the configuration decides.
    /// </summary>
    public int? CookieThreshold { get; init; }

    /// <summary>First retransmission timeout; doubles on each retry.</summary>
    public TimeSpan RetransmitTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Retransmissions of one request before the peer is declared dead.</summary>
    public int RetransmitLimit { get; init; } = 5;

    /// <summary>FortiOS retries auto-negotiate phase 2s every five seconds.</summary>
    public TimeSpan AutoNegotiateInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The host's own IPv4 DNS servers, asked whenever a mode-cfg client of a phase 1 with <c>dns-mode auto</c> is answered
    /// (a FortiGate pushes its system DNS there); the gateway reads the host's resolver configuration. None by default.
    /// </summary>
    public Func<IReadOnlyList<IPAddress>> SystemDnsServers { get; init; } = () => [];

    public int IkePort { get; init; } = 500;

    public int NatTraversalPort { get; init; } = 4500;

    /// <summary>
    /// Checks the timer index against a full walk of every SA and tunnel at each Tick and NextDeadline, and throws when
    /// the index would miss a timer (tests and the simulation; O(SAs) per call, so off in the gateway).
    /// </summary>
    public bool VerifyTimerIndex { get; init; }
}
