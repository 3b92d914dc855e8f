using System.Net;
using System.Security.Cryptography;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;
using WireAuthMethod = SharpSwan.Ike.Wire.AuthMethod;

namespace SharpSwan.Ike.Engine;

/// <summary>IKE_AUTH with pre-shared keys, and the first child SA that rides on it.</summary>
public sealed partial class IkeEngine
{
    private static readonly byte[] KeyPad = Encoding.ASCII.GetBytes("Key Pad for IKEv2");

    private void SendAuth(IkeSa sa)
    {
        var tunnel = sa.Tunnel;
        var phase2 = sa.WantedPhase2.Select(tunnel.FindPhase2).FirstOrDefault(p => p is not null);
        var id = OwnIdentity(tunnel, sa.Local.Address, isInitiator: true);
        var payloads = new List<IkePayload> { id };

        // INITIAL_CONTACT tells the peer to drop whatever it still holds from us: only true if we hold nothing else for this peer.
        if (!_sas.Of(tunnel).Any(other => other != sa && other.State != IkeSaState.Dead))
        {
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.InitialContact, []));
        }

        if (tunnel.Settings.Authmethod == Config.AuthMethod.Signature && CertificateRequest() is { } certificateRequest)
        {
            payloads.Add(certificateRequest);
        }

        if (!TryAddOwnAuthentication(sa, id, asInitiator: true, payloads, out var authError))
        {
            FailIkeSa(sa, authError);
            return;
        }

        if (tunnel.Settings.ModeCfg && !tunnel.IsDialupTemplate)
        {
            // A mode-cfg client asks the dial-up server for an address and DNS servers (RFC 7296 §3.15).
            payloads.Add(new ConfigurationPayload(ConfigurationType.Request, [new ConfigurationAttribute(InternalIp4Address, []), new ConfigurationAttribute(InternalIp4Dns, [])]));
        }

        ChildProposalContext? child = null;
        if (phase2 is not null)
        {
            child = new ChildProposalContext(phase2, NewChildSpi(), SelectorMath.ToWire(phase2.Source, phase2.Protocol, phase2.SourcePort), SelectorMath.ToWire(phase2.Destination, phase2.Protocol, phase2.DestinationPort));
            payloads.Add(ProposalBuilder.ForEsp(phase2.Proposals, [], child.InboundSpi));
            payloads.Add(new TrafficSelectorPayload(true, [child.Local]));
            payloads.Add(new TrafficSelectorPayload(false, [child.Remote]));
            sa.WantedPhase2.Remove(phase2.Name);
        }

        sa.State = IkeSaState.AuthSent;
        SendRequest(sa, ExchangeType.IkeAuth, payloads, "AUTH", new AuthRequest(child));
        sa.Window.Outstanding!.Deadline = sa.CreatedAt + TimeSpan.FromSeconds(tunnel.Settings.NegotiateTimeoutSeconds);
    }

    private void HandleAuthResponse(IkeSa sa, IkeMessage message, ChildProposalContext? child)
    {
        var tunnel = sa.Tunnel;
        var auth = message.Find<AuthenticationPayload>();
        var id = message.IdResponder;
        if (auth is null || id is null)
        {
            var error = message.Payloads.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError);
            FailIkeSa(sa, error is null ? "malformed AUTH response" : $"peer answered {WireText.NotifyName(error.NotifyType)}", error?.NotifyType);
            return;
        }

        if (!PeerIdentityAccepted(tunnel.Settings, id, out var identity))
        {
            FailIkeSa(sa, $"peer identity {identity} does not match peerid");
            return;
        }

        if (!VerifyPeerAuthentication(sa, message, id, auth, fromInitiator: false, out var reason))
        {
            FailIkeSa(sa, reason);
            return;
        }

        sa.PeerIdentity = identity;
        if (message.Find<ConfigurationPayload>() is { ConfigType: ConfigurationType.Reply } configReply &&
            configReply.Attributes.FirstOrDefault(a => a.AttributeType == InternalIp4Address && a.Value.Length == 4) is { } address)
        {
            var assigned = new IPAddress(address.Value);
            _log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"mode-cfg: server assigned {assigned}");
            if (!assigned.Equals(tunnel.AssignedAddress))
            {
                if (tunnel.AssignedAddress is { } previous)
                {
                    _host.AssignedAddressChanged(tunnel.Name, null);
                    Publish(sa, new AddressReleased { Address = previous, ToPeer = false });
                }

                tunnel.AssignedAddress = assigned;
                _host.AssignedAddressChanged(tunnel.Name, assigned);
            }

            Publish(sa, new AddressAssigned { Address = assigned, ToPeer = false, PeerIdentity = identity });
        }

        MarkEstablished(sa, initialContact: false);

        if (child is not null)
        {
            tunnel.Negotiating.Remove(child.Settings.Name);
            _createChild.CompleteAsInitiator(sa, child, message, sharedSecret: [], nonceI: sa.NonceInitiator, nonceR: sa.NonceResponder, rekeyOf: null);
        }

        RequestWantedPhase2(sa, skipUsable: false);
        PumpQueue(sa);
    }

    private void HandleAuthRequest(IkeSa sa, IkeMessage message)
    {
        var tunnel = sa.Tunnel;
        var request = message.Header;
        if (sa.State != IkeSaState.InitResponded)
        {
            return;
        }

        var auth = message.Find<AuthenticationPayload>();
        var id = message.IdInitiator;
        if (auth is null || id is null)
        {
            Respond(sa, request, [new NotifyPayload(ProtocolId.None, [], NotifyType.AuthenticationFailed, [])]);
            RemoveIkeSa(sa, "malformed AUTH request");
            return;
        }

        var initialContact = message.FindNotify(NotifyType.InitialContact) is not null;
        if (tunnel.IsDialupTemplate)
        {
            // Which dial-up phase 1 the peer belongs to shows only now: its AUTH method and its identity.
            if (ChooseDialupTemplate(tunnel, sa.Local.Address, auth.Method, id) is not { } chosen)
            {
                RefuseAuth(sa, request, $"no dial-up phase1 accepts peer {sa.Remote} id {DescribeId(id)} with auth method {(int)auth.Method}", DescribeId(id));
                return;
            }

            sa.Tunnel = tunnel = chosen;
        }

        if (!PeerIdentityAccepted(tunnel.Settings, id, out var identity))
        {
            RefuseAuth(sa, request, $"peer identity {identity} does not match peerid {tunnel.Settings.PeerId}", identity, $"peer {sa.Remote}");
            return;
        }

        if (!VerifyPeerAuthentication(sa, message, id, auth, fromInitiator: true, out var reason))
        {
            RefuseAuth(sa, request, reason, identity, $"peer {sa.Remote}, id {identity}");
            return;
        }

        sa.PeerIdentity = identity;
        var ourId = OwnIdentity(tunnel, sa.Local.Address, isInitiator: false);
        var payloads = new List<IkePayload> { ourId };
        if (!TryAddOwnAuthentication(sa, ourId, asInitiator: false, payloads, out var authError))
        {
            RefuseAuth(sa, request, authError, identity);
            return;
        }

        if (tunnel.IsDialupTemplate)
        {
            if (AdmitDialupPeer(sa, message, identity, initialContact, payloads) is not { } instance)
            {
                return;
            }

            sa.Tunnel = tunnel = instance;
        }

        MarkEstablished(sa, initialContact);
        var child = _childResponder.Answer(sa, message, payloads, ownExchange: false, rekeyOf: null);
        Respond(sa, request, payloads);
        _childSettlement.Settle(sa, child, rekeyOf: null);

        // Phase 2s we wanted ourselves (our own attempt lost the simultaneous start) follow on this IKE SA.
        RequestWantedPhase2(sa, skipUsable: true);
    }

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
        if (tunnel.Settings.ModeCfg && message.Find<ConfigurationPayload>() is { ConfigType: ConfigurationType.Request } configRequest)
        {
            if (!TryBuildModeCfgReply(tunnel, configRequest, identity, out var reply, out leased))
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

        var instance = CreateInstance(tunnel);
        instance.AssignedAddress = leased;
        if (leased is not null)
        {
            _log.Tunnel(IkeLogLevel.Event, instance.Name, $"mode-cfg: assigned {leased} to peer {sa.Remote} id {identity}");
            Publish(sa, new AddressAssigned { Phase1 = instance.Name, Address = leased, ToPeer = true, PeerIdentity = identity });
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

        sa.RekeyAt = tunnel.Settings.Rekey ? now + IkeRekeyDelay(tunnel.Settings, sa.IsOriginalInitiator) : null;
        string? replaces = null;
        if (initialContact && ((tunnel.Current is { EstablishedAt: not null } held && held != sa) || tunnel.Retiring.Count > 0))
        {
            // The peer says it holds nothing from us, yet we hold an IKE SA from it: it restarted.
            var stale = tunnel.Current is { EstablishedAt: not null } current && current != sa ? current : tunnel.Retiring[0];
            Publish(sa, new PeerRestartDetected { PeerIdentity = sa.PeerIdentity, StaleSpis = stale.SpiText });
        }

        if (tunnel.Current is { } previous && previous != sa)
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

    /// <summary>RFC 7296 §2.15: the octets both PSK and signature AUTH cover (the message, the other nonce, prf(SK_p, ID')).</summary>
    private static byte[] SignedOctets(IkeSa sa, IdentificationPayload id, bool fromInitiator)
    {
        var keys = sa.Keys!;
        var prf = Prf.Create(sa.Suite!.Prf);
        var message = fromInitiator ? sa.InitRequest : sa.InitResponse;
        var nonce = fromInitiator ? sa.NonceResponder : sa.NonceInitiator;
        var idKey = fromInitiator ? keys.SkPi : keys.SkPr;
        var macedId = prf.Compute(idKey, id.GetAuthenticatedBody());
        var octets = new byte[message.Length + nonce.Length + macedId.Length];
        message.CopyTo(octets, 0);
        nonce.CopyTo(octets, message.Length);
        macedId.CopyTo(octets, message.Length + nonce.Length);
        return octets;
    }

    private static byte[] PskAuth(IkeSa sa, IdentificationPayload id, bool fromInitiator)
    {
        var prf = Prf.Create(sa.Suite!.Prf);
        var psk = sa.Tunnel.Settings.PresharedKey is { } secret ? secret.Bytes : [];
        var padded = prf.Compute(psk, KeyPad);
        var result = prf.Compute(padded, SignedOctets(sa, id, fromInitiator));
        CryptographicOperations.ZeroMemory(padded);
        return result;
    }

    /// <summary>
    /// Answers AUTHENTICATION_FAILED, logs why (never the key) and drops the half-made IKE SA. The log names the peer in
    /// <paramref name="peer"/>; the event carries it as its endpoint.
    /// </summary>
    private void RefuseAuth(IkeSa sa, IkeHeader request, string reason, string? identity, string? peer = null)
    {
        _log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, peer is null ? $"authentication failed: {reason}" : $"authentication failed: {reason} ({peer})");
        Publish(sa, new AuthenticationFailed { Reason = reason, PeerIdentity = identity });
        Respond(sa, request, [new NotifyPayload(ProtocolId.None, [], NotifyType.AuthenticationFailed, [])]);
        RemoveIkeSa(sa, "authentication failed");
    }

    private static IdentificationPayload LocalIdentity(TunnelRuntime tunnel, IPAddress localAddress, bool isInitiator)
    {
        var settings = tunnel.Settings;
        if (string.IsNullOrEmpty(settings.LocalId))
        {
            return new IdentificationPayload(isInitiator, IdType.Ipv4Address, localAddress.GetAddressBytes());
        }

        var value = settings.LocalId;
        var type = settings.LocalIdType switch
        {
            LocalIdType.Fqdn => IdType.Fqdn,
            LocalIdType.UserFqdn => IdType.Rfc822Address,
            LocalIdType.KeyId => IdType.KeyId,
            LocalIdType.Address => IdType.Ipv4Address,
            _ => IPAddress.TryParse(value, out _) ? IdType.Ipv4Address : value.Contains('@', StringComparison.Ordinal) ? IdType.Rfc822Address : IdType.Fqdn,
        };
        var data = type == IdType.Ipv4Address && IPAddress.TryParse(value, out var address) ? address.GetAddressBytes() : Encoding.UTF8.GetBytes(value);
        return new IdentificationPayload(isInitiator, type, data);
    }

    private static bool PeerIdentityAccepted(Phase1Settings settings, IdentificationPayload id, out string identity)
    {
        identity = DescribeId(id);
        if (string.IsNullOrEmpty(settings.PeerId) || settings.PeerType is not (PeerType.One or PeerType.Peer or PeerType.Any))
        {
            return true;
        }

        if (IdentityKind(id.IdType) is { } kind)
        {
            return CertificateIdentity.MatchesConfigured(settings.PeerId, kind, id.Data);
        }

        return string.Equals(settings.PeerId, identity, StringComparison.OrdinalIgnoreCase);
    }

    private static string DescribeId(IdentificationPayload id) => id.IdType switch
    {
        IdType.Ipv4Address or IdType.Ipv6Address when id.Data.Length is 4 or 16 => new IPAddress(id.Data).ToString(),
        IdType.Fqdn or IdType.Rfc822Address or IdType.KeyId => Printable(id.Data),
        IdType.DerAsn1Dn => DescribeIdentity(id),
        _ => $"type {(int)id.IdType}, {id.Data.Length} bytes",
    };

    private static string Printable(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        return text.All(c => c >= ' ' && c < 127) ? text : Convert.ToHexString(data);
    }
}
