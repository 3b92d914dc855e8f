using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The timer index (issue 14 item 7): every IKE SA and every tunnel holds the time its timers next need it, kept in a
/// priority queue, so <see cref="Tick"/> visits only what is due and <see cref="NextDeadline"/> is a peek instead of a walk
/// over every SA. A due time depends on state that many exchanges change, so the index does not try to follow each
/// change: whatever an engine entry point touches (an SA looked up by SPI or added, an event published for an SA or a
/// tunnel, a command's tunnel, an SA or tunnel a timer ran for) is marked dirty, and its due time is computed again
/// before the next Tick or NextDeadline. A dirty SA makes its tunnel's other SAs dirty too (they depend on which one is
/// current), except on a dial-up template, whose half-open SAs depend on nothing shared. Start, Stop and a new
/// configuration recompute everything. Queue entries are never removed in place: one whose SA or tunnel no longer holds
/// that due time is stale and skipped when it surfaces.
/// </summary>
public sealed partial class IkeEngine
{
    // Entries that outnumber the live due times by this factor are swept out.
    private const int CompactionFactor = 4;
    private const int MinCompactionSize = 1024;

    private readonly PriorityQueue<IkeSa, DateTimeOffset> _saTimers = new();
    private readonly PriorityQueue<TunnelRuntime, DateTimeOffset> _tunnelTimers = new();
    private readonly HashSet<IkeSa> _dirtySas = [];
    private readonly HashSet<TunnelRuntime> _dirtyTunnels = [];
    private bool _allTimersDirty = true;
    private long _nextTunnelSequence;

    /// <summary>Timer-index violations found with <see cref="IkeEngineOptions.VerifyTimerIndex"/> on (each also thrown).</summary>
    public IReadOnlyList<string> TimerIndexViolations => _timerViolations;

    private readonly List<string> _timerViolations = [];

    /// <summary>The SA's due time may have changed (and with it its tunnel's other SAs').</summary>
    private void Touch(IkeSa sa)
    {
        _dirtySas.Add(sa);
        _dirtyTunnels.Add(sa.Tunnel);
    }

    /// <summary>The tunnel's auto-negotiate timers, and the due times of its SAs, may have changed.</summary>
    private void Touch(TunnelRuntime tunnel) => _dirtyTunnels.Add(tunnel);

    /// <summary>Something engine-wide changed (start, stop, configuration): every due time is computed again.</summary>
    private void TouchAll() => _allTimersDirty = true;

    /// <summary>Brings the queue up to date with everything touched since the last call.</summary>
    private void SettleTimers()
    {
        if (_allTimersDirty)
        {
            _allTimersDirty = false;
            _dirtySas.Clear();
            _dirtyTunnels.Clear();
            foreach (var sa in _sas.All)
            {
                Reschedule(sa);
            }

            foreach (var tunnel in _tunnels.Values)
            {
                Reschedule(tunnel);
            }
        }
        else if (_dirtySas.Count > 0 || _dirtyTunnels.Count > 0)
        {
            foreach (var sa in _dirtySas)
            {
                // The SA may have moved (a dial-up peer to its instance) since it was touched.
                if (sa.InTable)
                {
                    _dirtyTunnels.Add(sa.Tunnel);
                }

                Reschedule(sa);
            }

            foreach (var tunnel in _dirtyTunnels)
            {
                Reschedule(tunnel);
                if (!tunnel.IsDialupTemplate)
                {
                    foreach (var sa in tunnel.Sas)
                    {
                        Reschedule(sa);
                    }
                }
            }

            _dirtySas.Clear();
            _dirtyTunnels.Clear();
        }

        CompactTimers();
    }

    private void Reschedule(IkeSa sa)
    {
        var due = sa.InTable && sa.State != IkeSaState.Dead ? SaDue(sa) : null;
        if (due == sa.TimerDue)
        {
            return;
        }

        sa.TimerDue = due;
        if (due is { } d)
        {
            _saTimers.Enqueue(sa, d);
        }
    }

