using System.Security.Cryptography;
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
/// Aggressive mode as initiator, with pre-shared keys (RFC 2409 §5.4) or signatures (§5.1: CERT and SIG for HASH): SA with one DH group, KE, Ni and our ID in the first
/// message (so identities travel in clear and the group cannot be negotiated), the responder's keys, ID and HASH_R, then
/// our HASH_I (encrypted, with the NAT-D payloads of RFC 3947). The 3rd message is kept as the answer to a repeated 2nd.
/// As an XAUTH client (XAUTHInitPreShared) we then wait for the responder's XAUTH request, as after main mode.
/// </summary>
internal sealed class AggressiveModeInitiator(IIsakmpContext context)
{
    public void Start(IkeSa sa)
    {
        var settings = sa.Tunnel.Settings;
        var group = settings.DhGroups[0];
        // Pre-shared key (XAUTHInitPreShared when we are the XAUTH client), or our certificate's signature method.
        if (context.Phase1AuthMethods(sa.Tunnel) is not [var authMethod, ..])
        {
            context.FailIkeSa(sa, $"aggressive mode: local certificate {settings.Certificate ?? "(none)"} is not loaded", stage: NegotiationStage.IkeSaInit);
            return;
        }

        var offer = Phase1Proposals.Offer(settings with { DhGroups = [group] }, authMethod);
        // The private key is drawn here, in the engine's order (before our nonce); the key pair may be made on another
        // thread, and message 1 goes out once it is back (CompleteKeyPair).
        var privateKey = KeyExchange.DrawPrivateKey(group, context.Random);
        var v1 = new IsakmpSaState { Step = 1, OfferBody = offer.EncodeBody(), AuthMethod = authMethod };
        sa.V1 = v1;
        sa.NonceInitiator = context.NewNonce();
        context.Compute(new AggressiveModeInitiatorKeyPairComputation(sa, group, privateKey, offer));
    }

    /// <summary>Our key pair is made (engine thread): message 1 goes out with its public value.</summary>
    public void CompleteKeyPair(AggressiveModeInitiatorKeyPairComputation computation)
    {
        var sa = computation.Sa;
        var (v1, settings) = (sa.V1!, sa.Tunnel.Settings);
        if (computation.TakeKeyPair() is not { } pair)
        {
            context.FailIkeSa(sa, "aggressive mode: our key exchange could not be made", stage: NegotiationStage.IkeSaInit);
            return;
        }

        v1.Dh = pair;
        var offer = computation.Offer;
        var payloads = new List<IsakmpPayload> { offer, new KeyExchangePayload(v1.Dh.PublicValue), new NoncePayload(sa.NonceInitiator), MainModeProof.OwnId(context, sa) };
        if (MainModeProof.UsesSignature(v1))
        {
            // The responder's certificate comes in message 2, before it could learn which CAs we trust any other way.
            payloads.AddRange(context.IsakmpCertificateRequests());
        }

        if (MainModeKeying.WantsNatT(settings))
        {
            payloads.AddRange(NatTraversalVendorIds.Offer());
        }

        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiator: aggressive mode is sending 1st message...");
        var bytes = IsakmpCodec.Encode(IsakmpProtection.Header(sa, IsakmpExchangeType.Aggressive, 0), payloads);
        context.SendIsakmpRequest(sa, bytes, 0, "aggressive mode 1st message", new MainModeRequest(1));
        context.Publish(sa, new IsakmpNegotiationStarted { AsInitiator = true, Mode = "aggressive" });
    }

