using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Engine;

/// <summary>Everything time drives: retransmission, lifetimes, auto-negotiate retries, scheduled retries.</summary>
public sealed partial class IkeEngine
{
    private readonly List<(DateTimeOffset Due, TimedJob Job)> _scheduled = [];

    /// <summary>Runs every timer that is due at the time provider's current time.</summary>
    public void Tick()
    {
        var now = Now;
        SummariseRefusals();
        foreach (var sa in _sas.All.ToList())
        {
            if (sa.State == IkeSaState.Dead)
            {
                continue;
            }

            RenewIsakmpProbe(sa, now);
            CheckRetransmissions(sa, now);
            DiscardStaleFragments(sa, now);
            if (sa.V1 is not null && sa.State != IkeSaState.Dead)
            {
                TickIsakmp(sa, now);
            }

            if (sa.State == IkeSaState.Dead)
            {
                continue;
            }

            if (sa.DeleteBy is { } deleteBy && now >= deleteBy)
            {
                RemoveIkeSa(sa, sa.State == IkeSaState.InitResponded ? "half-open timeout" : "retired");
                continue;
            }

            if (sa.State == IkeSaState.Established)
            {
                CheckChildLifetimes(sa, now);
                SweepStaleDuplicates(sa, now);
                if (_liveness.Check(sa, now) == LivenessOutcome.Idle)
                {
                    DeleteIkeSa(sa, notifyPeer: true, reason: "idle-timeout");
                }

                if (sa.State != IkeSaState.Established)
                {
                    continue;
                }

                if (sa.RekeyAt is { } rekeyAt && now >= rekeyAt && sa.Tunnel.Current == sa)
                {
                    RekeyOrExpire(sa);
                }
            }
        }

        RetryAutoNegotiate(now);
        RetryPhaseOneAutoNegotiate(now);

        var due2 = _scheduled.Where(s => s.Due <= now).ToList();
        _scheduled.RemoveAll(s => s.Due <= now);
        foreach (var item in due2)
        {
            RunTimedJob(item.Job);
        }
    }

    /// <summary>
    /// An IKEv2 SA is rekeyed. IKEv1 has no ISAKMP SA rekey: a new main mode is negotiated beside the old SA and the IPsec
    /// SAs carry over to it (<see cref="RenewIsakmpSa"/>).
    /// </summary>
    private void RekeyOrExpire(IkeSa sa)
    {
        if (sa.V1 is null)
        {
            StartIkeRekey(sa);
            return;
        }

        RenewIsakmpSa(sa);
    }

