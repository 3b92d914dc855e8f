using System.Net;
using System.Security.Cryptography;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// IKE_SA_INIT in both roles: proposals, key exchange, INVALID_KE_PAYLOAD, COOKIE and NAT detection. Which tunnel a new
/// request belongs to (and whether it is ours to answer at all) is the SA manager's decision before it gets here.
/// </summary>
internal sealed class IkeSaInitExchange(IExchangeContext context, IIkeCredentials credentials, InitAdmission admission)
{
    /// <summary>Sends (or repeats, after COOKIE or INVALID_KE_PAYLOAD) our IKE_SA_INIT offering <paramref name="group"/> first.</summary>
    public void SendRequest(IkeSa sa, DiffieHellmanGroup group)
    {
        sa.InitAttempts++;
        sa.InitGroup = group;
        // A retry after COOKIE must repeat the request unchanged (RFC 7296 §2.6): the responder's cookie covers our
        // nonce. Only a new DH group (INVALID_KE_PAYLOAD) needs a new key exchange.
        if (sa.PendingKeyExchange?.Group == group)
        {
            Send(sa);
            return;
        }

        sa.PendingKeyExchange?.Dispose();
        sa.PendingKeyExchange = null;

        // The private key is drawn here, in the engine's order; the key pair may be made on another thread, and the
        // request goes out once it is back (CompleteKeyPair).
        context.Compute(new InitiatorSaInitKeyPairComputation(sa, group, KeyExchange.DrawPrivateKey(group, context.Random)));
    }

    /// <summary>Our key pair for IKE_SA_INIT is made (on the engine thread): the request goes out.</summary>
    public void CompleteKeyPair(InitiatorSaInitKeyPairComputation computation)
    {
        var sa = computation.Sa;
        if (computation.TakeKeyPair() is not { } pair)
        {
            context.FailIkeSa(sa, "our key exchange could not be made");
            return;
        }

        sa.PendingKeyExchange = pair;
        Send(sa);
    }

