using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Ike.V1.NatTraversal;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Main mode as initiator (RFC 2409 §5.4, and §5.1 with signatures): SA offer, KE/NONCE(/NAT-D/CR), then encrypted
/// ID/HASH_I (or ID/CERT/SIG_I); each of our messages is retransmitted until the responder's next one arrives.
/// </summary>
internal sealed class MainModeInitiator(IIsakmpContext context)
{
    public void Start(IkeSa sa)
    {
        var settings = sa.Tunnel.Settings;
        if (context.Phase1AuthMethods(sa.Tunnel) is not [var authMethod, ..])
        {
            context.FailIkeSa(sa, $"main mode: local certificate {settings.Certificate ?? "(none)"} is not loaded", stage: NegotiationStage.IkeSaInit);
            return;
        }

        var offer = Phase1Proposals.Offer(settings, authMethod);
        var v1 = new IsakmpSaState { Step = 1, OfferBody = offer.EncodeBody() };
        sa.V1 = v1;
        var payloads = new List<IsakmpPayload> { offer };
        if (MainModeKeying.WantsNatT(settings))
        {
            payloads.AddRange(NatTraversalVendorIds.Offer());
        }

        payloads.AddRange(IsakmpVendorIds.Ours());
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiator: main mode is sending 1st message...");
        var bytes = IsakmpCodec.Encode(IsakmpProtection.Header(sa, IsakmpExchangeType.IdentityProtection, 0), payloads);
        context.SendIsakmpRequest(sa, bytes, 0, "main mode 1st message", new MainModeRequest(1));
        context.Publish(sa, new IsakmpNegotiationStarted { AsInitiator = true, Mode = "main" });
    }

    /// <summary>
    /// Whether a message can be the answer to our step: a repeat of an earlier answer (message 2 again while we wait for 4:
    /// the responder resending because our 3rd was slow) is ignored, so our request stays outstanding and is retransmitted.
    /// </summary>
    public bool IsAnswerTo(IkeSa sa, IsakmpParseResult parsed, MainModeRequest request)
    {
        bool fits = request.Step switch
        {
            1 => parsed.Message?.Find<SecurityAssociationPayload>() is not null,
            3 => parsed.Message is { } m && m.Find<SecurityAssociationPayload>() is null && m.Find<KeyExchangePayload>() is not null,
            5 => parsed.NeedsDecryption,
            _ => false,
        };
        if (!fits)
        {
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"main mode: ignoring a repeated earlier message while waiting for the answer to our message {request.Step}");
            context.Publish(sa, new ResponseIgnored { MessageId = parsed.Header!.Value.MessageId });
        }