    /// <summary>The responder's message 2: check its choice and HASH_R, answer with HASH_I, and the ISAKMP SA is up.</summary>
    public void HandleSecond(IkeSa sa, IsakmpParseResult parsed, byte[] datagram)
    {
        var v1 = sa.V1!;
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiator: aggressive mode get 2nd response...");
        if (parsed.Message is not { } message || Read(message) is not { } read || message.Header.ResponderCookie == 0)
        {
            context.FailIkeSa(sa, "aggressive mode: 2nd message lacks SA, KE, NONCE or ID", stage: NegotiationStage.IkeSaInit);
            return;
        }

        var chosen = Phase1Proposals.Choose(read.Sa, sa.Tunnel.Settings, [v1.AuthMethod]);
        if (chosen is not { } choice || read.Sa.Proposals[0].Transforms.Count != 1 || choice.Suite.Group != v1.Dh!.Group)
        {
            context.FailIkeSa(sa, "aggressive mode: the responder chose no proposal we offered", stage: NegotiationStage.IkeSaInit);
            return;
        }

        sa.ResponderSpi = message.Header.ResponderCookie;
        sa.Suite = choice.Suite;
        v1.Hash = Phase1Proposals.HashOf(choice.Suite.Integrity);
        v1.KeyBytes = choice.Suite.KeyBits / 8;
        v1.LifetimeSeconds = choice.Lifetime;
        v1.NatTVendorId = MainModeKeying.PeerNatTVersion(message);
        sa.NonceResponder = read.Nonce.Data;

        // Our key exchange goes with the computation, which wipes it; until the keys are back the SA holds what comes,
        // and message 1 stays outstanding (for negotiate-timeout only: its answer is here, nothing is resent).
        var ours = v1.Dh!;
        v1.Dh = null;
        context.Compute(new AggressiveModeInitiatorComputation(sa, PhaseOneKeying.Of(sa, v1), ours, read.Ke.Data, message, read.Id, read.Hash, datagram));
    }

    /// <summary>The key exchange with message 2 is done (engine thread): HASH_R (or SIG_R) and the ID checked, then message 3.</summary>
    public void CompleteSecond(AggressiveModeInitiatorComputation computation)
    {
        var sa = computation.Sa;
        var v1 = sa.V1!;
        var message = computation.Second;
        var pending = sa.Window.Outstanding;
        sa.Window.Outstanding = null;
        if (!MainModeKeying.Keyed(sa, v1, computation))
        {
            context.FailIkeSa(sa, "aggressive mode: unusable key exchange value from the responder", stage: NegotiationStage.IkeSaInit);
            return;
        }

        if (MainModeProof.UsesSignature(v1))
        {
            if (!MainModeProof.CheckSignature(context, sa, v1, message, computation.PeerId, ofInitiator: false, out var check, out var reason))
            {
                Refused(sa, $"peer certificate refused: {reason}");
                return;
            }

            // The responder's certificate and SIG_R are checked maybe elsewhere (CompletePeerSignature); message 1 stays
            // outstanding meanwhile, for negotiate-timeout only.
            sa.Window.Outstanding = pending;
            context.Compute(new AggressiveModeInitiatorPeerSignatureComputation(sa, check, message, computation.PeerId, computation.Datagram));
            return;
        }

        if (computation.Hash is null || !CryptographicOperations.FixedTimeEquals(computation.Hash.Data, MainModeKeying.AuthHash(sa, v1, ofInitiator: false, computation.PeerId.EncodeBody())))
        {
            Refused(sa, "HASH_R mismatch: probable pre-shared secret mismatch");
            return;
        }

        Proven(sa, v1, message, computation.PeerId, computation.Datagram, pending: null);
    }

    /// <summary>The responder's certificate and SIG_R are checked (engine thread): the verdict, its ID, then message 3.</summary>
    public void CompletePeerSignature(AggressiveModeInitiatorPeerSignatureComputation computation)
    {
        var sa = computation.Sa;
        var pending = sa.Window.Outstanding;
        sa.Window.Outstanding = null;
        if (!context.AcceptIsakmpSignature(sa, computation.Check, out var reason))
        {
            Refused(sa, $"peer certificate refused: {reason}");
            return;
        }

        Proven(sa, sa.V1!, computation.Second, computation.PeerId, computation.Datagram, pending);
    }

    /// <summary>Message 2 does not prove the responder: HASH_R over its ID does not match, or its certificate or SIG_R is refused.</summary>
    private void Refused(IkeSa sa, string reason)
    {
        context.Publish(sa, new AuthenticationFailed { Reason = reason });
        context.FailIkeSa(sa, $"aggressive mode: {reason}", stage: NegotiationStage.IkeAuth);
    }

