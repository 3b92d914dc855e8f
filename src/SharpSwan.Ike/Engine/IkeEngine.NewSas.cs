using System.Net;
using SharpSwan.Config;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Where IKE SAs come from, as the SA manager: a wanted phase 2 starts one (or rides on the established one), and a peer's
/// IKE_SA_INIT is matched to its phase 1 (or ignored) before <see cref="IkeSaInitExchange"/> answers it.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>Wants a child SA for phase 2: on the established IKE SA, or by first bringing one up.</summary>
    private void RequestChild(TunnelRuntime tunnel, Phase2Settings phase2, string reason)
    {
        if (RefuseWhileStopping(tunnel, phase2.Name))
        {
            return;
        }

        if (!PolicyAllows(tunnel))
        {
            _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"ignoring request to establish IPsec SA, no policy configured ({phase2.Name}, {reason})");
            return;
        }

        var sa = tunnel.Current;
        if (sa is { State: IkeSaState.Established })
        {
            if (!HasUsableChild(tunnel, phase2.Name) && tunnel.Negotiating.Add(phase2.Name))
            {
                _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"IPsec SA connect {phase2.Name} {sa.Local}->{sa.Remote} negotiating ({reason})");
                StartCreateChild(sa, phase2, rekeyOf: null);
            }

            return;
        }

        if (sa is { State: IkeSaState.InitSent or IkeSaState.AuthSent or IkeSaState.InitResponded })
        {
            if (!sa.WantedPhase2.Contains(phase2.Name))
            {
                sa.WantedPhase2.Add(phase2.Name);
            }

            return;
        }

        StartIkeSa(tunnel, phase2.Name, reason);
    }

    private void StartIkeSa(TunnelRuntime tunnel, string phase2, string reason)
    {
        if (tunnel.Settings.IkeVersion == 1 && WaitForPeerMainMode(tunnel, phase2))
        {
            return;
        }

        tunnel.LocalAddress ??= _options.LocalAddressResolver(tunnel.Settings);
        if (tunnel.LocalAddress is null)
        {
            _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"cannot negotiate: no IPv4 address on interface {tunnel.Settings.Interface}");
            Publish(tunnel, new NegotiationFailed { Stage = NegotiationStage.Start, Phase2 = phase2, Reason = $"no IPv4 address on interface {tunnel.Settings.Interface}" });
            return;
        }

        var now = Now;
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
        sa.WantedPhase2.Add(phase2);
        _sas.Add(sa);
        tunnel.Current = sa;
        tunnel.Negotiating.Add(phase2);
        _log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"created connection: {sa.Local.Address}->{sa.Remote} ({reason})");
        Publish(sa, new ConnectionCreated { Reason = reason });
        if (tunnel.Settings.IkeVersion == 1)
        {
            StartPhaseOne(sa);
            return;
        }

        _saInit.SendRequest(sa, tunnel.Settings.DhGroups[0]);
    }

    /// <summary>The answer to our IKE_SA_INIT; once its key exchange keyed the SA (<see cref="Finish"/>), IKE_AUTH follows.</summary>
    private void HandleInitResponse(IkeSa sa, byte[] datagram, IkeHeader header) => _saInit.HandleResponse(sa, datagram, header);

    /// <summary>A new IKE_SA_INIT: answered by <see cref="IkeSaInitExchange"/> if it is ours to answer, and for which phase 1.</summary>
    private void HandleInitRequest(IPEndPoint local, IPEndPoint remote, byte[] datagram, IkeHeader header)
    {
        if (AcceptInitFrom(local, remote, datagram, header) is not { } tunnel)
        {
            return;
        }

        _saInit.HandleRequest(tunnel, local, remote, datagram, header);
    }

    /// <summary>The half-open IKE SA for an IKE_SA_INIT we answer (keyed by the exchange), due to vanish at negotiate-timeout without IKE_AUTH.</summary>
    private IkeSa NewResponderSa(TunnelRuntime tunnel, IPEndPoint local, IPEndPoint remote, ulong initiatorSpi, byte[] datagram, byte[] nonceI)
    {
        var now = Now;
        return new IkeSa
        {
            Tunnel = tunnel,
            Serial = _nextIkeSerial++,
            IsOriginalInitiator = false,
            InitiatorSpi = initiatorSpi,
            ResponderSpi = NewIkeSpi(),
            Local = local,
            Remote = remote,
            State = IkeSaState.InitResponded,
            CreatedAt = now,
            LastInbound = now,
            NonceInitiator = nonceI,
            NonceResponder = NewNonce(),
            InitRequest = datagram,
            DeleteBy = now + TimeSpan.FromSeconds(tunnel.Settings.NegotiateTimeoutSeconds),
        };
    }

    /// <summary>
    /// Whether a new IKE_SA_INIT is ours to answer, and for which phase 1: not a retransmission of one we answered (that
    /// gets the same answer again), from a peer we have a phase 1 for, and not lost to our own simultaneous attempt.
    /// </summary>
    private TunnelRuntime? AcceptInitFrom(IPEndPoint local, IPEndPoint remote, byte[] datagram, IkeHeader header)
    {
        if (header.ResponderSpi != 0 || header.MessageId != 0)
        {
            return null;
        }

        if (_sas.TryFindHalfOpen(remote, header.InitiatorSpi, out var existing))
        {
            // While its key exchange is computed there is no answer yet to repeat, and the repeat is dropped, not held: the
            // one answer goes out when the work is back and answers it too (holding it would only send it twice at once,
            // and would keep unverified bytes for an SA that is not even ours to keep yet).
            if (existing.Computing is null && existing.InitRequest.AsSpan().SequenceEqual(datagram))
            {
                _log.Sa(IkeLogLevel.Negotiation, existing.Tunnel.Name, existing.Serial, "retransmitting SA_INIT response");
                Publish(existing, new ResponseRetransmitted { MessageId = 0, SaInit = true });
                _host.SendIke(local, remote, existing.InitResponse);
            }

            return null;
        }

        var tunnel = FindTunnelForPeer(local.Address, remote.Address, version: 2);
        if (tunnel is null)
        {
            RefusePeer(local, remote, "no phase1 configured for this peer", IkeLogLevel.Event, $"ignoring IKE request from {remote}: no phase1 configured for this peer");
            return null;
        }

        if (tunnel.Current is { IsOriginalInitiator: true, State: IkeSaState.InitSent or IkeSaState.AuthSent } ours && tunnel.Settings.Type != Phase1Type.Dynamic)
        {
            // Both ends started at once (both auto-negotiate). The end with the higher address keeps its own attempt and ignores
            // the peer's; the lower yields and answers. Both apply the same rule, so exactly one IKE SA results.
            if (CompareAddresses(local.Address, remote.Address) > 0)
            {
                _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, ours.Serial, $"simultaneous IKE_SA_INIT from {remote}: keeping ours (higher address)");
                return null;
            }

            _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, ours.Serial, $"simultaneous IKE_SA_INIT from {remote}: answering the peer's (lower address)");
        }

        return tunnel;
    }

    /// <summary>
    /// The phase 1 a peer's first message belongs to: a static one with its address as remote gateway, else the first
    /// dial-up template listening there. Looked up in the configured index, so the dial-up instances are never walked.
    /// </summary>
    private TunnelRuntime? FindTunnelForPeer(IPAddress local, IPAddress remote, int version)
    {
        var index = ConfiguredIndex();
        foreach (var tunnel in index.WithRemote(remote))
        {
            if (tunnel.Settings.IkeVersion == version && Listens(tunnel, local))
            {
                return tunnel;
            }
        }

        foreach (var tunnel in index.Templates)
        {
            if (tunnel.Settings.IkeVersion == version && Listens(tunnel, local))
            {
                return tunnel;
            }
        }

        return null;
    }

    private bool Listens(TunnelRuntime tunnel, IPAddress local)
    {
        tunnel.LocalAddress ??= _options.LocalAddressResolver(tunnel.Settings);
        return tunnel.LocalAddress is not { } address || address.Equals(local) || address.Equals(IPAddress.Any);
    }

    private static int CompareAddresses(IPAddress a, IPAddress b) => a.GetAddressBytes().AsSpan().SequenceCompareTo(b.GetAddressBytes());
}