    private void Reschedule(TunnelRuntime tunnel)
    {
        var due = IsLive(tunnel) ? TunnelDue(tunnel) : null;
        if (due == tunnel.TimerDue)
        {
            return;
        }

        tunnel.TimerDue = due;
        if (due is { } d)
        {
            _tunnelTimers.Enqueue(tunnel, d);
        }
    }

    private bool IsLive(TunnelRuntime tunnel) => _tunnels.TryGetValue(tunnel.Name, out var known) && known == tunnel;

    /// <summary>
    /// When this SA's timers next have something to do: what the engine's deadline has always considered per SA, plus the
    /// work the old walk over every SA did at each Tick without a deadline of its own (stale fragments, an ISAKMP SA to
    /// retire or whose renewal failed), so that work still happens on time now that Tick visits only due SAs.
    /// </summary>
    private DateTimeOffset? SaDue(IkeSa sa)
    {
        // A request whose answer is being computed on is not resent: only its deadline counts. Any other is retransmitted
        // as usual, and public-key work has a deadline of its own.
        var outstanding = sa.Window.Outstanding is not { } pending ? null : AnsweredWhileComputing(sa) ? pending.Deadline : pending.NextRetransmit;
        var next = Earliest(outstanding, ComputationDeadline(sa));
        next = Earliest(next, NextQuickModeRetransmit(sa));
        next = Earliest(next, ModeConfigPushDue(sa));
        next = Earliest(next, sa.DeleteBy);
        if (sa.State == IkeSaState.Established)
        {
            next = Earliest(next, sa.RekeyAt);
            if (sa.Tunnel.Current == sa && sa.MaySendRequest)
            {
                next = Earliest(next, _liveness.NextCheck(sa));
            }

            next = Earliest(next, NextDuplicateSweep(sa));
            var now = Now;
            foreach (var child in sa.Children)
            {
                next = Earliest(next, Phase2Lifecycle.NextCheck(child, now));
            }

            if (sa.V1 is { } v1 &&
                ((v1.Renewal is { State: IkeSaState.Dead } && sa.Tunnel.Current == sa) ||
                 (v1.RetireWhenQuiet && sa.MaySendRequest && v1.QuickModes.Count == 0)))
            {
                next = Earliest(next, now);
            }
        }

        if (sa.Reassembly is { IsEmpty: false } reassembly)
        {
            next = Earliest(next, reassembly.StaleAt);
        }

        return next;
    }

    /// <summary>When this tunnel's auto-negotiate (phase 2 retries, phase 1 auto-negotiate) next has something to do.</summary>
    private DateTimeOffset? TunnelDue(TunnelRuntime tunnel)
    {
        DateTimeOffset? next = null;
        if (tunnel.NextAutoAttempt.Count > 0)
        {
            foreach (var phase2 in tunnel.Phase2)
            {
                // A retry under way waits; one that is up again by other means is due to be forgotten.
                if (phase2.AutoNegotiate && tunnel.NextAutoAttempt.TryGetValue(phase2.Name, out var due) &&
                    (!tunnel.Negotiating.Contains(phase2.Name) || HasUsableChild(tunnel, phase2.Name)))
                {
                    next = Earliest(next, due);
                }
            }
        }

        return Earliest(next, PhaseOneAttemptDue(tunnel));
    }

    /// <summary>The SAs whose due time has come, each once, in table order, into <paramref name="due"/> (cleared first); they leave the queue (Tick touches them).</summary>
    private void TakeDueSas(DateTimeOffset now, List<IkeSa> due)
    {
        due.Clear();
        while (_saTimers.TryPeek(out var sa, out var at) && at <= now)
        {
            _saTimers.Dequeue();
            if (sa.InTable && sa.TimerDue == at)
            {
                sa.TimerDue = null;
                due.Add(sa);
            }
        }

        due.Sort(static (a, b) => a.TableSequence.CompareTo(b.TableSequence));
    }

