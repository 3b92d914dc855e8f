using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The typed event stream: every event-level log line a consumer relies on has an <see cref="IkeEvent"/> published beside
/// it, stamped here with the time, the tunnel, the IKE SA serial and its endpoints (fields the caller set are kept).
/// </summary>
public sealed partial class IkeEngine
{
    private readonly RefusalLimiter _refusals = new();

    // An event means state changed: the SA's (or tunnel's) due times are computed again (the timer index).
    private void Publish(IkeSa sa, IkeEvent e)
    {
        Touch(sa);
        _host.Publish(e with
        {
            At = Now,
            Phase1 = e.Phase1 ?? sa.Tunnel.Name,
            IkeSerial = e.IkeSerial ?? sa.Serial,
            Local = e.Local ?? sa.Local,
            Remote = e.Remote ?? sa.Remote,
        });
    }

    private void Publish(TunnelRuntime tunnel, IkeEvent e)
    {
        Touch(tunnel);
        _host.Publish(e with
        {
            At = Now,
            Phase1 = e.Phase1 ?? tunnel.Name,
            Remote = e.Remote ?? (tunnel.Current ?? tunnel.Retiring.FirstOrDefault())?.Remote,
            Local = e.Local ?? (tunnel.Current ?? tunnel.Retiring.FirstOrDefault())?.Local,
        });
    }

    private void PublishGlobal(IkeEvent e) => _host.Publish(e with { At = Now });

    /// <summary>
    /// A request turned away before any tunnel took it: its log line and <see cref="PeerRefused"/>, or during a flood only
    /// counted (<see cref="IkeStatistics.RefusalsNotLogged"/>) and reported later by <see cref="SummariseRefusals"/>.
    /// </summary>
    private void RefusePeer(IPEndPoint local, IPEndPoint remote, string reason, IkeLogLevel level, string logLine)
    {
        Statistics.PeersRefused++;
        if (!_refusals.Admit(reason, Now))
        {
            Statistics.RefusalsNotLogged++;
            return;
        }

        _log.Global(level, logLine);
        PublishGlobal(new PeerRefused { Local = local, Remote = remote, Reason = reason });
    }

    /// <summary>One log line and one <see cref="PeerRefusalsSummarised"/> per reason whose refusals were only counted.</summary>
    private void SummariseRefusals()
    {
        foreach (var (reason, count, since) in _refusals.Flush(Now))
        {
            _log.Global(IkeLogLevel.Event, $"{count} more requests refused since {since:HH:mm:ss} (too many to log one by one): {reason}");
            PublishGlobal(new PeerRefusalsSummarised { Reason = reason, Count = count, Since = since });
        }
    }

    /// <summary>A child SA negotiation failed: the log line `negotiation failure for p2: reason` and its event.</summary>
    private void ChildNegotiationFailed(IkeSa sa, string phase2, string reason, NotifyType? notify = null, bool notifySent = false, bool esnRequired = false)
    {
        _log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"negotiation failure for {phase2}: {reason}");
        Publish(sa, new NegotiationFailed { Stage = NegotiationStage.ChildSa, Phase2 = phase2, Notify = notify, NotifySent = notifySent, Reason = reason, EsnRequired = esnRequired });
    }

    /// <summary>Where an IKE SA that fails now was in its life.</summary>
    private static NegotiationStage StageOf(IkeSa sa) => sa.State switch
    {
        IkeSaState.InitSent => NegotiationStage.IkeSaInit,
        IkeSaState.AuthSent or IkeSaState.InitResponded => NegotiationStage.IkeAuth,
        _ => NegotiationStage.Established,
    };
}
