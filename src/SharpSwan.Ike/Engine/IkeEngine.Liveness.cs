using SharpSwan.Config;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Dead peer detection (phase 1 `dpd`, `dpd-retryinterval`, `dpd-retrycount`) and `idle-timeout`.
/// A dead peer takes its IKE SA and child SAs with it; auto-negotiate phase 2s then retry every 5 s.
/// </summary>
public sealed partial class IkeEngine
{
    private void CheckLiveness(IkeSa sa, DateTimeOffset now)
    {
        var settings = sa.Tunnel.Settings;
        if (sa.State != IkeSaState.Established || sa.Tunnel.Current != sa)
        {
            return;
        }

        var (lastInbound, lastOutbound, lastTraffic) = LastHeard(sa);

        if (settings.IdleTimeout)
        {
            var idleLimit = TimeSpan.FromMinutes(settings.IdleTimeoutIntervalMinutes);
            var lastUse = lastTraffic is { } t && t > sa.EstablishedAt ? t : sa.EstablishedAt ?? sa.CreatedAt;
            if (now - lastUse >= idleLimit)
            {
                _log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"idle for {(int)idleLimit.TotalMinutes} minutes: bringing the tunnel down (idle-timeout)");
                DeleteIkeSa(sa, notifyPeer: true, reason: "idle-timeout");
                return;
            }
        }

        if (settings.Dpd == DpdMode.Disable || !sa.Window.IsFree || sa.Window.Jobs.Count > 0)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(EngineTimings.MinLivenessStep.TotalSeconds, settings.DpdRetryIntervalSeconds));
        if (now - lastInbound < interval || (sa.LastDpdProbe is { } probe && now - probe < interval))
        {
            return;
        }

        // on-idle: probe whenever the peer has been silent; on-demand: only when we sent and heard nothing back.
        var wanted = settings.Dpd == DpdMode.OnIdle || (lastOutbound is { } sent && sent > lastInbound);
        if (!wanted)
        {
            return;
        }

        sa.LastDpdProbe = now;
        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"DPD: peer silent for {(int)(now - lastInbound).TotalSeconds}s, sending a liveness check");
        SendRequest(
            sa,
            ExchangeType.Informational,
            [],
            "DPD",
            new LivenessRequest(settings.DpdRetryCount),
            fixedInterval: interval,
            limit: settings.DpdRetryCount);
    }

    /// <summary>When the peer was last heard (IKE or ESP), when we last sent ESP, and the last ESP either way, over all children.</summary>
    private (DateTimeOffset Inbound, DateTimeOffset? Outbound, DateTimeOffset? Traffic) LastHeard(IkeSa sa)
    {
        var lastInbound = sa.LastInbound;
        DateTimeOffset? lastOutbound = null;
        DateTimeOffset? lastTraffic = null;
        foreach (var child in sa.Children)
        {
            var activity = _host.GetActivity(child.InboundSpi, child.OutboundSpi);
            if (activity.LastInbound is { } inbound && inbound > lastInbound)
            {
                lastInbound = inbound;
            }

            if (activity.LastOutbound is { } outbound && (lastOutbound is null || outbound > lastOutbound))
            {
                lastOutbound = outbound;
            }

            if (activity.LastAny is { } any && (lastTraffic is null || any > lastTraffic))
            {
                lastTraffic = any;
            }
        }

        return (lastInbound, lastOutbound, lastTraffic);
    }

    private DateTimeOffset? NextLivenessCheck(IkeSa sa)
    {
        var settings = sa.Tunnel.Settings;
        if (sa.State != IkeSaState.Established || (settings.Dpd == DpdMode.Disable && !settings.IdleTimeout))
        {
            return null;
        }

        // Traffic timestamps live in the data plane, so look again once per retry interval (at most every 5 s for idle checks).
        var step = TimeSpan.FromSeconds(Math.Max(EngineTimings.MinLivenessStep.TotalSeconds, Math.Min(settings.DpdRetryIntervalSeconds, settings.Dpd == DpdMode.Disable ? EngineTimings.IdleCheckInterval.TotalSeconds : settings.DpdRetryIntervalSeconds)));
        var last = sa.LastDpdProbe is { } probe && probe > sa.LastInbound ? probe : sa.LastInbound;
        var next = last + step;
        return next > Now ? next : Now + EngineTimings.MinLivenessStep;
    }
}
