using SharpSwan.Config;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Dead peer detection (phase 1 `dpd`, `dpd-retryinterval`, `dpd-retrycount`) as an empty INFORMATIONAL, and `idle-timeout`.
/// The peer's liveness checks are answered by <see cref="InformationalExchange"/> (an empty request gets an empty answer).
/// </summary>
internal sealed class LivenessExchange(IExchangeContext context)
{
    /// <summary>Sends a probe when the peer has been silent for the retry interval; the outcome says whether the SA is idle.</summary>
    public LivenessOutcome Check(IkeSa sa, DateTimeOffset now)
    {
        var settings = sa.Tunnel.Settings;
        if (sa.State != IkeSaState.Established || sa.Tunnel.Current != sa)
        {
            return LivenessOutcome.Nothing;
        }

        var (lastInbound, lastOutbound, lastTraffic) = LastHeard(sa);
        if (settings.IdleTimeout)
        {
            var idleLimit = TimeSpan.FromMinutes(settings.IdleTimeoutIntervalMinutes);
            var lastUse = lastTraffic is { } t && t > sa.EstablishedAt ? t : sa.EstablishedAt ?? sa.CreatedAt;
            if (now - lastUse >= idleLimit)
            {
                context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"idle for {(int)idleLimit.TotalMinutes} minutes: bringing the tunnel down (idle-timeout)");
                return LivenessOutcome.Idle;
            }
        }

        // IKEv1 probes only a peer that announced RFC 3706 (its DPD vendor ID); IKEv2 peers always answer.
        if (settings.Dpd == DpdMode.Disable || !sa.MaySendRequest || sa.Window.Jobs.Count > 0 || sa.V1 is { PeerDpd: false })
        {
            return LivenessOutcome.Nothing;
        }

        var interval = TimeSpan.FromSeconds(Math.Max(EngineTimings.MinLivenessStep.TotalSeconds, settings.DpdRetryIntervalSeconds));
        if (now - lastInbound < interval || (sa.LastDpdProbe is { } probe && now - probe < interval))
        {
            return LivenessOutcome.Nothing;
        }

        // on-idle: probe whenever the peer has been silent; on-demand: only when we sent and heard nothing back.
        var wanted = settings.Dpd == DpdMode.OnIdle || (lastOutbound is { } sent && sent > lastInbound);
        if (!wanted)
        {
            return LivenessOutcome.Nothing;
        }

        sa.LastDpdProbe = now;
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"DPD: peer silent for {(int)(now - lastInbound).TotalSeconds}s, sending a liveness check");
        context.Publish(sa, new LivenessProbeSent { SilentFor = now - lastInbound });
        context.SendLivenessProbe(sa, new LivenessRequest(settings.DpdRetryCount), interval);
        return LivenessOutcome.Probing;
    }

    /// <summary>The peer answered our probe.</summary>
    public void Answered(IkeSa sa) =>
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "DPD: peer is alive");

    /// <summary>All probes went unanswered: the same log line as any failure, published as a DPD failure; the SA goes.</summary>
    public void TimedOut(IkeSa sa, LivenessRequest request)
    {
        var reason = $"dead peer: no answer to {request.Probes} DPD probes";
        context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"negotiation failure: {reason}");
        context.Publish(sa, new DpdFailed { Probes = request.Probes, Reason = reason });
        context.RemoveIkeSa(sa, reason);
    }

    /// <summary>When the liveness of the SA is next worth a look; null when neither DPD nor idle-timeout is on.</summary>
    public DateTimeOffset? NextCheck(IkeSa sa)
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
        var now = context.Now;
        return next > now ? next : now + EngineTimings.MinLivenessStep;
    }

    /// <summary>When the peer was last heard (IKE or ESP), when we last sent ESP, and the last ESP either way, over all children.</summary>
    private (DateTimeOffset Inbound, DateTimeOffset? Outbound, DateTimeOffset? Traffic) LastHeard(IkeSa sa)
    {
        var lastInbound = sa.LastInbound;
        DateTimeOffset? lastOutbound = null;
        DateTimeOffset? lastTraffic = null;
        foreach (var child in sa.Children)
        {
            var activity = context.Host.GetActivity(child.InboundSpi, child.OutboundSpi);
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
}