        return fits;
    }

    /// <summary>The responder's next main-mode message answers our outstanding one (step 1, 3 or 5).</summary>
    public void HandleAnswer(IkeSa sa, IsakmpParseResult parsed, MainModeRequest request)
    {
        var v1 = sa.V1!;
        // Message 3 stays outstanding while message 4's key exchange is computed, and message 1 while our key pair for
        // message 3 is made (CompleteKeyPair): for negotiate-timeout only, their answers are here. Message 5 is put back
        // while the responder's signature is checked.
        var pending = sa.Window.Outstanding;
        if (request.Step == 5 || (request.Step == 1 && parsed.Message is null))
        {
            sa.Window.Outstanding = null;
        }


        switch (request.Step)
        {
            case 1 when parsed.Message is { } second:
                ReceiveSecond(sa, v1, second);
                break;
            case 3 when parsed.Message is { } fourth:
                ReceiveFourth(sa, v1, fourth);
                break;
            case 5 when parsed.NeedsDecryption:
                ReceiveSixth(sa, v1, parsed, pending);
                break;
            default:
                context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"main mode: unexpected message after step {request.Step}, ignored");
                break;
        }
    }

    private void ReceiveSecond(IkeSa sa, IsakmpSaState v1, IsakmpMessage message)
    {
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiator: main mode get 2nd response...");
        var answer = message.Find<SecurityAssociationPayload>();
        var chosen = answer is null ? null : Phase1Proposals.Choose(answer, sa.Tunnel.Settings, context.Phase1AuthMethods(sa.Tunnel));
        if (chosen is not { } choice || answer!.Proposals[0].Transforms.Count != 1 || message.Header.ResponderCookie == 0)
        {
            context.FailIkeSa(sa, "main mode: the responder chose no proposal we offered", stage: NegotiationStage.IkeSaInit);
            return;
        }

        sa.ResponderSpi = message.Header.ResponderCookie;
        sa.Suite = choice.Suite;
        v1.Hash = Phase1Proposals.HashOf(choice.Suite.Integrity);
        v1.KeyBytes = choice.Suite.KeyBits / 8;
        v1.LifetimeSeconds = choice.Lifetime;
        v1.AuthMethod = choice.AuthMethod;
        v1.NatTVendorId = MainModeKeying.PeerNatTVersion(message);
        IsakmpVendorIds.Read(message, v1);
        // The private key is drawn here, in the engine's order (before our nonce); the key pair may be made on another
        // thread, and message 3 goes out once it is back (CompleteKeyPair).
        var privateKey = KeyExchange.DrawPrivateKey(choice.Suite.Group, context.Random);
        sa.NonceInitiator = context.NewNonce();
        v1.Step = 3;
        LogChoice(sa, choice.Suite, choice.Lifetime);
        context.Compute(new MainModeInitiatorKeyPairComputation(sa, choice.Suite.Group, privateKey));
    }

    /// <summary>Our key pair for message 3 is made (engine thread): message 3 goes out with its public value.</summary>
    public void CompleteKeyPair(MainModeInitiatorKeyPairComputation computation)
    {
        var sa = computation.Sa;
        var v1 = sa.V1!;
        sa.Window.Outstanding = null;
        if (computation.TakeKeyPair() is not { } pair)
        {
            context.FailIkeSa(sa, "main mode: our key exchange could not be made", stage: NegotiationStage.IkeSaInit);
            return;
        }

        v1.Dh = pair;
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiator: main mode is sending 3rd message...");
        var payloads = MainModeKeying.KeyMaterialPayloads(sa, v1, v1.Dh.PublicValue, sa.NonceInitiator, context.Random);
        if (MainModeProof.UsesSignature(v1))
        {
            payloads.AddRange(context.IsakmpCertificateRequests());
        }

        var bytes = IsakmpCodec.Encode(IsakmpProtection.Header(sa, IsakmpExchangeType.IdentityProtection, 0), payloads);
        context.SendIsakmpRequest(sa, bytes, 0, "main mode 3rd message", new MainModeRequest(3));
    }

    private void ReceiveFourth(IkeSa sa, IsakmpSaState v1, IsakmpMessage message)
    {
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiator: main mode get 4th response...");
        var ke = message.Find<KeyExchangePayload>();
        var nonce = message.Find<NoncePayload>();
        if (ke is null || nonce is null)
        {
            context.FailIkeSa(sa, "main mode: 4th message lacks KE or NONCE", stage: NegotiationStage.IkeSaInit);
            return;
        }

        sa.NonceResponder = nonce.Data;

        // Our key exchange goes with the computation, which wipes it; until the keys are back the SA holds what comes,
        // and message 3 stays outstanding (for negotiate-timeout only: its answer is here, nothing is resent).
        var ours = v1.Dh!;
        v1.Dh = null;
        context.Compute(new MainModeInitiatorComputation(sa, PhaseOneKeying.Of(sa, v1), ours, ke.Data, message));
    }

    /// <summary>The key exchange with message 4 is done (engine thread): NAT detection, then our ID and proof in message 5.</summary>
    public void CompleteFourth(MainModeInitiatorComputation computation)
    {
        var sa = computation.Sa;
        var v1 = sa.V1!;
        var message = computation.Fourth;
        var pending = sa.Window.Outstanding;
        sa.Window.Outstanding = null;
        if (!MainModeKeying.Keyed(sa, v1, computation))
        {
            context.FailIkeSa(sa, "main mode: unusable key exchange value from the responder", stage: NegotiationStage.IkeSaInit);
            return;
        }

        MainModeKeying.DetectNat(sa, v1, message);
        MainModeKeying.LogNatT(context, sa, v1);
        if (sa.UsesNatTraversal)
        {
            MainModeKeying.FloatToNatPort(sa, context.Options.NatTraversalPort);
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "NAT-T: moving to UDP " + context.Options.NatTraversalPort);
        }

        if (MainModeProof.Build(context, sa, v1, ofInitiator: true, out var signature, out var error) is not { } payloads)
        {
            context.FailIkeSa(sa, $"main mode: {error}", stage: NegotiationStage.IkeAuth);
            return;
        }

        if (signature is not null)
        {
            // Message 5 goes out once SIG_I is made (CompleteOwnSignature); message 3 stays outstanding for negotiate-timeout.
            sa.Window.Outstanding = pending;
            context.Compute(new MainModeInitiatorOwnSignatureComputation(sa, signature, payloads));
            return;
        }

        SendFifth(sa, v1, payloads);
    }

    /// <summary>SIG_I is made (engine thread): message 5 goes out.</summary>
    public void CompleteOwnSignature(MainModeInitiatorOwnSignatureComputation computation)
    {
        var sa = computation.Sa;
        sa.Window.Outstanding = null;
        if (!MainModeProof.AddSignature(computation, computation.Proof, out var error))
        {
            context.FailIkeSa(sa, $"main mode: {error}", stage: NegotiationStage.IkeAuth);
            return;
        }

        SendFifth(sa, sa.V1!, computation.Proof);
    }

    /// <summary>Message 5: our ID and its proof [| INITIAL-CONTACT], encrypted.</summary>
    private void SendFifth(IkeSa sa, IsakmpSaState v1, List<IsakmpPayload> payloads)
    {
        sa.State = IkeSaState.AuthSent;
        v1.Step = 5;
        if (context.IsOnlySaOfTunnel(sa))
        {
            payloads.Add(new NotificationPayload(IsakmpProposal.ProtocolIsakmp, IsakmpProtection.NotifyInitialContact, IsakmpProtection.Cookies(sa), []));
        }

        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiator: main mode is sending 5th message...");
        var bytes = IsakmpProtection.Seal(v1, IsakmpProtection.Header(sa, IsakmpExchangeType.IdentityProtection, 0), IsakmpPayloadType.Identification, IsakmpCodec.EncodeChain(payloads), v1.PhaseOneIv);
        context.SendIsakmpRequest(sa, bytes, 0, "main mode 5th message", new MainModeRequest(5));
    }

    private void ReceiveSixth(IkeSa sa, IsakmpSaState v1, IsakmpParseResult outer, PendingRequest? pending)
    {
        var parsed = IsakmpProtection.Open(v1, outer, v1.PhaseOneIv, out var nextIv);
        var id = parsed.Message?.Find<IdentificationPayload>();
        var hash = parsed.Message?.Find<HashPayload>();
        if (MainModeProof.UsesSignature(v1))
        {
            ReceiveSignedSixth(sa, v1, parsed, id, nextIv, pending);
            return;
        }

        if (id is null || hash is null)
        {
            context.FailIkeSa(sa, $"main mode: 6th message unreadable ({(parsed.Success ? "no ID or HASH" : parsed.Detail)}): probable pre-shared secret mismatch", stage: NegotiationStage.IkeAuth);
            return;
        }

        var expected = MainModeKeying.AuthHash(sa, v1, ofInitiator: false, id.EncodeBody());
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(hash.Data, expected))
        {
            context.Publish(sa, new AuthenticationFailed { Reason = "HASH_R mismatch: probable pre-shared secret mismatch" });
            context.FailIkeSa(sa, "main mode: HASH_R mismatch, probable pre-shared secret mismatch", stage: NegotiationStage.IkeAuth);
            return;
        }

        if (!MainModeKeying.PeerAccepted(sa, id, out var identity))
        {
            context.FailIkeSa(sa, $"main mode: peer ID {identity} is not the configured peerid", stage: NegotiationStage.IkeAuth);
            return;
        }

        Established(sa, v1, identity, nextIv);
    }

    /// <summary>
    /// Message 6 with a signature: the responder's certificate and SIG_R over HASH_R checked as IKEv2 checks them (maybe
    /// elsewhere; message 5 stays outstanding meanwhile, for negotiate-timeout only), then its ID.
    /// </summary>
    private void ReceiveSignedSixth(IkeSa sa, IsakmpSaState v1, IsakmpParseResult parsed, IdentificationPayload? id, byte[] nextIv, PendingRequest? pending)
    {
        string reason;
        if (id is null)
        {
            reason = parsed.Success ? "6th message has no ID" : $"6th message unreadable ({parsed.Detail})";
        }
        else if (!MainModeProof.CheckSignature(context, sa, v1, parsed.Message!, id, ofInitiator: false, out var check, out reason))
        {
            reason = $"peer certificate refused: {reason}";
        }
        else
        {
            sa.Window.Outstanding = pending;
            context.Compute(new MainModeInitiatorPeerSignatureComputation(sa, check, id, nextIv));
            return;
        }

        SignedSixthRefused(sa, reason);
    }

    /// <summary>The responder's certificate and SIG_R are checked (engine thread): the verdict, its ID, and the ISAKMP SA is up.</summary>
    public void CompletePeerSignature(MainModeInitiatorPeerSignatureComputation computation)
    {
        var sa = computation.Sa;
        sa.Window.Outstanding = null;
        string reason;
        if (!context.AcceptIsakmpSignature(sa, computation.Check, out reason))
        {
            reason = $"peer certificate refused: {reason}";
        }
        else if (!MainModeKeying.PeerAccepted(sa, computation.PeerId, out var identity))
        {
            reason = $"peer ID {identity} is not the configured peerid";
        }
        else
        {
            Established(sa, sa.V1!, identity, computation.NextIv);
            return;
        }

        SignedSixthRefused(sa, reason);
    }

    private void SignedSixthRefused(IkeSa sa, string reason)
    {
        context.Publish(sa, new AuthenticationFailed { Reason = reason });
        context.FailIkeSa(sa, $"main mode: {reason}", stage: NegotiationStage.IkeAuth);
    }

    private void Established(IkeSa sa, IsakmpSaState v1, string identity, byte[] nextIv)
    {
        v1.PhaseOneIv = nextIv;
        v1.Step = 6;
        sa.PeerIdentity = identity;
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"initiator: main mode get 6th response... peer identifier {identity}");
        if (sa.Tunnel.Settings.XauthType == XauthType.Client)
        {
            // The responder logs us in with XAUTH next; the SA counts as established once it said the login passed.
            context.AwaitXauth(sa);
            return;
        }

        if (context.HoldForModeConfig(sa))
        {
            return;
        }

        context.MarkEstablished(sa, initialContact: false);
        context.RequestWantedPhase2(sa, skipUsable: false);
    }

    private void LogChoice(IkeSa sa, SharpSwan.Ike.Keys.IkeSuite suite, uint lifetime)
    {
        if (context.Log.IsEnabled(IkeLogLevel.Negotiation))
        {
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"negotiation result: proposal {suite.DisplayName} dhgrp {(int)suite.Group}");
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"ISAKMP SA lifetime={lifetime}");
        }
    }
}
