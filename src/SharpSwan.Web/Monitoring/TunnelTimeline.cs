using SharpSwan.Crypto;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Events;

namespace SharpSwan.Web.Monitoring;

/// <summary>
/// Turns the engine's typed events into timeline events: IKE SAs up, rekeyed and down, SA installs, rekeys, expiries,
/// selectors going down and negotiation failures; and the packet core's: outbound switches and trigger-queue drops
/// (stamped with <paramref name="time"/>, as the core's events carry no time). A rekey is an SA installed while its selector still has a live SA
/// (make-before-break), so the recorder tracks live SPIs per selector. Gateway-wide events (no tunnel) are not drawn.
/// Keeps the last 24 hours, at most <see cref="Capacity"/> events. Thread-safe.
/// </summary>
/// <param name="time">The clock for the packet core's events; null: the system clock.</param>
public sealed class TunnelTimeline(TimeProvider? time = null)
{
    public const int Capacity = 20_000;

    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    private readonly Lock _gate = new();
    private readonly Queue<TimelineEvent> _events = new();
    private readonly Dictionary<(string Tunnel, string Selector), HashSet<uint>> _liveSpis = [];

    /// <summary>Follows a gateway's event stream (engine and packet core events) until the result is disposed.</summary>
    public IDisposable Follow(GatewayEvents stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new Subscriptions([stream.Subscribe<IkeEvent>(Observe), stream.Subscribe<PacketCoreEvent>(Observe)]);
    }

    /// <summary>Records one packet core event, now: outbound switches and trigger-queue drops are drawn, the rest not.</summary>
    public void Observe(PacketCoreEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var detail = e switch
        {
            OutboundSwitched switched => $"outbound now SPIs={switched.InboundSpi:x8}/{switched.OutboundSpi:x8} ({Cause(switched.Cause)})",
            TriggerQueueDropped dropped => $"{dropped.Packets} held packet(s) dropped ({Reason(dropped.Reason)})",
            _ => null,
        };
        if (detail is null)
        {
            return;
        }

        var kind = e is OutboundSwitched ? TimelineEventKind.OutboundSwitched : TimelineEventKind.TriggerQueueDropped;
        var at = (time ?? TimeProvider.System).GetUtcNow();
        lock (_gate)
        {
            Add(new TimelineEvent(at, e.Phase1, e.Phase2, kind, detail));
        }
    }

    /// <summary>Records one engine event at the time it happened.</summary>
    public void Observe(IkeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Phase1 is not { } tunnel)
        {
            return;
        }

