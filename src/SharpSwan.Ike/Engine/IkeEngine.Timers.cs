using SharpSwan.Config;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Engine;

/// <summary>Everything time drives: retransmission, lifetimes, auto-negotiate retries, scheduled retries.</summary>
public sealed partial class IkeEngine
{
    private readonly List<(DateTimeOffset Due, Action Action)> scheduled = [];

    /// <summary>Runs every timer that is due at the time provider's current time.</summary>
    public void Tick()
    {
        var now = Now;
        foreach (var sa in byLocalSpi.Values.Distinct().ToList())
        {
            if (sa.State == IkeSaState.Dead)
            {
                continue;
            }

            CheckRetransmissions(sa, now);
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
                CheckLiveness(sa, now);
                if (sa.State != IkeSaState.Established)
                {
                    continue;
                }

                if (sa.RekeyAt is { } rekeyAt && now >= rekeyAt && sa.Tunnel.Current == sa)
                {
                    StartIkeRekey(sa);
                }
            }
        }

        foreach (var tunnel in tunnels.Values)
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
                    tunnel.NextAutoAttempt[phase2.Name] = now + options.AutoNegotiateInterval;
                    log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"auto-negotiate connection {phase2.Name}");
                    RequestChild(tunnel, phase2, reason: "auto-negotiate");
                }
            }
        }

        var due2 = scheduled.Where(s => s.Due <= now).ToList();
        scheduled.RemoveAll(s => s.Due <= now);
        foreach (var item in due2)
        {
            item.Action();
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

        foreach (var sa in byLocalSpi.Values)
        {
            Consider(sa.Outstanding?.NextRetransmit);
            Consider(sa.DeleteBy);
            if (sa.State == IkeSaState.Established)
            {
                Consider(sa.RekeyAt);
                if (sa.Tunnel.Current == sa && sa.Outstanding is null)
                {
                    Consider(NextLivenessCheck(sa));
                }

                Consider(NextDuplicateSweep(sa));

                foreach (var child in sa.Children)
                {
                    if (child.Settings.KeyLifeType != KeyLifeType.Seconds)
                    {
                        // Byte counts live in the data plane: look once a second.
                        Consider(Now + TimeSpan.FromSeconds(1));
                    }

                    // A child being deleted waits for the DELETE answer (or the retransmit timer), not its expiry:
                    // reporting its past hard expiry here would make the owner's loop spin until the answer comes.
                    if (child.State != ChildSaState.Deleting)
                    {
                        Consider(child.HardExpiry);
                        Consider(child.RetireAt);
                    }

                    if (child.State == ChildSaState.Installed)
                    {
                        // After the soft point, traffic must start the rekey promptly: poll once a second.
                        Consider(child.SoftExpired ? Now + TimeSpan.FromSeconds(1) : child.SoftExpiry);
                    }
                }
            }
        }

        foreach (var tunnel in tunnels.Values)
        {
            foreach (var phase2 in tunnel.Phase2.Where(p => p.AutoNegotiate))
            {
                if (tunnel.NextAutoAttempt.TryGetValue(phase2.Name, out var due) && !tunnel.Negotiating.Contains(phase2.Name))
                {
                    Consider(due);
                }
            }
        }

        foreach (var item in scheduled)
        {
            Consider(item.Due);
        }

        return next;
    }

    private void Schedule(DateTimeOffset due, Action action) => scheduled.Add((due, action));

    /// <summary>
    /// Soft point: rekey if keepalive/auto-negotiate is on or the SA carried traffic recently; otherwise let it idle to hard
    /// expiry, unless traffic starts before then. Hard point: delete.
    /// </summary>
    private void CheckChildLifetimes(IkeSa sa, DateTimeOffset now)
    {
        foreach (var child in sa.Children.ToList())
        {
            if (!sa.Children.Contains(child))
            {
                continue;
            }

            var settings = child.Settings;
            var activity = host.GetActivity(child.InboundSpi, child.OutboundSpi);
            var byteLimit = settings.KeyLifeType == KeyLifeType.Seconds ? long.MaxValue : settings.KeyLifeKbs * 1024;
            var bytes = Math.Max(activity.InboundBytes, activity.OutboundBytes);
            if (bytes >= byteLimit && child.State != ChildSaState.Deleting)
            {
                log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"IPsec SA {child.InboundSpi:x8}/{child.OutboundSpi:x8} expired (hard lifetime {settings.KeyLifeKbs} KB)");
                Publish(sa, HardExpiry(child, byBytes: true));

                // An expired SA must not carry another packet: out of the data plane now, not when the DELETE is answered.
                host.RemoveChildSa(sa.Tunnel.Name, child.Phase2Name, child.InboundSpi, child.OutboundSpi);
                DeleteChild(sa, child, notifyPeer: true, reason: "expired");
                continue;
            }

            if (child.State != ChildSaState.Deleting && (now >= child.HardExpiry || (child.RetireAt is { } retire && now >= retire)))
            {
                log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"IPsec SA {child.InboundSpi:x8}/{child.OutboundSpi:x8} expired (hard lifetime)");
                Publish(sa, HardExpiry(child, byBytes: false));
                host.RemoveChildSa(sa.Tunnel.Name, child.Phase2Name, child.InboundSpi, child.OutboundSpi);
                DeleteChild(sa, child, notifyPeer: true, reason: "expired");
                continue;
            }

            // The side that created the SA leads on bytes too: soft at 90% of keylifekbs, the other side at 95%.
            var softBytes = byteLimit == long.MaxValue ? long.MaxValue : (long)(byteLimit * (child.CreatedByUs ? 0.90 : 0.95));
            if (child.State == ChildSaState.Installed && bytes >= softBytes)
            {
                log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"soft lifetime reached ({bytes / 1024} of {settings.KeyLifeKbs} KB): rekeying");
                Publish(sa, SoftExpiry(child, rekeying: true, byBytes: true));
                StartChildRekey(sa, child);
                continue;
            }

            if (child.State != ChildSaState.Installed || now < child.SoftExpiry)
            {
                continue;
            }

            var window = TimeSpan.FromSeconds(Math.Max(30, settings.KeyLifeSeconds * 0.1));
            var recent = activity.LastAny is { } last && last >= child.SoftExpiry - window;
            if (!child.SoftExpired)
            {
                if (settings.Keepalive || settings.AutoNegotiate || recent)
                {
                    log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"soft lifetime reached: rekeying ({(settings.AutoNegotiate ? "auto-negotiate" : settings.Keepalive ? "keepalive" : "traffic")})");
                    Publish(sa, SoftExpiry(child, rekeying: true, byBytes: false));
                    StartChildRekey(sa, child);
                }
                else
                {
                    log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, "soft lifetime reached without traffic: letting it expire");
                    Publish(sa, SoftExpiry(child, rekeying: false, byBytes: false));
                    child.SoftExpired = true;
                }
            }
            else if (activity.LastAny is { } seen && seen > child.SoftExpiry)
            {
                log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, "traffic after soft lifetime: rekeying now");
                Publish(sa, SoftExpiry(child, rekeying: true, byBytes: false) with { TrafficAfterSoft = true });
                StartChildRekey(sa, child);
            }
        }
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