    /// <summary>
    /// The tunnels whose due time has come, each once, into <paramref name="due"/>: cleared first and sorted by tunnel
    /// order, unless <paramref name="keep"/> (then appended, the caller sorts).
    /// </summary>
    private void TakeDueTunnels(DateTimeOffset now, List<TunnelRuntime> due, bool keep = false)
    {
        if (!keep)
        {
            due.Clear();
        }

        while (_tunnelTimers.TryPeek(out var tunnel, out var at) && at <= now)
        {
            _tunnelTimers.Dequeue();
            if (tunnel.TimerDue == at && IsLive(tunnel))
            {
                tunnel.TimerDue = null;
                due.Add(tunnel);
            }
        }

        if (!keep)
        {
            due.Sort(static (a, b) => a.Sequence.CompareTo(b.Sequence));
        }
    }

    /// <summary>The earliest live due time in the queues (stale entries on top are dropped).</summary>
    private DateTimeOffset? IndexedDeadline()
    {
        DateTimeOffset? next = null;
        while (_saTimers.TryPeek(out var sa, out var at))
        {
            if (sa.InTable && sa.TimerDue == at)
            {
                next = at;
                break;
            }

            _saTimers.Dequeue();
        }

        while (_tunnelTimers.TryPeek(out var tunnel, out var at))
        {
            if (tunnel.TimerDue == at && IsLive(tunnel))
            {
                next = Earliest(next, at);
                break;
            }

            _tunnelTimers.Dequeue();
        }

        if (_scheduled.TryPeek(out _, out var job))
        {
            next = Earliest(next, job.Due);
        }

        return next;
    }

    /// <summary>Sweeps stale entries out once they outnumber the live ones, so churn does not grow the queues.</summary>
    private void CompactTimers()
    {
        if (_saTimers.Count > MinCompactionSize && _saTimers.Count > CompactionFactor * _sas.Count)
        {
            var live = _sas.All.Where(s => s.TimerDue is not null).Select(s => (s, s.TimerDue!.Value)).ToList();
            _saTimers.Clear();
            _saTimers.EnqueueRange(live);
        }

        if (_tunnelTimers.Count > MinCompactionSize && _tunnelTimers.Count > CompactionFactor * _tunnels.Count)
        {
            var live = _tunnels.Values.Where(t => t.TimerDue is not null).Select(t => (t, t.TimerDue!.Value)).ToList();
            _tunnelTimers.Clear();
            _tunnelTimers.EnqueueRange(live);
        }
    }

    /// <summary>
    /// The safety net (<see cref="IkeEngineOptions.VerifyTimerIndex"/>): the old walk over every SA and tunnel, compared
    /// with the index. A due time found earlier than the one indexed is a timer the index would miss: recorded and thrown.
    /// An indexed time earlier than needed is allowed (a poll computed a moment ago, or a visit that finds nothing to do).
    /// </summary>
    private void VerifyTimers(DateTimeOffset? indexed)
    {
        DateTimeOffset? scanned = null;
        foreach (var sa in _sas.All)
        {
            if (sa.State == IkeSaState.Dead)
            {
                continue;
            }

            var due = SaDue(sa);
            scanned = Earliest(scanned, due);
            if (due is { } d && (sa.TimerDue is not { } held || held > d))
            {
                TimerViolation($"IKE SA {sa.Serial} ({sa.Tunnel.Name}, {sa.State}) is due at {d:O} but indexed at {sa.TimerDue:O}");
            }
        }

        foreach (var tunnel in _tunnels.Values)
        {
            var due = TunnelDue(tunnel);
            scanned = Earliest(scanned, due);
            if (due is { } d && (tunnel.TimerDue is not { } held || held > d))
            {
                TimerViolation($"tunnel {tunnel.Name} is due at {d:O} but indexed at {tunnel.TimerDue:O}");
            }
        }

        foreach (var (_, job) in _scheduled.UnorderedItems)
        {
            scanned = Earliest(scanned, job.Due);
        }

        if (scanned is { } s && (indexed is not { } i || i > s))
        {
            TimerViolation($"next deadline {indexed:O} from the index is later than {s:O} from a full scan");
        }
    }

    private void TimerViolation(string what)
    {
        _timerViolations.Add(what);
        throw new InvalidOperationException($"timer index missed a timer: {what}");
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : (a < b ? a : b);
}