        lock (_gate)
        {
            if (Classify(tunnel, e) is { } recorded)
            {
                Add(recorded);
            }
        }
    }

    /// <summary>Events of <paramref name="tunnel"/> at or after <paramref name="since"/>, oldest first.</summary>
    public IReadOnlyList<TimelineEvent> EventsFor(string tunnel, DateTimeOffset since)
    {
        lock (_gate)
        {
            return [.. _events.Where(e => e.Tunnel == tunnel && e.At >= since)];
        }
    }

    private TimelineEvent? Classify(string tunnel, IkeEvent e)
    {
        switch (e)
        {
            case ChildSaInstalled added:
                var live = Live(tunnel, added.Phase2);
                var kind = live.Count > 0 ? TimelineEventKind.SaRekeyed : TimelineEventKind.SaInstalled;
                live.Add(added.InboundSpi);
                return new TimelineEvent(e.At, tunnel, added.Phase2, kind, Describe(added));
            case ChildSaDeleted deleted:
                Live(tunnel, deleted.Phase2).Remove(deleted.InboundSpi);
                return null;
            case ChildSaHardExpiry expired:
                // The old SA of a rekey retires through the same path: only the last SA of a selector really expires it.
                return Live(tunnel, expired.Phase2).Count > 1
                    ? null
                    : new TimelineEvent(e.At, tunnel, expired.Phase2, TimelineEventKind.SaExpired, $"IPsec SA {expired.InboundSpi:x8}/{expired.OutboundSpi:x8} expired (hard lifetime{(expired.ByBytes ? ", bytes" : string.Empty)})");
            case Phase2Down down:
                Live(tunnel, down.Phase2).Clear();
                return new TimelineEvent(e.At, tunnel, down.Phase2, TimelineEventKind.SelectorDown, down.Reason);
            case IkeSaEstablished up:
                return new TimelineEvent(e.At, tunnel, null, TimelineEventKind.IkeUp, $"IKE SA {up.Spis} {Role(up.Role)} {e.Local}->{e.Remote} proposal {up.Proposal} dhgrp {up.DhGroup}, peer id {up.PeerIdentity}");
            case IkeSaRekeyed rekeyed:
                return new TimelineEvent(e.At, tunnel, null, TimelineEventKind.IkeRekey, $"IKE SA rekeyed{(rekeyed.ByPeer ? " by peer" : string.Empty)}: {rekeyed.OldSpis} -> {rekeyed.NewSpis}");
            case IkeSaDeleted gone:
                return new TimelineEvent(e.At, tunnel, null, TimelineEventKind.IkeDown, $"IKE SA {gone.Spis} deleted ({gone.Reason})");
            default:
                return Failure(tunnel, e) is var (selector, detail) ? new TimelineEvent(e.At, tunnel, selector, TimelineEventKind.NegotiationFailure, detail) : null;
        }
    }

    /// <summary>The selector (if any) and description of a failure event; null for events that are not failures.</summary>
    private static (string? Selector, string Detail)? Failure(string tunnel, IkeEvent e) => e switch
    {
        NegotiationFailed { Stage: NegotiationStage.ChildSa, Phase2: { } phase2 } f => (phase2, $"negotiation failure for {phase2}: {f.Reason}"),
        NegotiationFailed { Stage: NegotiationStage.ChildSa } f => (null, f.Reason),
        NegotiationFailed { Stage: NegotiationStage.Start } f => (f.Phase2, $"cannot negotiate: {f.Reason}"),
        NegotiationFailed { Stage: NegotiationStage.IkeRekey } f => (null, $"IKE rekey failed: {f.Reason}"),
        NegotiationFailed f => (null, $"negotiation failure: {f.Reason}"),
        DpdFailed dead => (null, $"negotiation failure: {dead.Reason}"),
        ExchangeTimedOut timedOut => (null, $"{timedOut.Exchange}: no response from {e.Remote} after {timedOut.Retransmits} retransmissions, giving up"),
        AuthenticationFailed refused => (null, $"authentication failed: {refused.Reason} (peer {e.Remote})"),
        PeerRefused refused => (null, $"{refused.Reason} (peer {e.Remote} on {tunnel})"),
        _ => null,
    };

    private static string Describe(ChildSaInstalled added) =>
        $"SPIs={added.InboundSpi:x8}/{added.OutboundSpi:x8} proposal {added.Proposal}{(added.PfsGroup == (int)DiffieHellmanGroup.None ? string.Empty : $" pfs dhgrp {added.PfsGroup}")} {Role(added.Role)}";

    private static string Cause(OutboundSwitchCause cause) => cause switch
    {
        OutboundSwitchCause.Installed => "installed",
        OutboundSwitchCause.Activated => "rekey completed",
        OutboundSwitchCause.FirstUse => "peer uses it",
        _ => "fall-back to the newest SA",
    };

    private static string Reason(TriggerQueueDropReason reason) => reason switch
    {
        TriggerQueueDropReason.NegotiationFailed => "negotiation failed",
        TriggerQueueDropReason.NeverInitiates => "dial-up server never initiates",
        _ => "negotiate-timeout",
    };

    private static string Role(IkeRole role) => role == IkeRole.Initiator ? "initiator" : "responder";

    private HashSet<uint> Live(string tunnel, string selector)
    {
        if (!_liveSpis.TryGetValue((tunnel, selector), out var set))
        {
            set = [];
            _liveSpis[(tunnel, selector)] = set;
        }

        return set;
    }

    private void Add(TimelineEvent recorded)
    {
        _events.Enqueue(recorded);
        var oldest = recorded.At - Retention;
        while (_events.Count > Capacity || (_events.TryPeek(out var first) && first.At < oldest))
        {
            _events.Dequeue();
        }
    }

    private sealed class Subscriptions(IDisposable[] all) : IDisposable
    {
        public void Dispose()
        {
            foreach (var subscription in all)
            {
                subscription.Dispose();
            }
        }
    }
}
