using System.Net;
using SharpSwan.Config;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// An IKE SA becoming established, as the SA manager: what it replaces, the dial-up instance for a peer that authenticated,
/// and the phase 2s that waited for it (the exchange itself is <see cref="IkeAuthExchange"/>).
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>The phase 2s waiting for this IKE SA to come up, requested on it now (skipping those already up, if asked).</summary>
    private void RequestWantedPhase2(IkeSa sa, bool skipUsable)
    {
        var tunnel = sa.Tunnel;
        foreach (var name in sa.WantedPhase2.ToList())
        {
            sa.WantedPhase2.Remove(name);
            if (tunnel.FindPhase2(name) is { } wanted && !(skipUsable && HasUsableChild(tunnel, name)))
            {
                tunnel.Negotiating.Remove(name);
                RequestChild(tunnel, wanted, reason: "negotiate");
            }
        }
    }

    /// <summary>
    /// A peer authenticated on a dial-up phase 1: drop what it left behind (INITIAL_CONTACT), lease its mode-cfg address and
    /// give it its own instance. Null when the pool is empty: then the IKE SA was answered and deleted here.
    /// </summary>
    private TunnelRuntime? AdmitDialupPeer(IkeSa sa, IkeMessage message, string identity, bool initialContact, List<IkePayload> payloads)
    {
        var tunnel = sa.Tunnel;
        var request = message.Header;
        if (initialContact)
        {
            RemoveStaleInstances(tunnel, identity, sa);
        }

        IPAddress? leased = null;
        ConfigurationPayload? reply = null;
        if (tunnel.Settings.ModeCfg && message.Find<ConfigurationPayload>() is { ConfigType: ConfigurationType.Request } configRequest)
        {
            if (!TryBuildModeCfgReply(tunnel, configRequest, identity, out reply, out leased))
            {
                // RFC 7296 §3.15.4: the IKE SA is made, the child is not. We then delete it: an instance without its address is useless.
                _log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"mode-cfg: no address left in pool {tunnel.Settings.Ipv4StartIp}-{tunnel.Settings.Ipv4EndIp} for peer {sa.Remote} id {identity}: INTERNAL_ADDRESS_FAILURE");
                Publish(sa, new PeerRefused { Reason = $"mode-cfg: no address left in pool {tunnel.Settings.Ipv4StartIp}-{tunnel.Settings.Ipv4EndIp}", PeerIdentity = identity });
                payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.InternalAddressFailure, []));
                sa.State = IkeSaState.Established;
                _sas.NoLongerHalfOpen(sa);
                Respond(sa, request, payloads);
                DeleteIkeSa(sa, notifyPeer: true, reason: "mode-cfg pool exhausted");
                return null;
            }

            payloads.Add(reply!);
        }

        var instance = CreateInstance(tunnel, identity);
        instance.AssignedAddress = leased;
        if (leased is not null)
        {
            _log.Tunnel(IkeLogLevel.Event, instance.Name, $"mode-cfg: assigned {leased} to peer {sa.Remote} id {identity}");
            Publish(sa, new AddressAssigned
            {
                Phase1 = instance.Name,
                Address = leased,
                ToPeer = true,
                PeerIdentity = identity,
                DnsServers = DnsServersIn(reply!.Attributes.Select(a => (a.AttributeType, (byte[]?)a.Value))),
            });
        }

        return instance;
    }

    private void MarkEstablished(IkeSa sa, bool initialContact)
    {
        var tunnel = sa.Tunnel;
        var now = Now;
        sa.State = IkeSaState.Established;
        sa.EstablishedAt = now;
        sa.DeleteBy = null;
        _sas.NoLongerHalfOpen(sa);

        sa.RekeyAt = !tunnel.Settings.Rekey ? null : now + (sa.V1 is null ? IkeRekeyDelay(tunnel.Settings, sa.IsOriginalInitiator) : IsakmpRenewalDelay(sa));
        string? replaces = null;
        if (initialContact && ((tunnel.Current is { EstablishedAt: not null } held && held != sa) || tunnel.Retiring.Count > 0))
        {
            // The peer says it holds nothing from us, yet we hold an IKE SA from it: it restarted.
            var stale = tunnel.Current is { EstablishedAt: not null } current && current != sa ? current : tunnel.Retiring[0];
            Publish(sa, new PeerRestartDetected { PeerIdentity = sa.PeerIdentity, StaleSpis = stale.SpiText });
        }

        if (CarryOverIsakmp(sa, initialContact, out var renewed))
        {
            replaces = renewed;
        }
        else if (tunnel.Current is { } previous && previous != sa)
        {
            if (initialContact || previous.State == IkeSaState.Established)
            {
                // The peer restarted (INITIAL_CONTACT) or replaced its IKE SA: the old one and its children are stale.
                replaces = previous.EstablishedAt is null ? null : previous.SpiText;
                RemoveIkeSa(previous, initialContact ? "peer sent INITIAL_CONTACT" : "replaced by a new IKE SA");
            }
            else
            {
                // Our own attempt is still under way; the peer's SA is complete, so ours is redundant. Its wanted phase 2s move over.
                foreach (var phase2 in previous.WantedPhase2.Where(p => !sa.WantedPhase2.Contains(p)))
                {
                    sa.WantedPhase2.Add(phase2);
                }

                RemoveIkeSa(previous, "superseded by the peer's IKE SA");
            }
        }

        if (initialContact)
        {
            foreach (var stale in tunnel.Retiring.ToList())
            {
                RemoveIkeSa(stale, "peer sent INITIAL_CONTACT");
            }
        }

        tunnel.Current = sa;
        var suite = sa.Suite!;
        _log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"established IKE SA {sa.SpiText} {sa.Direction} {sa.Local}->{sa.Remote} proposal {suite.DisplayName} dhgrp {(int)suite.Group}, peer id {sa.PeerIdentity}");
        Publish(sa, new IkeSaEstablished
        {
            Role = sa.IsOriginalInitiator ? IkeRole.Initiator : IkeRole.Responder,
            InitiatorSpi = sa.InitiatorSpi,
            ResponderSpi = sa.ResponderSpi,
            Proposal = suite.DisplayName,
            DhGroup = (int)suite.Group,
            NatTraversal = sa.UsesNatTraversal,
            PeerIdentity = sa.PeerIdentity,
            Replaces = replaces,
        });
    }

    private TimeSpan IkeRekeyDelay(Phase1Settings settings, bool initiator)
    {
        var life = TimeSpan.FromSeconds(settings.KeyLifeSeconds);
        var margin = Phase2Lifecycle.SoftMargin(life, initiator, _random);
        return life - margin;
    }
}
