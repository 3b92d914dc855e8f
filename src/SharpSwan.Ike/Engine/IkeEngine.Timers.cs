using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Engine;

/// <summary>Everything time drives: retransmission, lifetimes, auto-negotiate retries, scheduled retries.</summary>
public sealed partial class IkeEngine
{
    private readonly PriorityQueue<TimedJob, (DateTimeOffset Due, long Sequence)> _scheduled = new();
    private long _nextJobSequence;

    // Reused by every Tick (the engine loop calls it for every message): a Tick with nothing due allocates nothing.
    private readonly List<IkeSa> _dueSas = [];
    private readonly List<TunnelRuntime> _dueTunnels = [];
    private readonly List<TunnelRuntime> _phaseOneTunnels = [];
    private readonly HashSet<TunnelRuntime> _phaseOneSeen = [];
    private readonly List<(long Sequence, TimedJob Job)> _dueJobs = [];

    /// <summary>Runs every timer that is due at the time provider's current time.</summary>
    public void Tick()
    {
        var now = Now;
        SummariseRefusals();
        SettleTimers();
        if (_options.VerifyTimerIndex)
        {
            VerifyTimers(IndexedDeadline());
        }

        // Only the SAs whose due time has come (the timer index): the others have nothing to do now.
        TakeDueSas(now, _dueSas);
        foreach (var sa in _dueSas)
        {
            Touch(sa);
            TickSa(sa, now);
        }

        // What the SAs did may make a retry due at once (a tunnel that just went down), as the old walk saw it.
        SettleTimers();
        TakeDueTunnels(now, _dueTunnels);
        foreach (var tunnel in _dueTunnels)
        {
            Touch(tunnel);
            RetryAutoNegotiate(tunnel, now);
        }

        // Phase 1 auto-negotiate for the same tunnels, and any a phase 2 retry just made due. The tunnels taken above are
        // visited again, not looked up anew: on a real clock their new due time is a moment after `now`, and a second take
        // would miss them on every Tick. Each retry checks for itself whether it has anything to do.
        SettleTimers();
        PhaseOneTunnels(now);
        foreach (var tunnel in _phaseOneTunnels)
        {
            Touch(tunnel);
            RetryPhaseOneAutoNegotiate(tunnel, now);
        }

        // Jobs due now, in the order they were scheduled; ones they schedule for now wait for the next Tick.
        _dueJobs.Clear();
        while (_scheduled.TryPeek(out var job, out var key) && key.Due <= now)
        {
            _scheduled.Dequeue();
            _dueJobs.Add((key.Sequence, job));
        }

        _dueJobs.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (var (_, job) in _dueJobs)
        {
            RunTimedJob(job);
        }

        _dueJobs.Clear();
        _dueSas.Clear();
        _dueTunnels.Clear();
        _phaseOneTunnels.Clear();
        SettleTimers();
    }

    // The tunnels the phase 2 retries took, then any now due besides them, each once, in tunnel order.
    private void PhaseOneTunnels(DateTimeOffset now)
    {
        _phaseOneTunnels.Clear();
        _phaseOneTunnels.AddRange(_dueTunnels);
        var before = _phaseOneTunnels.Count;
        TakeDueTunnels(now, _phaseOneTunnels, keep: true);
        if (_phaseOneTunnels.Count == before)
        {
            return;
        }

        if (before > 0)
        {
            _phaseOneSeen.Clear();
            var kept = 0;
            for (var i = 0; i < _phaseOneTunnels.Count; i++)
            {
                if (_phaseOneSeen.Add(_phaseOneTunnels[i]))
                {
                    _phaseOneTunnels[kept++] = _phaseOneTunnels[i];
                }
            }

            _phaseOneTunnels.RemoveRange(kept, _phaseOneTunnels.Count - kept);
            _phaseOneSeen.Clear();
        }

        _phaseOneTunnels.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
    }

    private void TickSa(IkeSa sa, DateTimeOffset now)
    {
        if (sa.State == IkeSaState.Dead)
        {
            return;
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
            return;
        }

        if (sa.DeleteBy is { } deleteBy && now >= deleteBy)
        {
            RemoveIkeSa(sa, sa.State == IkeSaState.InitResponded ? "half-open timeout" : "retired");
            return;
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
                return;
            }

            if (sa.RekeyAt is { } rekeyAt && now >= rekeyAt && sa.Tunnel.Current == sa)
            {
                RekeyOrExpire(sa);
            }
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
    private void RetryAutoNegotiate(TunnelRuntime tunnel, DateTimeOffset now)
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

    /// <summary>The earliest time at which <see cref="Tick"/> has something to do; null when idle.</summary>
    public DateTimeOffset? NextDeadline()
    {
        SettleTimers();
        var next = IndexedDeadline();
        if (_options.VerifyTimerIndex)
        {
            VerifyTimers(next);
        }

        return next;
    }

    private void Schedule(DateTimeOffset due, TimedJob job) => _scheduled.Enqueue(job, (due, _nextJobSequence++));

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
            case DeleteRekeyedJob deletion:
                DeleteRekeyed(deletion);
                break;
        }
    }

    /// <summary>The commit grace of a deferred rekey ended (<see cref="DeleteRekeyedJob"/>): the old SA goes, on whichever IKE SA holds it now.</summary>
    private void DeleteRekeyed(DeleteRekeyedJob deletion)
    {
        var holder = Holder(deletion.Sa);
        Touch(holder);
        if (holder.State != IkeSaState.Dead && holder.Children.Contains(deletion.Old) && deletion.Old.State == ChildSaState.Rekeyed)
        {
            DeleteChild(holder, deletion.Old, notifyPeer: true, reason: "rekeyed");
        }
    }

    /// <summary>A refused CREATE_CHILD_SA's retry, if its IKE SA still carries the tunnel and the work is still needed.</summary>
    private void RetryChild(RetryChildJob retry)
    {
        var (sa, phase2, rekeyOf) = (retry.Sa, retry.Phase2, retry.RekeyOf);
        Touch(sa);
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
