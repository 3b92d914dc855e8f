using System.Net;
using SharpSwan.Config;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Exchanges;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// IKEv1 phase-1 renewal. IKEv1 cannot rekey an ISAKMP SA in place, so at its keylife a new main mode is negotiated beside
/// it (make-before-break) and the IPsec SAs carry over to the new one, as strongSwan does with reauth=no and FortiOS keeps
/// its IPsec SAs across a phase-1 rekey: the side that renewed deletes the old ISAKMP SA once nothing runs on it, the other
/// side moves its IPsec SAs when the new main mode completes and waits for that DELETE.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>A retired ISAKMP SA the peer renewed is dropped silently if its DELETE never comes within this time.</summary>
    private static readonly TimeSpan RetiredIsakmpGrace = TimeSpan.FromSeconds(30);

    /// <summary>An ISAKMP SA reached its keylife: start a new main mode beside it, or (a dial-up server) let it go.</summary>
    private void RenewIsakmpSa(IkeSa old)
    {
        var tunnel = old.Tunnel;
        old.RekeyAt = null;
        if (tunnel.IsDialupInstance || tunnel.Settings.Type == Phase1Type.Dynamic || tunnel.LocalAddress is null)
        {
            // A dial-up server never initiates a main mode: the client renews, or the SA goes.
            _log.Sa(IkeLogLevel.Event, tunnel.Name, old.Serial, $"ISAKMP SA {old.SpiText} reached its keylife: deleting it (a dial-up server does not initiate)");
            DeleteIkeSa(old, notifyPeer: true, reason: "ISAKMP SA lifetime expired");
            return;
        }

        if (old.V1!.Renewal is { State: not IkeSaState.Dead })
        {
            return;
        }

        if (PeerMainModeUnderway(tunnel) is not null)
        {
            // The peer is renewing already: its new ISAKMP SA will take the IPsec SAs; look again shortly in case it fails.
            old.RekeyAt = Now + _options.AutoNegotiateInterval;
            return;
        }

        var now = Now;
        old.DeleteBy ??= HardExpiryOf(old);
        var sa = new IkeSa
        {
            Tunnel = tunnel,
            Serial = _nextIkeSerial++,
            IsOriginalInitiator = true,
            InitiatorSpi = NewIkeSpi(),
            Local = new IPEndPoint(tunnel.LocalAddress, _options.IkePort),
            Remote = new IPEndPoint(tunnel.Settings.RemoteGateway, _options.IkePort),
            State = IkeSaState.InitSent,
            CreatedAt = now,
            LastInbound = now,
        };
        old.V1.Renewal = sa;
        _sas.Add(sa);
        _log.Sa(IkeLogLevel.Event, tunnel.Name, old.Serial, $"ISAKMP SA {old.SpiText} reached its keylife: negotiating a new one, its IPsec SAs carry over");
        Publish(sa, new ConnectionCreated { Reason = "phase1 rekey" });
        StartPhaseOne(sa);
    }

    /// <summary>When the ISAKMP SA ends for good: the negotiated lifetime from establishment (our keylife if shorter).</summary>
    private static DateTimeOffset HardExpiryOf(IkeSa sa)
    {
        var established = sa.EstablishedAt ?? sa.CreatedAt;
        return established + TimeSpan.FromSeconds(IsakmpLifetimeSeconds(sa));
    }

    private static int IsakmpLifetimeSeconds(IkeSa sa)
    {
        int configured = sa.Tunnel.Settings.KeyLifeSeconds;
        uint negotiated = sa.V1?.LifetimeSeconds ?? 0;
        return negotiated > 0 && negotiated < configured ? (int)negotiated : configured;
    }

    /// <summary>When a new ISAKMP SA should be renewed: before the shorter of our keylife and the negotiated lifetime.</summary>
    private TimeSpan IsakmpRenewalDelay(IkeSa sa)
    {
        var life = TimeSpan.FromSeconds(IsakmpLifetimeSeconds(sa));
        return life - Phase2Lifecycle.SoftMargin(life, sa.IsOriginalInitiator, _random);
    }

    /// <summary>
    /// A new ISAKMP SA completed while the tunnel's established one still holds the IPsec SAs: they carry over (no
    /// INITIAL-CONTACT, so the peer did not restart). False when this is not such a renewal.
    /// </summary>
    private bool CarryOverIsakmp(IkeSa sa, bool initialContact, out string? replaces)
    {
        replaces = null;
        var tunnel = sa.Tunnel;
        if (sa.V1 is null || initialContact || tunnel.Current is not { State: IkeSaState.Established, V1: { } heldV1 } held || held == sa)
        {
            return false;
        }

        bool ours = heldV1.Renewal == sa;
        if (heldV1.Renewal is { } pending && pending != sa && pending.State != IkeSaState.Established)
        {
            // The peer's renewal won over ours (see KeepsOwnMainMode): ours is redundant.
            RemoveIkeSa(pending, "superseded by the peer's ISAKMP SA");
        }

        replaces = held.SpiText;
        int moved = held.Children.Count;
        Adopt(held, sa);
        _log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"ISAKMP SA {held.SpiText} replaced by {sa.SpiText}{(ours ? string.Empty : " (by peer)")}: {moved} IPsec SA(s) carried over");
        Publish(sa, new IkeSaRekeyed { OldSpis = held.SpiText, OldSerial = held.Serial, NewSpis = sa.SpiText, ByPeer = !ours });
        held.RekeyAt = null;
        if (ours)
        {
            heldV1.RetireWhenQuiet = true;
            RetireIfQuiet(held);
        }
        else
        {
            held.DeleteBy = Now + RetiredIsakmpGrace;
        }

        return true;
    }

    /// <summary>
    /// Our renewed-away ISAKMP SA goes with a DELETE once no exchange of it is waiting for an answer or for its key
    /// exchange (a peer's quick mode with PFS is in no list while that is computed).
    /// </summary>
    private void RetireIfQuiet(IkeSa sa)
    {
        if (sa.V1 is { RetireWhenQuiet: true } v1 && sa.State == IkeSaState.Established && sa.MaySendRequest && v1.QuickModes.Count == 0)
        {
            DeleteIkeSa(sa, notifyPeer: true, reason: "replaced by a new ISAKMP SA");
        }
    }

    /// <summary>
    /// Timers of an ISAKMP SA beyond the shared ones: quick-mode retransmissions, the retirement of a renewed-away SA, and a
    /// renewal that failed (tried again every auto-negotiate interval until the old SA's lifetime ends).
    /// </summary>
    private void TickIsakmp(IkeSa sa, DateTimeOffset now)
    {
        CheckQuickModeRetransmissions(sa, now);
        if (sa.State == IkeSaState.Dead)
        {
            return;
        }

        RetireIfQuiet(sa);
        CheckModeConfigPush(sa, now);
        if (sa.V1 is { Renewal.State: IkeSaState.Dead } v1 && sa.Tunnel.Current == sa && sa.State == IkeSaState.Established)
        {
            v1.Renewal = null;
            var retry = now + _options.AutoNegotiateInterval;
            if (sa.DeleteBy is not { } end || retry < end)
            {
                sa.RekeyAt = retry;
            }
        }
    }

    /// <summary>
    /// Both ends started a main mode at once (initial auto-negotiate, or renewals at the same moment). As for IKE_SA_INIT, the
    /// end with the higher address keeps its own and ignores the peer's, the lower answers; so one ISAKMP SA results.
    /// </summary>
    private bool KeepsOwnMainMode(IPEndPoint local, IPEndPoint remote)
    {
        if (FindTunnelForPeer(local.Address, remote.Address, version: 1) is not { } tunnel || tunnel.Settings.Type == Phase1Type.Dynamic)
        {
            return false;
        }

        var ownAttempt = tunnel.Current switch
        {
            { IsOriginalInitiator: true, State: IkeSaState.InitSent or IkeSaState.AuthSent } starting => starting,
            { V1.Renewal: { State: IkeSaState.InitSent or IkeSaState.AuthSent } renewing } => renewing,
            _ => null,
        };
        if (ownAttempt is null)
        {
            return false;
        }

        bool keep = CompareAddresses(local.Address, remote.Address) > 0;
        _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, ownAttempt.Serial, $"simultaneous main mode from {remote}: {(keep ? "keeping ours (higher address)" : "answering the peer's (lower address)")}");
        return keep;
    }

    /// <summary>
    /// The peer's main mode for this tunnel is half-way: a second ISAKMP SA of our own would race it, so the phase 2 waits
    /// for the peer's to complete (<see cref="MainModeResponder"/> then requests it).
    /// </summary>
    private bool WaitForPeerMainMode(TunnelRuntime tunnel, string phase2)
    {
        if (PeerMainModeUnderway(tunnel) is not { } peers)
        {
            return false;
        }

        if (!peers.WantedPhase2.Contains(phase2))
        {
            peers.WantedPhase2.Add(phase2);
        }

        _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, peers.Serial, $"{phase2}: the peer's main mode is under way, waiting for it instead of starting ours");
        return true;
    }

    private IkeSa? PeerMainModeUnderway(TunnelRuntime tunnel) =>
        _sas.Of(tunnel).FirstOrDefault(s => s.V1 is not null && !s.IsOriginalInitiator && s.State is not (IkeSaState.Established or IkeSaState.Dead));

    /// <summary>A quick mode that ended on an ISAKMP SA a renewal replaced meanwhile: its IPsec SA joins the others on the new one.</summary>
    private void SettleIsakmpChild(IkeSa sa, ChildSa? child, ChildSa? rekeyOf)
    {
        var carrier = Holder(sa);
        if (carrier != sa && child is not null && sa.Children.Remove(child))
        {
            carrier.Children.Add(child);
        }

        _childSettlement.Settle(carrier, child, rekeyOf);
        if (carrier != sa)
        {
            RetireIfQuiet(sa);
        }
    }

    IkeSa IIsakmpContext.CarrierOf(IkeSa sa) => Holder(sa);
}
