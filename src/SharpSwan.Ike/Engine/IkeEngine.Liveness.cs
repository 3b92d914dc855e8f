using SharpSwan.Config;
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

        var lastInbound = sa.LastInbound;
        DateTimeOffset? lastOutbound = null;
        DateTimeOffset? lastTraffic = null;
        foreach (var child in sa.Children)
        {
            var activity = host.GetActivity(child.InboundSpi, child.OutboundSpi);
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

        if (settings.IdleTimeout)
        {
            var idleLimit = TimeSpan.FromMinutes(settings.IdleTimeoutIntervalMinutes);
            var lastUse = lastTraffic is { } t && t > sa.EstablishedAt ? t : sa.EstablishedAt ?? sa.CreatedAt;
            if (now - lastUse >= idleLimit)
            {
                log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"idle for {(int)idleLimit.TotalMinutes} minutes: bringing the tunnel down (idle-timeout)");
                DeleteIkeSa(sa, notifyPeer: true, reason: "idle-timeout");
                return;
            }
        }

        if (settings.Dpd == DpdMode.Disable || sa.Outstanding is not null || sa.Queue.Count > 0)
        {
            return;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(1, settings.DpdRetryIntervalSeconds));
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
        log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"DPD: peer silent for {(int)(now - lastInbound).TotalSeconds}s, sending a liveness check");
        SendRequest(
            sa,
            ExchangeType.Informational,
            [],
            "DPD",
            _ => log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "DPD: peer is alive"),
            () => FailDeadPeer(sa, settings.DpdRetryCount),
            fixedInterval: interval,
            limit: settings.DpdRetryCount);
    }

    private DateTimeOffset? NextLivenessCheck(IkeSa sa)
    {
        var settings = sa.Tunnel.Settings;
        if (sa.State != IkeSaState.Established || (settings.Dpd == DpdMode.Disable && !settings.IdleTimeout))
        {
            return null;
        }

        // Traffic timestamps live in the data plane, so look again once per retry interval (at most every 5 s for idle checks).
        var step = TimeSpan.FromSeconds(Math.Max(1, Math.Min(settings.DpdRetryIntervalSeconds, settings.Dpd == DpdMode.Disable ? 60 : settings.DpdRetryIntervalSeconds)));
        var last = sa.LastDpdProbe is { } probe && probe > sa.LastInbound ? probe : sa.LastInbound;
        var next = last + step;
        return next > Now ? next : Now + TimeSpan.FromSeconds(1);
    }
}