    /// <summary>Auto-negotiate phase 2s that are down are tried again every 5 s (FortiOS), unless up again by other means.</summary>
    private void RetryAutoNegotiate(DateTimeOffset now)
    {
        foreach (var tunnel in _tunnels.Values)
        {
            foreach (var phase2 in tunnel.Phase2.Where(p => p.AutoNegotiate))
            {
                if (tunnel.NextAutoAttempt.TryGetValue(phase2.Name, out var up) && now >= up && HasUsableChild(tunnel, phase2.Name))
                {
                    // Up again by other means (the peer, or an SA that was never really gone): no retry is due.
                    tunnel.NextAutoAttempt.Remove(phase2.Name);
                    continue;
                }

                if (tunnel.NextAutoAttempt.TryGetValue(phase2.Name, out var due) && now >= due &&
                    !HasUsableChild(tunnel, phase2.Name) && !tunnel.Negotiating.Contains(phase2.Name))
                {
                    tunnel.NextAutoAttempt[phase2.Name] = now + _options.AutoNegotiateInterval;
                    _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"auto-negotiate connection {phase2.Name}");
                    Publish(tunnel, new AutoNegotiateAttempted { Phase2 = phase2.Name });
                    RequestChild(tunnel, phase2, reason: "auto-negotiate");
                }
            }
        }
    }

    /// <summary>The earliest time at which <see cref="Tick"/> has something to do; null when idle.</summary>
    public DateTimeOffset? NextDeadline()
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset? candidate)
        {
            if (candidate is { } c && (next is null || c < next))
            {
                next = c;
            }
        }

        foreach (var sa in _sas.All)
        {
            Consider(sa.Window.Outstanding?.NextRetransmit);
            Consider(NextQuickModeRetransmit(sa));
            Consider(ModeConfigPushDue(sa));
            Consider(sa.DeleteBy);
            if (sa.State == IkeSaState.Established)
            {
                Consider(sa.RekeyAt);
                if (sa.Tunnel.Current == sa && sa.Window.IsFree)
                {
                    Consider(_liveness.NextCheck(sa));
                }

                Consider(NextDuplicateSweep(sa));

                foreach (var child in sa.Children)
                {
                    Consider(Phase2Lifecycle.NextCheck(child, Now));
                }
            }
        }

        foreach (var tunnel in _tunnels.Values)
        {
            foreach (var phase2 in tunnel.Phase2.Where(p => p.AutoNegotiate))
            {
                if (tunnel.NextAutoAttempt.TryGetValue(phase2.Name, out var due) && !tunnel.Negotiating.Contains(phase2.Name))
                {
                    Consider(due);
                }
            }
        }

        foreach (var item in _scheduled)
        {
            Consider(item.Due);
        }

        Consider(NextPhaseOneAttempt());
        return next;
    }

    private void Schedule(DateTimeOffset due, TimedJob job) => _scheduled.Add((due, job));

    private void RunTimedJob(TimedJob job)
    {
        switch (job)
        {
            case RemoveFromDataPlaneJob remove:
                _host.RemoveChildSa(remove.Phase1, remove.Phase2, remove.InboundSpi, remove.OutboundSpi);
                break;
            case RetryChildJob retry:
                RetryChild(retry);
                break;
        }
    }

    /// <summary>A refused CREATE_CHILD_SA's retry, if its IKE SA still carries the tunnel and the work is still needed.</summary>
    private void RetryChild(RetryChildJob retry)
    {
        var (sa, phase2, rekeyOf) = (retry.Sa, retry.Phase2, retry.RekeyOf);
        if (sa.Tunnel.Current != sa || sa.State != IkeSaState.Established)
        {
            return;
        }

        if (rekeyOf is not null)
        {
            if (sa.Children.Contains(rekeyOf))
            {
                StartChildRekey(sa, rekeyOf);
            }
        }
        else if (!HasUsableChild(sa.Tunnel, phase2.Name))
        {
            StartCreateChild(sa, phase2, null);
        }
        else
        {
            sa.Tunnel.Negotiating.Remove(phase2.Name);
        }
    }

    /// <summary>Acts on what each child SA's lifetime asks for now (<see cref="Phase2Lifecycle.Evaluate"/>).</summary>
    private void CheckChildLifetimes(IkeSa sa, DateTimeOffset now)
    {
        foreach (var child in sa.Children.ToList())
        {
            if (!sa.Children.Contains(child))
            {
                continue;
            }

            if (child.State == ChildSaState.Deleting)
            {
                RemoveExpiredFromDataPlane(sa, child, now);
                continue;
            }

            var activity = _host.GetActivity(child.InboundSpi, child.OutboundSpi);
            var step = Phase2Lifecycle.Evaluate(child, activity, now);
            switch (step)
            {
                case ChildLifecycleStep.HardExpiredByBytes or ChildLifecycleStep.HardExpired:
                    ExpireChild(sa, child, byBytes: step == ChildLifecycleStep.HardExpiredByBytes);
                    break;
                case ChildLifecycleStep.SoftByBytes:
                    var kilobytes = Math.Max(activity.InboundBytes, activity.OutboundBytes) / 1024;
                    _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"soft lifetime reached ({kilobytes} of {child.Settings.KeyLifeKbs} KB): rekeying");
                    Publish(sa, SoftExpiry(child, rekeying: true, byBytes: true));
                    StartChildRekey(sa, child);
                    break;
                case ChildLifecycleStep.SoftRekey:
                    var settings = child.Settings;
                    _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"soft lifetime reached: rekeying ({(settings.AutoNegotiate ? "auto-negotiate" : settings.Keepalive ? "keepalive" : "traffic")})");
                    Publish(sa, SoftExpiry(child, rekeying: true, byBytes: false));
                    StartChildRekey(sa, child);
                    break;
                case ChildLifecycleStep.SoftLetExpire:
                    _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, "soft lifetime reached without traffic: letting it expire");
                    Publish(sa, SoftExpiry(child, rekeying: false, byBytes: false));
                    child.SoftExpired = true;
                    break;
                case ChildLifecycleStep.TrafficAfterSoft:
                    _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, "traffic after soft lifetime: rekeying now");
                    Publish(sa, SoftExpiry(child, rekeying: true, byBytes: false) with { TrafficAfterSoft = true });
                    StartChildRekey(sa, child);
                    break;
            }
        }
    }

    /// <summary>A child SA reached a hard point: out of the data plane now, not when the DELETE is answered, then deleted.</summary>
    private void ExpireChild(IkeSa sa, ChildSa child, bool byBytes)
    {
        var limit = byBytes ? $"hard lifetime {child.Settings.KeyLifeKbs} KB" : "hard lifetime";
        _log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"IPsec SA {child.InboundSpi:x8}/{child.OutboundSpi:x8} expired ({limit})");
        Publish(sa, HardExpiry(child, byBytes));

        // An expired SA must not carry another packet.
        _host.RemoveChildSa(sa.Tunnel.Name, child.Phase2Name, child.InboundSpi, child.OutboundSpi);
        child.RemovedFromDataPlane = true;
        DeleteChild(sa, child, notifyPeer: true, reason: "expired");
    }

    /// <summary>
    /// A child whose DELETE is still unanswered (a lost message, a slow peer) reached its hard point: it leaves the data
    /// plane now; the engine keeps it until the exchange ends so the peer's answer still finds it.
    /// </summary>
    private void RemoveExpiredFromDataPlane(IkeSa sa, ChildSa child, DateTimeOffset now)
    {
        if (child.RemovedFromDataPlane || now < child.HardExpiry)
        {
            return;
        }

        _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"IPsec SA {child.InboundSpi:x8}/{child.OutboundSpi:x8} reached its hard lifetime while being deleted: out of the data plane");
        _host.RemoveChildSa(sa.Tunnel.Name, child.Phase2Name, child.InboundSpi, child.OutboundSpi);
        child.RemovedFromDataPlane = true;
    }

    private static ChildSaSoftExpiry SoftExpiry(ChildSa child, bool rekeying, bool byBytes) => new()
    {
        Phase2 = child.Phase2Name,
        ChildSerial = child.Serial,
        InboundSpi = child.InboundSpi,
        OutboundSpi = child.OutboundSpi,
        Rekeying = rekeying,
        ByBytes = byBytes,
    };

    private static ChildSaHardExpiry HardExpiry(ChildSa child, bool byBytes) => new()
    {
        Phase2 = child.Phase2Name,
        ChildSerial = child.Serial,
        InboundSpi = child.InboundSpi,
        OutboundSpi = child.OutboundSpi,
        ByBytes = byBytes,
        Replaced = child.Successors.Count > 0 || child.State == ChildSaState.Rekeyed,
    };
}