    /// <summary>
    /// Message 2 proved the responder: its ID against the phase 1, NAT detection, then our proof in message 3 (SIG_I made
    /// maybe elsewhere, with <paramref name="pending"/>, message 1, outstanding meanwhile).
    /// </summary>
    private void Proven(IkeSa sa, IsakmpSaState v1, IsakmpMessage message, IdentificationPayload peerId, byte[] datagram, PendingRequest? pending)
    {
        if (!MainModeKeying.PeerAccepted(sa, peerId, out var identity))
        {
            context.Publish(sa, new AuthenticationFailed { Reason = $"peer ID {identity} is not the configured peerid", PeerIdentity = identity });
            context.FailIkeSa(sa, $"aggressive mode: peer ID {identity} is not the configured peerid", stage: NegotiationStage.IkeAuth);
            return;
        }

        MainModeKeying.DetectNat(sa, v1, message);
        MainModeKeying.LogNatT(context, sa, v1);
        if (MainModeProof.Build(context, sa, v1, ofInitiator: true, out var signature, out var error) is not { } proof)
        {
            context.FailIkeSa(sa, $"aggressive mode: {error}", stage: NegotiationStage.IkeAuth);
            return;
        }

        if (signature is not null)
        {
            sa.Window.Outstanding = pending;
            context.Compute(new AggressiveModeInitiatorOwnSignatureComputation(sa, signature, proof, identity, datagram));
            return;
        }

        SendThird(sa, v1, proof, identity, datagram);
    }

    /// <summary>SIG_I is made (engine thread): message 3 goes out and the ISAKMP SA is up.</summary>
    public void CompleteOwnSignature(AggressiveModeInitiatorOwnSignatureComputation computation)
    {
        var sa = computation.Sa;
        sa.Window.Outstanding = null;
        if (!MainModeProof.AddSignature(computation, computation.Proof, out var error))
        {
            context.FailIkeSa(sa, $"aggressive mode: {error}", stage: NegotiationStage.IkeAuth);
            return;
        }

        SendThird(sa, sa.V1!, computation.Proof, computation.PeerIdentity, computation.Datagram);
    }

    /// <summary>
    /// HASH_I, or CERT and SIG_I, [| NAT-D(peer) | NAT-D(us)] [| INITIAL-CONTACT], encrypted; NAT-T moves to UDP 4500 after it
    /// (RFC 3947 §4). Then XAUTH, or the ISAKMP SA is up.
    /// </summary>
    private void SendThird(IkeSa sa, IsakmpSaState v1, List<IsakmpPayload> proof, string identity, byte[] second)
    {
        // Our ID went in message 1: only its proof follows.
        var payloads = proof.Skip(1).ToList();
        if (v1.PeerNatT && MainModeKeying.WantsNatT(sa.Tunnel.Settings))
        {
            payloads.AddRange(MainModeKeying.NatDiscoveryPayloads(sa, v1, context.Random));
        }

        if (context.IsOnlySaOfTunnel(sa))
        {
            payloads.Add(new NotificationPayload(IsakmpProposal.ProtocolIsakmp, IsakmpProtection.NotifyInitialContact, IsakmpProtection.Cookies(sa), []));
        }

        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiator: aggressive mode is sending 3rd message...");
        var bytes = IsakmpProtection.Seal(v1, IsakmpProtection.Header(sa, IsakmpExchangeType.Aggressive, 0), payloads[0].Type, IsakmpCodec.EncodeChain(payloads), v1.PhaseOneIv);
        v1.Answers[IsakmpSaState.Fingerprint(second)] = bytes;
        context.SendIsakmp(sa, bytes, "aggressive mode 3rd message");
        if (sa.UsesNatTraversal)
        {
            MainModeKeying.FloatToNatPort(sa, context.Options.NatTraversalPort);
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "NAT-T: moving to UDP " + context.Options.NatTraversalPort);
        }

        sa.PeerIdentity = identity;
        v1.Step = 6;
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"peer identifier {identity}");
        if (sa.Tunnel.Settings.XauthType == XauthType.Client)
        {
            // As after main mode: the responder logs us in with XAUTH next, and the SA counts as established once that passed.
            context.AwaitXauth(sa);
            return;
        }

        context.MarkEstablished(sa, initialContact: false);
        context.RequestWantedPhase2(sa, skipUsable: false);
    }

    /// <summary>SA, KE, NONCE and ID of message 2 (its HASH_R, absent with signatures, is checked with the proof).</summary>
    private static (SecurityAssociationPayload Sa, KeyExchangePayload Ke, NoncePayload Nonce, IdentificationPayload Id, HashPayload? Hash)? Read(IsakmpMessage message) =>
        message.Find<SecurityAssociationPayload>() is { } sa && message.Find<KeyExchangePayload>() is { } ke && message.Find<NoncePayload>() is { } nonce &&
        message.Find<IdentificationPayload>() is { } id
            ? (sa, ke, nonce, id, message.Find<HashPayload>())
            : null;
}
