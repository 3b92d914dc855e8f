using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Main mode as responder (RFC 2409 §5.4, and §5.1 with signatures). Every answer is kept under the message it answers, so a
/// repeated message gets the same bytes again and is never processed twice (the engine looks before calling here).
/// </summary>
internal sealed class MainModeResponder(IIsakmpContext context)
{
    /// <summary>A first main-mode message: choose a transform and answer, or drop it when nothing fits.</summary>
    public void HandleFirst(IPEndPoint local, IPEndPoint remote, IsakmpMessage message, byte[] datagram)
    {
        var tunnel = context.FindIkev1Tunnel(local.Address, remote.Address, Ikev1Mode.Main, id: null, out _);
        if (tunnel is null)
        {
            context.RefusePeer(local, remote, "no IKEv1 phase1 configured for this peer", IkeLogLevel.Event, $"ignoring IKEv1 request from {remote}: no phase1 configured for this peer");
            return;
        }

        if (tunnel.Settings.Mode == Ikev1Mode.Aggressive)
        {
            context.RefusePeer(local, remote, $"phase1 {tunnel.Name} uses aggressive mode, the peer main mode", IkeLogLevel.Event, $"ignoring IKEv1 main mode from {remote}: phase1 {tunnel.Name} uses aggressive mode");
            return;
        }

        var offer = message.Find<SecurityAssociationPayload>();
        var chosen = offer is null ? null : Phase1Proposals.Choose(offer, tunnel.Settings, context.Phase1AuthMethods(tunnel));
        if (chosen is not { } choice)
        {
            context.Log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"responder: main mode from {remote}: no proposal chosen");
            context.Publish(tunnel, new NegotiationFailed { Stage = NegotiationStage.IkeSaInit, Reason = "main mode: no proposal chosen" });
            return;
        }

