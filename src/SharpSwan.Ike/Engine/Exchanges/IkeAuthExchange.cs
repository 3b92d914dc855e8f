using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// IKE_AUTH in both roles (PSK or certificates), mode-cfg on the client side, and the first child SA that rides on it
/// (<see cref="CreateChildExchange.CompleteAsInitiator"/>, <see cref="ChildResponder"/>). Establishing the IKE SA and
/// admitting a dial-up peer are the SA manager's part. With certificates, making our signature and checking the peer's
/// may run on another thread (<see cref="OwnAuthComputation"/>, <see cref="PeerAuthComputation"/>): the SA waits, and the
/// step goes on in the Complete method for it.
/// </summary>
internal sealed class IkeAuthExchange(IExchangeContext context, IIkeCredentials credentials, CreateChildExchange createChild, ChildResponder responder, ChildSettlement settlement)
{
    private const ushort InternalIp4Address = 1;
    private const ushort InternalIp4Dns = 3;

    /// <summary>Sends our IKE_AUTH, with the first wanted phase 2's child SA in it.</summary>
    public void SendRequest(IkeSa sa)
    {
        var tunnel = sa.Tunnel;
        var id = credentials.OwnIdentity(tunnel, sa.Local.Address, isInitiator: true);
        var payloads = new List<IkePayload> { id };

        // INITIAL_CONTACT tells the peer to drop whatever it still holds from us: only true if we hold nothing else for this peer.
        if (context.IsOnlySaOfTunnel(sa))
        {
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.InitialContact, []));
        }

        if (tunnel.Settings.Authmethod == Config.AuthMethod.Signature && credentials.CertificateRequest() is { } certificateRequest)
        {
            payloads.Add(certificateRequest);
        }

        if (!credentials.TryAddOwnAuthentication(sa, id, asInitiator: true, payloads, out var signature, out var authError))
        {
            context.FailIkeSa(sa, authError);
            return;
        }

        if (signature is not null)
        {
            // The request goes out once its signature is made (CompleteRequest); the SA_INIT request's deadline still runs.
            context.Compute(new InitiatorOwnAuthComputation(sa, signature, payloads));
            return;
        }

        SendWithAuth(sa, payloads);
    }

    /// <summary>Our IKE_AUTH request's signature is made (on the engine thread): AUTH goes in, and the request out.</summary>
    public void CompleteRequest(InitiatorOwnAuthComputation computation)
    {
        var sa = computation.Sa;
        if (computation.AuthData is not { } authData)
        {
            context.FailIkeSa(sa, computation.Error);
            return;
        }

        computation.Payloads.Add(new AuthenticationPayload(AuthMethod.DigitalSignature, authData));
        SendWithAuth(sa, computation.Payloads);
    }

    /// <summary>Sends our IKE_AUTH, its AUTH in place, with mode-cfg and the first wanted phase 2's child SA after it.</summary>
    private void SendWithAuth(IkeSa sa, List<IkePayload> payloads)
    {
        var tunnel = sa.Tunnel;
        if (tunnel.Settings.ModeCfg && !tunnel.IsDialupTemplate)
        {
            // A mode-cfg client asks the dial-up server for an address and DNS servers (RFC 7296 §3.15).
            payloads.Add(new ConfigurationPayload(ConfigurationType.Request, [new ConfigurationAttribute(InternalIp4Address, []), new ConfigurationAttribute(InternalIp4Dns, [])]));
        }

        var child = ProposeFirstChild(sa, payloads);
        sa.State = IkeSaState.AuthSent;
        context.SendRequest(sa, ExchangeType.IkeAuth, payloads, "AUTH", new AuthRequest(child));
        sa.Window.Outstanding!.Deadline = sa.CreatedAt + TimeSpan.FromSeconds(tunnel.Settings.NegotiateTimeoutSeconds);
    }

    private ChildProposalContext? ProposeFirstChild(IkeSa sa, List<IkePayload> payloads)
    {
        var tunnel = sa.Tunnel;
        if (sa.WantedPhase2.Select(tunnel.FindPhase2).FirstOrDefault(p => p is not null) is not { } phase2)
        {
            return null;
        }

        var child = new ChildProposalContext(phase2, context.NewChildSpi(), SelectorMath.ToWire(phase2.Source, phase2.Protocol, phase2.SourcePort), SelectorMath.ToWire(phase2.Destination, phase2.Protocol, phase2.DestinationPort));
        payloads.Add(ProposalBuilder.ForEsp(phase2.Proposals, [], child.InboundSpi, sa.Tunnel.Settings.Esn));
        payloads.Add(new TrafficSelectorPayload(true, [child.Local]));
        payloads.Add(new TrafficSelectorPayload(false, [child.Remote]));
        sa.WantedPhase2.Remove(phase2.Name);
        return child;
    }

    /// <summary>Our IKE_AUTH (or the IKE_SA_INIT before it) went unanswered.</summary>
    public void TimedOut(IkeSa sa) => context.FailIkeSa(sa, "negotiation timeout");

    public void HandleResponse(IkeSa sa, IkeMessage message, PendingRequest pending)
    {
        var request = (AuthRequest)pending.Request;
        var tunnel = sa.Tunnel;
        var auth = message.Find<AuthenticationPayload>();
        var id = message.IdResponder;
        if (auth is null || id is null)
        {
            var error = message.Payloads.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError);
            context.FailIkeSa(sa, error is null ? "malformed AUTH response" : $"peer answered {WireText.NotifyName(error.NotifyType)}", error?.NotifyType);
            return;
        }

        if (!IkeIdentities.PeerAccepted(tunnel.Settings, id, out var identity))
        {
            context.FailIkeSa(sa, $"peer identity {identity} does not match peerid");
            return;
        }

        if (!credentials.VerifyPeerAuthentication(sa, message, id, auth, fromInitiator: false, out var check, out var reason))
        {
            context.FailIkeSa(sa, reason);
            return;
        }

        if (check is not null)
        {
            // The answer is here: while its signature is checked (maybe elsewhere) the request stays outstanding, so
            // nothing is resent but negotiate-timeout still ends the wait (CompleteResponse goes on).
            sa.Window.Outstanding = pending;
            context.Compute(new InitiatorPeerAuthComputation(sa, check, message, request, identity));
            return;
        }

        Authenticated(sa, message, request, identity);
    }

    /// <summary>The responder's signature was checked (on the engine thread): the SA is established, or fails.</summary>
    public void CompleteResponse(InitiatorPeerAuthComputation computation)
    {
        var sa = computation.Sa;
        sa.Window.Outstanding = null;
        if (!credentials.AcceptPeerSignature(sa, computation.Check, out var reason))
        {
            context.FailIkeSa(sa, reason);
            return;
        }

        Authenticated(sa, computation.Response, computation.Request, computation.PeerIdentity);
    }

    /// <summary>The responder is authenticated: the SA is established with the child SA its answer carries.</summary>
    private void Authenticated(IkeSa sa, IkeMessage message, AuthRequest request, string identity)
    {
        var tunnel = sa.Tunnel;
        sa.PeerIdentity = identity;
        TakeAssignedAddress(sa, message, identity);
        context.MarkEstablished(sa, initialContact: false);
        if (request.Child is { } child)
        {
            tunnel.Negotiating.Remove(child.Settings.Name);
            createChild.CompleteAsInitiator(sa, child, message, sharedSecret: [], nonceI: sa.NonceInitiator, nonceR: sa.NonceResponder, rekeyOf: null);
        }

        sa.ForgetSetupMaterial();
        context.RequestWantedPhase2(sa, skipUsable: false);
        context.PumpQueue(sa);
    }

    /// <summary>As a mode-cfg client: the address the server assigned us, handed to the host for the tunnel interface.</summary>
    private void TakeAssignedAddress(IkeSa sa, IkeMessage message, string identity)
    {
        var tunnel = sa.Tunnel;
        if (message.Find<ConfigurationPayload>() is not { ConfigType: ConfigurationType.Reply } configReply ||
            configReply.Attributes.FirstOrDefault(a => a.AttributeType == InternalIp4Address && a.Value.Length == 4) is not { } address)
        {
            return;
        }

        var assigned = new IPAddress(address.Value);
        context.Log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"mode-cfg: server assigned {assigned}");
        if (!assigned.Equals(tunnel.AssignedAddress))
        {
            if (tunnel.AssignedAddress is { } previous)
            {
                context.Host.AssignedAddressChanged(tunnel.Name, null);
                context.Publish(sa, new AddressReleased { Address = previous, ToPeer = false });
            }

            tunnel.AssignedAddress = assigned;
            context.Host.AssignedAddressChanged(tunnel.Name, assigned);
        }

        context.Publish(sa, new AddressAssigned
        {
            Address = assigned,
            ToPeer = false,
            PeerIdentity = identity,
            DnsServers = IkeEngine.DnsServersIn(configReply.Attributes.Select(a => (a.AttributeType, (byte[]?)a.Value))),
        });
    }

    /// <summary>Answers the peer's IKE_AUTH on a half-open SA: authenticates it, establishes the SA and answers its child SA.</summary>
    public void HandleRequest(IkeSa sa, IkeMessage message)
    {
        var request = message.Header;
        if (sa.State != IkeSaState.InitResponded)
        {
            return;
        }

        var auth = message.Find<AuthenticationPayload>();
        var id = message.IdInitiator;
        if (auth is null || id is null)
        {
            context.Respond(sa, request, [WireText.Error(NotifyType.AuthenticationFailed)]);
            context.RemoveIkeSa(sa, "malformed AUTH request");
            return;
        }

        if (AcceptedIdentity(sa, request, auth, id) is not { } identity)
        {
            return;
        }

        if (!credentials.VerifyPeerAuthentication(sa, message, id, auth, fromInitiator: true, out var check, out var reason))
        {
            Refuse(sa, request, reason, identity, $"peer {sa.Remote}, id {identity}");
            return;
        }

        if (check is not null)
        {
            // The peer's retransmissions meanwhile are held, and answered from the cached answer once there is one.
            context.Compute(new ResponderPeerAuthComputation(sa, check, message, identity));
            return;
        }

        Authenticated(sa, message, identity);
    }

    /// <summary>The initiator's signature was checked (on the engine thread): we go on to our own AUTH, or refuse.</summary>
    public void CompleteRequest(ResponderPeerAuthComputation computation)
    {
        var (sa, message, identity) = (computation.Sa, computation.Request, computation.PeerIdentity);
        if (!credentials.AcceptPeerSignature(sa, computation.Check, out var reason))
        {
            Refuse(sa, message.Header, reason, identity, $"peer {sa.Remote}, id {identity}");
            return;
        }

        Authenticated(sa, message, identity);
    }

    /// <summary>The initiator is authenticated: our AUTH, made here (PSK) or elsewhere (signature), then the answer.</summary>
    private void Authenticated(IkeSa sa, IkeMessage message, string identity)
    {
        sa.PeerIdentity = identity;
        var ourId = credentials.OwnIdentity(sa.Tunnel, sa.Local.Address, isInitiator: false);
        var payloads = new List<IkePayload> { ourId };
        if (!credentials.TryAddOwnAuthentication(sa, ourId, asInitiator: false, payloads, out var signature, out var authError))
        {
            Refuse(sa, message.Header, authError, identity);
            return;
        }

        if (signature is not null)
        {
            context.Compute(new ResponderOwnAuthComputation(sa, signature, message, identity, payloads));
            return;
        }

        Answer(sa, message, identity, payloads);
    }

    /// <summary>Our answer's signature is made (on the engine thread): AUTH goes in, and the SA is established and answered.</summary>
    public void CompleteAnswer(ResponderOwnAuthComputation computation)
    {
        var (sa, message, identity) = (computation.Sa, computation.Request, computation.PeerIdentity);
        if (computation.AuthData is not { } authData)
        {
            Refuse(sa, message.Header, computation.Error, identity);
            return;
        }

        computation.Payloads.Add(new AuthenticationPayload(AuthMethod.DigitalSignature, authData));
        Answer(sa, message, identity, computation.Payloads);
    }

    /// <summary>Admits a dial-up peer, establishes the SA, answers the peer's IKE_AUTH (AUTH in place) and its child SA.</summary>
    private void Answer(IkeSa sa, IkeMessage message, string identity, List<IkePayload> payloads)
    {
        var request = message.Header;
        var initialContact = message.FindNotify(NotifyType.InitialContact) is not null;
        if (sa.Tunnel.IsDialupTemplate)
        {
            if (context.AdmitDialupPeer(sa, message, identity, initialContact, payloads) is not { } instance)
            {
                return;
            }

            sa.Tunnel = instance;
        }

        context.MarkEstablished(sa, initialContact);
        var child = responder.Answer(sa, message, payloads, rekeyOf: null);
        context.Respond(sa, request, payloads);
        settlement.Settle(sa, child, rekeyOf: null);
        sa.ForgetSetupMaterial();

        // Phase 2s we wanted ourselves (our own attempt lost the simultaneous start) follow on this IKE SA.
        context.RequestWantedPhase2(sa, skipUsable: true);
    }

    /// <summary>
    /// The peer's identity, checked against its phase 1 (for a dial-up SA, the one its method and identity pick). Null
    /// when refused (answered and dropped here).
    /// </summary>
    private string? AcceptedIdentity(IkeSa sa, IkeHeader request, AuthenticationPayload auth, IdentificationPayload id)
    {
        if (sa.Tunnel.IsDialupTemplate)
        {
            // Which dial-up phase 1 the peer belongs to shows only now: its AUTH method and its identity.
            if (context.ChooseDialupTemplate(sa.Tunnel, sa.Local.Address, auth.Method, id) is not { } chosen)
            {
                Refuse(sa, request, $"no dial-up phase1 accepts peer {sa.Remote} id {IkeIdentities.Describe(id)} with auth method {(int)auth.Method}", IkeIdentities.Describe(id));
                return null;
            }

            sa.Tunnel = chosen;
        }

        if (!IkeIdentities.PeerAccepted(sa.Tunnel.Settings, id, out var identity))
        {
            Refuse(sa, request, $"peer identity {identity} does not match peerid {sa.Tunnel.Settings.PeerId}", identity, $"peer {sa.Remote}");
            return null;
        }

        return identity;
    }

    /// <summary>
    /// Answers AUTHENTICATION_FAILED, logs why (never the key) and drops the half-made IKE SA. The log names the peer in
    /// <paramref name="peer"/>; the event carries it as its endpoint.
    /// </summary>
    private void Refuse(IkeSa sa, IkeHeader request, string reason, string? identity, string? peer = null)
    {
        context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, peer is null ? $"authentication failed: {reason}" : $"authentication failed: {reason} ({peer})");
        context.Publish(sa, new AuthenticationFailed { Reason = reason, PeerIdentity = identity });
        context.Respond(sa, request, [WireText.Error(NotifyType.AuthenticationFailed)]);
        context.RemoveIkeSa(sa, "authentication failed");
    }
}