    /// <summary>Sends our IKE_SA_INIT with the key exchange we hold for <see cref="IkeSa.InitGroup"/>.</summary>
    private void Send(IkeSa sa)
    {
        var (settings, group) = (sa.Tunnel.Settings, sa.InitGroup);
        if (sa.NonceInitiator.Length == 0)
        {
            sa.NonceInitiator = context.NewNonce();
        }

        sa.Window.NextRequestId = 0;
        var payloads = RequestPayloads(sa, group);
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"initiator: sending IKE_SA_INIT, proposals {string.Join(' ', settings.Proposals.Select(p => p.Name))}, dhgrp {(int)group}");
        context.Publish(sa, new IkeSaInitSent { DhGroup = (int)group });
        // Auto-negotiate tries every 5 s until the tunnel is up (FortiOS): while the peer is silent, resend IKE_SA_INIT on
        // that schedule rather than backing off, so the tunnel is back within 5 s of the peer's return; negotiate-timeout
        // still ends the attempt, and the next one starts at once.
        var autoNegotiate = sa.Tunnel.Phase2.Any(p => p.AutoNegotiate && sa.WantedPhase2.Contains(p.Name));
        context.SendRequest(
            sa,
            ExchangeType.IkeSaInit,
            payloads,
            "SA_INIT",
            new InitRequest(),
            fixedInterval: autoNegotiate ? context.Options.AutoNegotiateInterval : null,
            limit: autoNegotiate ? int.MaxValue : null);
        sa.InitRequest = sa.Window.Outstanding!.Datagram;
        sa.Window.Outstanding.Deadline = sa.CreatedAt + TimeSpan.FromSeconds(settings.NegotiateTimeoutSeconds);
    }

    private List<IkePayload> RequestPayloads(IkeSa sa, DiffieHellmanGroup group)
    {
        var settings = sa.Tunnel.Settings;
        var payloads = new List<IkePayload>();
        if (sa.Cookie is { } cookie)
        {
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.Cookie, cookie));
        }

        payloads.Add(ProposalBuilder.ForIke(settings.Proposals, settings.DhGroups, []));
        payloads.Add(new KeyExchangePayload(group, sa.PendingKeyExchange!.PublicValue));
        payloads.Add(new NoncePayload(sa.NonceInitiator));
        if (settings.NatTraversal != NatTraversal.Disable)
        {
            // With `nattraversal forced` we claim a NAT in front of us so that both ends move to UDP 4500.
            var sourceHash = settings.NatTraversal == NatTraversal.Forced ? RandomHash() : NatDetection.Hash(sa.InitiatorSpi, 0, sa.Local);
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionSourceIp, sourceHash));
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionDestinationIp, NatDetection.Hash(sa.InitiatorSpi, 0, sa.Remote)));
        }

        if (settings.Fragmentation)
        {
            // RFC 7383 §2.3: both ends announce it here, or neither sends fragments.
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.Ikev2FragmentationSupported, []));
        }

        if (settings.Authmethod == Config.AuthMethod.Signature)
        {
            // RFC 7427 §4: tell the peer which hashes we verify, so it signs with one of them.
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.SignatureHashAlgorithms, DigitalSignatureAuth.SupportedHashesNotifyData));
        }

        return payloads;
    }

    /// <summary>
    /// The answer to our IKE_SA_INIT: a retry (COOKIE, another DH group), a failure, or the key exchange that keys the SA,
    /// which may run on another thread; <see cref="CompleteResponse"/> takes it up from there.
    /// </summary>
    public void HandleResponse(IkeSa sa, byte[] datagram, IkeHeader header)
    {
        if (sa.State != IkeSaState.InitSent || sa.Window.Outstanding is not { MessageId: 0 } || !header.IsResponse)
        {
            return;
        }

        var parsed = IkeMessageCodec.Decode(datagram, null);
        if (!parsed.Success || parsed.Message is not { } message)
        {
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"dropped SA_INIT response: {parsed.Error} {parsed.Detail}");
            context.Publish(sa, new MalformedMessageDropped { Error = parsed.Error, IsResponse = true });
            return;
        }

        if (RetriedInit(sa, message))
        {
            return;
        }

        if (message.Payloads.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError) is { } error)
        {
            context.FailIkeSa(sa, $"peer answered {WireText.NotifyName(error.NotifyType)}", error.NotifyType);
            return;
        }

        if (AcceptAnswer(sa, message, header) is not { } answer)
        {
            return;
        }

        // Our key exchange goes with the computation, which wipes it; until the keys are back the SA holds what comes
        // (its request stays outstanding, only for negotiate-timeout: the answer is here, nothing is resent).
        var ours = sa.PendingKeyExchange!;
        sa.PendingKeyExchange = null;
        context.Compute(new InitiatorSaInitComputation(sa, ours, answer.Suite, message, datagram, header.ResponderSpi, answer.Nonce, answer.PeerPublicValue, context.Now));
    }

    /// <summary>
    /// The key exchange with the responder's answer is done (on the engine thread). True when the SA is keyed: the SA
    /// manager then goes on to IKE_AUTH; false when the peer's value was unusable (the SA failed).
    /// </summary>
    public bool CompleteResponse(InitiatorSaInitComputation computation)
    {
        var sa = computation.Sa;
        if (computation.TakeKeys() is not { } keys)
        {
            context.FailIkeSa(sa, "invalid key exchange value from peer");
            return false;
        }

        // Our request stays outstanding until IKE_AUTH replaces it: while our AUTH is signed (maybe elsewhere) nothing is
        // resent, but negotiate-timeout still ends the wait.
        var message = computation.Response;
        sa.ResponderSpi = computation.ResponderSpi;
        sa.NonceResponder = computation.NonceResponder;
        sa.PeerSignatureHashes = message.FindNotify(NotifyType.SignatureHashAlgorithms) is { } hashes ? DigitalSignatureAuth.ParseHashesNotify(hashes.Data) : [];
        sa.FragmentationAgreed = sa.Tunnel.Settings.Fragmentation && message.FindNotify(NotifyType.Ikev2FragmentationSupported) is not null;
        sa.InitResponse = computation.Datagram;
        sa.LastInbound = computation.ReceivedAt;
        sa.Suite = computation.Suite;
        sa.Keys = keys;
        IkeSaKeying.CreateProtectors(sa, context.Random);
        DetectNat(sa, message);
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"negotiation result: proposal {computation.Suite.DisplayName} dhgrp {(int)computation.Suite.Group}{(sa.UsesNatTraversal ? ", NAT-T: UDP 4500" : string.Empty)}");
        return true;
    }

    /// <summary>The responder's proposal, KE data and nonce; null (the SA failed) when the answer is unusable.</summary>
    private (Keys.IkeSuite Suite, byte[] PeerPublicValue, byte[] Nonce)? AcceptAnswer(IkeSa sa, IkeMessage message, IkeHeader header)
    {
        var settings = sa.Tunnel.Settings;
        var saPayload = message.Find<SecurityAssociationPayload>();
        var ke = message.Find<KeyExchangePayload>();
        var nonce = message.Find<NoncePayload>();
        if (saPayload is null || ke is null || nonce is null || nonce.Data.Length is < 16 or > 256 || header.ResponderSpi == 0)
        {
            context.FailIkeSa(sa, "malformed SA_INIT response");
            return null;
        }

        var suite = ProposalSelector.AcceptIkeAnswer(saPayload, settings.Proposals, settings.DhGroups);
        if (suite is null || suite.Group != sa.InitGroup || ke.Group != sa.InitGroup)
        {
            context.FailIkeSa(sa, "peer chose a proposal we did not offer");
            return null;
        }

        return (suite, ke.Data, nonce.Data);
    }

    /// <summary>
    /// The responder asked us to repeat IKE_SA_INIT with its COOKIE, or with another DH group (INVALID_KE_PAYLOAD): done
    /// here (true), or the attempt fails when it keeps asking or wants a group we do not have.
    /// </summary>
    private bool RetriedInit(IkeSa sa, IkeMessage message)
    {
        var settings = sa.Tunnel.Settings;
        if (message.FindNotify(NotifyType.Cookie) is { } cookie)
        {
            if (sa.InitAttempts > 4 || cookie.Data.Length is < 1 or > 64)
            {
                context.FailIkeSa(sa, "peer keeps asking for a cookie");
                return true;
            }

            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "peer asked for a COOKIE, retrying with it");
            context.Publish(sa, new RetryingWithCookie());
            sa.Cookie = cookie.Data;
            sa.Window.Outstanding = null;
            SendRequest(sa, sa.InitGroup);
            return true;
        }

        if (message.FindNotify(NotifyType.InvalidKePayload) is { } invalidKe)
        {
            var wanted = WireText.WantedGroup(invalidKe);
            if (sa.InitAttempts > 4 || !settings.DhGroups.Contains(wanted) || wanted == sa.InitGroup)
            {
                context.FailIkeSa(sa, $"peer wants DH group {(int)wanted}, which is not configured");
                return true;
            }

            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"peer wants DH group {(int)wanted}: retrying");
            context.Publish(sa, new RetryingWithDhGroup { DhGroup = (int)wanted });
            sa.Window.Outstanding = null;
            SendRequest(sa, wanted);
            return true;
        }

        return false;
    }

    /// <summary>Answers a new IKE_SA_INIT the SA manager accepted for <paramref name="tunnel"/>: a half-open SA, or a refusal.</summary>
    public void HandleRequest(TunnelRuntime tunnel, IPEndPoint local, IPEndPoint remote, byte[] datagram, IkeHeader header)
    {
        var parsed = IkeMessageCodec.Decode(datagram, null);
        if (!parsed.Success || parsed.Message is not { } message)
        {
            context.Log.Global(IkeLogLevel.Negotiation, $"dropped SA_INIT from {remote}: {parsed.Error} {parsed.Detail}");
            context.PublishGlobal(new MalformedMessageDropped { Remote = remote, Error = parsed.Error, IsResponse = false });
            return;
        }

        // Under load nothing below (proposal choice, Diffie-Hellman, state) runs before the peer proved its address.
        if (!admission.Admit(message, local, remote, header))
        {
            return;
        }

        var settings = tunnel.Settings;
        var saPayload = message.Find<SecurityAssociationPayload>();
        var ke = message.Find<KeyExchangePayload>();
        var nonce = message.Find<NoncePayload>();
        if (saPayload is null || ke is null || nonce is null || nonce.Data.Length is < 16 or > 256)
        {
            SendPlainResponse(local, remote, header, [WireText.Error(NotifyType.InvalidSyntax)]);
            return;
        }

        var choice = ProposalSelector.ChooseIke(saPayload.Proposals, settings.Proposals, settings.DhGroups, ke.Group);
        if (choice is null)
        {
            context.Log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"negotiation failure: no SA proposal chosen for {remote}");
            context.Publish(tunnel, new NegotiationFailed { Local = local, Remote = remote, Stage = NegotiationStage.IkeSaInit, Notify = NotifyType.NoProposalChosen, NotifySent = true, Reason = $"no SA proposal chosen for {remote}" });
            SendPlainResponse(local, remote, header, [WireText.Error(NotifyType.NoProposalChosen)]);
            return;
        }

        if (choice.Suite.Group != ke.Group)
        {
            context.Log.Tunnel(IkeLogLevel.Negotiation, tunnel.Name, $"peer {remote} sent DH group {(int)ke.Group}, asking for {(int)choice.Suite.Group}");
            context.Publish(tunnel, new DhGroupDemanded { Local = local, Remote = remote, Offered = (int)ke.Group, Wanted = (int)choice.Suite.Group });
            SendPlainResponse(local, remote, header, [WireText.InvalidKe(choice.Suite.Group)]);
            return;
        }

        // The private key is drawn here, before the SA's SPI and nonce, in the order the random source always saw; the
        // public-key work itself may run on another thread (the host decides), and Complete takes it up from there.
        var privateKey = KeyExchange.DrawPrivateKey(choice.Suite.Group, context.Random);
        var sa = context.NewResponderSa(tunnel, local, remote, header.InitiatorSpi, datagram, nonce.Data);
        sa.Window.NextExpectedRequestId = 1;
        // Registered half-open before the work: a retransmission finds it (and waits for the answer), the half-open caps
        // count it, and negotiate-timeout or a clear can remove it while the work is in flight.
        context.AddHalfOpen(sa);
        context.Compute(new ResponderSaInitComputation(sa, message, choice.Proposal, choice.Suite, privateKey, ke.Data));
    }

    /// <summary>The key exchange for a half-open SA is done (on the engine thread): answer the peer, or refuse its value.</summary>
    public void Complete(ResponderSaInitComputation computation)
    {
        var sa = computation.Sa;
        if (computation.TakeKeys() is not { } keys)
        {
            admission.CountWastedKeyExchange();
            var request = new IkeHeader(sa.InitiatorSpi, 0, PayloadType.None, ExchangeType.IkeSaInit, IkeFlags.Initiator, 0, 0);
            SendPlainResponse(sa.Local, sa.Remote, request, [WireText.Error(NotifyType.InvalidSyntax)]);
            context.RemoveIkeSa(sa, "invalid key exchange value");
            return;
        }

        sa.Suite = computation.Suite;
        sa.Keys = keys;
        IkeSaKeying.CreateProtectors(sa, context.Random);
        DetectNat(sa, computation.Request);
        Answer(sa, computation.Request, computation.Proposal, computation.Suite, computation.PublicValue);
    }

    /// <summary>Sends our IKE_SA_INIT answer (proposal, DH value, nonce, NAT detection, signature hashes, CERTREQ).</summary>
    private void Answer(IkeSa sa, IkeMessage message, Proposal proposal, Keys.IkeSuite suite, byte[] publicValue)
    {
        var (tunnel, local, remote, settings) = (sa.Tunnel, sa.Local, sa.Remote, sa.Tunnel.Settings);
        var payloads = new List<IkePayload>
        {
            new SecurityAssociationPayload([proposal]),
            new KeyExchangePayload(suite.Group, publicValue),
            new NoncePayload(sa.NonceResponder),
        };
        if (message.FindNotify(NotifyType.NatDetectionSourceIp) is not null && settings.NatTraversal != NatTraversal.Disable)
        {
            var sourceHash = settings.NatTraversal == NatTraversal.Forced ? RandomHash() : NatDetection.Hash(sa.InitiatorSpi, sa.ResponderSpi, local);
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionSourceIp, sourceHash));
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionDestinationIp, NatDetection.Hash(sa.InitiatorSpi, sa.ResponderSpi, remote)));
            if (settings.NatTraversal == NatTraversal.Forced)
            {
                sa.UsesNatTraversal = true;
            }
        }

        var usesSignature = settings.Authmethod == Config.AuthMethod.Signature || (tunnel.IsDialupTemplate && context.AnyDialupUsesSignature(local.Address));
        if (message.FindNotify(NotifyType.SignatureHashAlgorithms) is { } peerHashes)
        {
            sa.PeerSignatureHashes = DigitalSignatureAuth.ParseHashesNotify(peerHashes.Data);
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.SignatureHashAlgorithms, DigitalSignatureAuth.SupportedHashesNotifyData));
        }

        if (settings.Fragmentation && message.FindNotify(NotifyType.Ikev2FragmentationSupported) is not null)
        {
            sa.FragmentationAgreed = true;
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.Ikev2FragmentationSupported, []));
        }

        if (usesSignature && credentials.CertificateRequest() is { } certificateRequest)
        {
            // Peers commonly send their certificate only when asked (RFC 7296 §3.7).
            payloads.Add(certificateRequest);
        }

        var responseHeader = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.None, ExchangeType.IkeSaInit, IkeFlags.Response, 0, 0);
        sa.InitResponse = IkeMessageCodec.Encode(responseHeader, payloads);
        context.Log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, $"responder: SA_INIT from {remote}, negotiation result: proposal {suite.DisplayName} dhgrp {(int)suite.Group}{(sa.UsesNatTraversal ? ", NAT-T: UDP 4500" : string.Empty)}");
        context.Publish(sa, new IkeSaInitAnswered { Proposal = suite.DisplayName, DhGroup = (int)suite.Group });
        context.Transmit(sa, sa.InitResponse, ExchangeType.IkeSaInit, isResponse: true);
    }

    private void SendPlainResponse(IPEndPoint local, IPEndPoint remote, IkeHeader request, IReadOnlyList<IkePayload> payloads)
    {
        var header = new IkeHeader(request.InitiatorSpi, 0, PayloadType.None, request.Exchange, IkeFlags.Response, request.MessageId, 0);
        context.Host.SendIke(local, remote, IkeMessageCodec.Encode(header, payloads));
    }

    /// <summary>RFC 7296 §2.23: compare the peer's NAT_DETECTION hashes with what the addresses we see would give.</summary>
    private void DetectNat(IkeSa sa, IkeMessage message)
    {
        var settings = sa.Tunnel.Settings;
        if (settings.NatTraversal == NatTraversal.Disable)
        {
            return;
        }

        var peerSource = message.FindAll<NotifyPayload>().Where(n => n.NotifyType == NotifyType.NatDetectionSourceIp).ToList();
        var peerDestination = message.FindNotify(NotifyType.NatDetectionDestinationIp);
        if (peerSource.Count == 0 || peerDestination is null)
        {
            sa.UsesNatTraversal = settings.NatTraversal == NatTraversal.Forced;
            return;
        }

        // In the request, the responder SPI inside the hash is still zero.
        var responderSpi = sa.IsOriginalInitiator ? sa.ResponderSpi : 0UL;
        var expectedSource = NatDetection.Hash(sa.InitiatorSpi, responderSpi, sa.Remote);
        var remoteBehindNat = !peerSource.Any(n => CryptographicOperations.FixedTimeEquals(n.Data, expectedSource));
        var expectedDestination = NatDetection.Hash(sa.InitiatorSpi, responderSpi, sa.Local);
        sa.LocalBehindNat = !CryptographicOperations.FixedTimeEquals(peerDestination.Data, expectedDestination);
        sa.UsesNatTraversal = remoteBehindNat || sa.LocalBehindNat || settings.NatTraversal == NatTraversal.Forced;
        if (sa.UsesNatTraversal && sa.IsOriginalInitiator)
        {
            sa.Local = new IPEndPoint(sa.Local.Address, context.Options.NatTraversalPort);
            sa.Remote = new IPEndPoint(sa.Remote.Address, context.Options.NatTraversalPort);
        }

        if (remoteBehindNat || sa.LocalBehindNat)
        {
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"NAT detected: {(sa.LocalBehindNat ? "me" : string.Empty)}{(sa.LocalBehindNat && remoteBehindNat ? " and " : string.Empty)}{(remoteBehindNat ? "peer" : string.Empty)} behind NAT");
        }
    }

    private byte[] RandomHash()
    {
        var hash = new byte[20];
        context.Random.Fill(hash);
        return hash;
    }
}