        var sa = context.NewResponderSa(tunnel, local, remote, message.Header.InitiatorCookie, datagram, []);
        var v1 = new IsakmpSaState
        {
            Step = 2,
            OfferBody = offer!.EncodeBody(),
            Hash = Phase1Proposals.HashOf(choice.Suite.Integrity),
            KeyBytes = choice.Suite.KeyBits / 8,
            LifetimeSeconds = choice.Lifetime,
            AuthMethod = choice.AuthMethod,
            NatTVendorId = MainModeKeying.PeerNatTVersion(message),
        };
        IsakmpVendorIds.Read(message, v1);
        sa.V1 = v1;
        sa.Suite = choice.Suite;
        context.Log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, "responder: main mode get 1st message...");
        context.Log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, $"negotiation result: proposal {choice.Suite.DisplayName} dhgrp {(int)choice.Suite.Group}, ISAKMP SA lifetime={choice.Lifetime}");
        var answer = new List<IsakmpPayload> { new SecurityAssociationPayload([offer.Proposals[0] with { Transforms = [choice.Transform] }]) };
        if (v1.PeerNatT && MainModeKeying.WantsNatT(tunnel.Settings))
        {
            answer.Add(new VendorIdPayload(v1.NatTVendorId!));
        }

        answer.AddRange(IsakmpVendorIds.Ours());

        var bytes = IsakmpCodec.Encode(IsakmpProtection.Header(sa, IsakmpExchangeType.IdentityProtection, 0), answer);
        context.AddHalfOpen(sa);
        Answer(sa, datagram, bytes, "main mode 2nd message");
        context.Publish(sa, new IsakmpNegotiationStarted { AsInitiator = false, Mode = "main" });
    }

    /// <summary>A later main-mode message (3rd or 5th) on a responder SA.</summary>
    public void Handle(IkeSa sa, IsakmpParseResult parsed, byte[] datagram)
    {
        var v1 = sa.V1!;
        if (v1.Step == 2 && parsed.Message is { } third)
        {
            ReceiveThird(sa, v1, third, datagram);
        }
        else if (v1.Step == 4 && parsed.NeedsDecryption)
        {
            ReceiveFifth(sa, v1, parsed, datagram);
        }
        else
        {
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"main mode: unexpected message at step {v1.Step}, ignored");
        }
    }

    private void ReceiveThird(IkeSa sa, IsakmpSaState v1, IsakmpMessage message, byte[] datagram)
    {
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "responder: main mode get 3rd message...");
        var ke = message.Find<KeyExchangePayload>();
        var nonce = message.Find<NoncePayload>();
        if (ke is null || nonce is null)
        {
            context.FailIkeSa(sa, "main mode: 3rd message lacks KE or NONCE", stage: NegotiationStage.IkeSaInit);
            return;
        }

        sa.NonceInitiator = nonce.Data;

        // Our private key is drawn here, in the order the random source always saw; the public-key work may run on another
        // thread (the host decides), and CompleteThird takes it up. Until then the SA holds what comes (a repeated message 3 is then answered from the cache).
        var privateKey = KeyExchange.DrawPrivateKey(sa.Suite!.Group, context.Random);
        context.Compute(new MainModeResponderComputation(sa, PhaseOneKeying.Of(sa, v1), sa.Suite.Group, privateKey, ke.Data, message, datagram));
    }

    /// <summary>The key exchange for message 3 is done (engine thread): message 4 with our KE, NONCE and NAT-D payloads.</summary>
    public void CompleteThird(MainModeResponderComputation computation)
    {
        var sa = computation.Sa;
        var v1 = sa.V1!;
        var answer = MainModeKeying.KeyMaterialPayloads(sa, v1, computation.PublicValue, sa.NonceResponder, context.Random);
        if (MainModeProof.UsesSignature(v1))
        {
            answer.AddRange(context.IsakmpCertificateRequests());
        }

        if (!MainModeKeying.Keyed(sa, v1, computation))
        {
            context.FailIkeSa(sa, "main mode: unusable key exchange value from the initiator", stage: NegotiationStage.IkeSaInit);
            return;
        }

        MainModeKeying.DetectNat(sa, v1, computation.Third);
        MainModeKeying.LogNatT(context, sa, v1);
        v1.Step = 4;
        var bytes = IsakmpCodec.Encode(IsakmpProtection.Header(sa, IsakmpExchangeType.IdentityProtection, 0), answer);
        Answer(sa, computation.Datagram, bytes, "main mode 4th message");
    }

    private void ReceiveFifth(IkeSa sa, IsakmpSaState v1, IsakmpParseResult outer, byte[] datagram)
    {
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "responder: main mode get 5th message...");
        var parsed = IsakmpProtection.Open(v1, outer, v1.PhaseOneIv, out var nextIv);
        var id = parsed.Message?.Find<IdentificationPayload>();
        var hash = parsed.Message?.Find<HashPayload>();
        if (MainModeProof.UsesSignature(v1))
        {
            CheckSignature(sa, v1, parsed, id, nextIv, datagram);
            return;
        }

        if (id is null || hash is null ||
            !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(hash.Data, MainModeKeying.AuthHash(sa, v1, ofInitiator: true, id.EncodeBody())))
        {
            context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, "probable pre-shared secret mismatch");
            context.Publish(sa, new AuthenticationFailed { Reason = "probable pre-shared secret mismatch" });
            context.FailIkeSa(sa, "main mode: probable pre-shared secret mismatch", stage: NegotiationStage.IkeAuth);
            return;
        }

        Proven(sa, v1, parsed.Message!, id, nextIv, datagram);
    }

    /// <summary>
    /// Message 5 with a signature: the initiator's certificate and SIG_I over HASH_I are checked as IKEv2 checks them, maybe
    /// elsewhere (<see cref="CompletePeerSignature"/>); a repeated message 5 meanwhile is ignored.
    /// </summary>
    private void CheckSignature(IkeSa sa, IsakmpSaState v1, IsakmpParseResult parsed, IdentificationPayload? id, byte[] nextIv, byte[] datagram)
    {
        if (id is null)
        {
            SignatureRefused(sa, parsed.Success ? "5th message has no ID" : $"5th message unreadable ({parsed.Detail})", id);
        }
        else if (!MainModeProof.CheckSignature(context, sa, v1, parsed.Message!, id, ofInitiator: true, out var check, out var refused))
        {
            SignatureRefused(sa, $"peer certificate refused: {refused}", id);
        }
        else
        {
            context.Compute(new MainModeResponderPeerSignatureComputation(sa, check, parsed.Message!, id, nextIv, datagram));
        }
    }

    /// <summary>The initiator's certificate and SIG_I are checked (engine thread): the verdict, then its ID and our message 6.</summary>
    public void CompletePeerSignature(MainModeResponderPeerSignatureComputation computation)
    {
        var sa = computation.Sa;
        if (!context.AcceptIsakmpSignature(sa, computation.Check, out var refused))
        {
            SignatureRefused(sa, $"peer certificate refused: {refused}", computation.PeerId);
            return;
        }

        Proven(sa, sa.V1!, computation.Fifth, computation.PeerId, computation.NextIv, computation.Datagram);
    }

    private void SignatureRefused(IkeSa sa, string reason, IdentificationPayload? id)
    {
        context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, reason);
        context.Publish(sa, new AuthenticationFailed { Reason = reason, PeerIdentity = id is null ? null : MainModeKeying.Describe(sa, id) });
        context.FailIkeSa(sa, $"main mode: {reason}", stage: NegotiationStage.IkeAuth);
    }

    /// <summary>Message 5 proved the initiator: its ID against the phase 1, then our ID and proof in message 6.</summary>
    private void Proven(IkeSa sa, IsakmpSaState v1, IsakmpMessage fifth, IdentificationPayload id, byte[] nextIv, byte[] datagram)
    {
        if (!MainModeKeying.PeerAccepted(sa, id, out var identity))
        {
            context.Publish(sa, new AuthenticationFailed { Reason = $"peer ID {identity} is not the configured peerid", PeerIdentity = identity });
            context.FailIkeSa(sa, $"main mode: peer ID {identity} is not the configured peerid", stage: NegotiationStage.IkeAuth);
            return;
        }

        v1.PhaseOneIv = nextIv;
        sa.PeerIdentity = identity;
        bool initialContact = fifth.All<NotificationPayload>().Any(n => n.MessageType == IsakmpProtection.NotifyInitialContact);
        if (MainModeProof.Build(context, sa, v1, ofInitiator: false, out var signature, out var error) is not { } proof)
        {
            context.FailIkeSa(sa, $"main mode: {error}", stage: NegotiationStage.IkeAuth);
            return;
        }

        if (signature is not null)
        {
            // Message 6 goes out once SIG_R is made (CompleteOwnSignature); a repeated message 5 meanwhile is ignored.
            context.Compute(new MainModeResponderOwnSignatureComputation(sa, signature, proof, identity, initialContact, datagram));
            return;
        }

        SendSixth(sa, v1, proof, identity, initialContact, datagram);
    }

    /// <summary>SIG_R is made (engine thread): message 6 goes out and the ISAKMP SA is up.</summary>
    public void CompleteOwnSignature(MainModeResponderOwnSignatureComputation computation)
    {
        var sa = computation.Sa;
        if (!MainModeProof.AddSignature(computation, computation.Proof, out var error))
        {
            context.FailIkeSa(sa, $"main mode: {error}", stage: NegotiationStage.IkeAuth);
            return;
        }

        SendSixth(sa, sa.V1!, computation.Proof, computation.PeerIdentity, computation.InitialContact, computation.Datagram);
    }

    /// <summary>Message 6 (our ID and proof, encrypted), kept under message 5; then XAUTH, or the ISAKMP SA is up.</summary>
    private void SendSixth(IkeSa sa, IsakmpSaState v1, List<IsakmpPayload> proof, string identity, bool initialContact, byte[] datagram)
    {
        var chain = IsakmpCodec.EncodeChain(proof);
        var bytes = IsakmpProtection.Seal(v1, IsakmpProtection.Header(sa, IsakmpExchangeType.IdentityProtection, 0), IsakmpPayloadType.Identification, chain, v1.PhaseOneIv);
        v1.Step = 6;
        Answer(sa, datagram, bytes, "main mode 6th message");
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"peer identifier {identity}");
        if (sa.Tunnel.IsDialupTemplate)
        {
            sa.Tunnel = context.AdmitIkev1DialupPeer(sa, identity, initialContact);
        }

        if (sa.Tunnel.Settings.IsXauthServer)
        {
            // The SA counts as established once XAUTH passed (XauthAccepted): until then the peer has no quick mode.
            context.StartXauth(sa, initialContact);
            return;
        }

        context.MarkEstablished(sa, initialContact);

        // Our own phase 2s may have waited for this peer's main mode instead of starting a second one.
        context.RequestWantedPhase2(sa, skipUsable: true);
    }

    private void Answer(IkeSa sa, byte[] request, byte[] answer, string label)
    {
        sa.V1!.Answers[IsakmpSaState.Fingerprint(request)] = answer;
        context.SendIsakmp(sa, answer, label);
    }
}
