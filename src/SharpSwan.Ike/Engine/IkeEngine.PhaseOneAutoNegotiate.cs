using SharpSwan.Config;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Phase 1 <c>auto-negotiate</c> (FortiOS default enable): a static phase 1 brings its IKE SA up at start and again
/// whenever it goes down, even when no phase 2 asks for one (phase 2 auto-negotiate or traffic). An IKEv2 IKE_AUTH always
/// carries a child, so the phase 1's first phase 2 rides along; when that child later expires the IKE SA stays.
/// With <c>disable</c> only a phase 2 (auto-negotiate, traffic, CLI) or the peer starts the IKE SA.
/// </summary>
public sealed partial class IkeEngine
{
    // Set by Start: an engine driven by hand (unit tests) initiates only when told to.
    private bool _started;

    /// <summary>
    /// True when phase 1 auto-negotiate has to keep this tunnel's IKE SA up itself: enabled, a phase 1 that initiates,
    /// a policy that allows it, and no phase 2 auto-negotiate that already does (that one retries on its own).
    /// </summary>
    private bool KeepsIkeSaUp(TunnelRuntime tunnel) =>
        _started
        && tunnel.Settings.AutoNegotiate
        && tunnel.Settings.Type != Phase1Type.Dynamic
        && !tunnel.IsDialupInstance
        && tunnel.Phase2.Count > 0
        && !tunnel.Phase2.Any(p => p.AutoNegotiate)
        && !_stopping
        && PolicyAllows(tunnel);

    /// <summary>Starts the IKE SA of a tunnel that phase 1 auto-negotiate keeps up and that has none, once its retry is due.</summary>
    private void RetryPhaseOneAutoNegotiate(TunnelRuntime tunnel, DateTimeOffset now)
    {
        if (tunnel.Current is not null || !KeepsIkeSaUp(tunnel))
        {
            return;
        }

        if (tunnel.NextIkeAttempt is { } due && now < due)
        {
            return;
        }

        var carrier = tunnel.Phase2[0];
        tunnel.NextIkeAttempt = now + _options.AutoNegotiateInterval;
        _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"auto-negotiate phase1 (carrying {carrier.Name})");
        Publish(tunnel, new Phase1AutoNegotiateAttempted { Phase2 = carrier.Name });
        RequestChild(tunnel, carrier, reason: "phase1 auto-negotiate");
    }

    /// <summary>When this tunnel's phase 1 auto-negotiate attempt is due (null: none), for the timer index.</summary>
    private DateTimeOffset? PhaseOneAttemptDue(TunnelRuntime tunnel) =>
        tunnel.Current is null && KeepsIkeSaUp(tunnel) ? tunnel.NextIkeAttempt ?? Now : null;
}
