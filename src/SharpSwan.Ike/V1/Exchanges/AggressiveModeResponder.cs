using System.Net;
using System.Security.Cryptography;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Aggressive mode as responder, with pre-shared keys (RFC 2409 §5.4) or signatures (§5.1): the initiator's ID (in clear in message 1) chooses the
/// dial-up phase 1 by `peerid`, or is checked against a static one's, before we answer with its one DH group, our keys, ID
/// and HASH_R (or CERT and SIG_R) in message 2 (kept for a repeated message 1, and resent until message 3 arrives: nothing answers message 3, so
/// only we can notice it was lost); then the initiator's HASH_I (or CERT and SIG_I) in message 3, encrypted or not, with its NAT-D payloads. On a
/// dial-up phase 1 the peer then gets its own instance and, with an XAUTH server, XAUTH before it counts as established.
/// </summary>
internal sealed class AggressiveModeResponder(IIsakmpContext context)
{
    public void HandleFirst(IPEndPoint local, IPEndPoint remote, IsakmpMessage message, byte[] datagram)
    {
        var id = message.Find<IdentificationPayload>();
        if (PhaseOneFor(local, remote, id) is not { } tunnel)
        {
            return;
        }

        var offer = message.Find<SecurityAssociationPayload>();
        var ke = message.Find<KeyExchangePayload>();
        var nonce = message.Find<NoncePayload>();
        var chosen = offer is null ? null : Phase1Proposals.Choose(offer, tunnel.Settings, context.Phase1AuthMethods(tunnel));
        if (chosen is not { } choice || ke is null || nonce is null || id is null || ke.Data.Length != KeyExchange.PublicValueLength(choice.Suite.Group))
        {
            context.Log.Tunnel(IkeLogLevel.Event, tunnel.Name, $"responder: aggressive mode from {remote}: no proposal chosen");
            context.Publish(tunnel, new NegotiationFailed { Stage = NegotiationStage.IkeSaInit, Reason = "aggressive mode: no proposal chosen (or no KE, NONCE or ID for its group)" });
            return;
        }

        var sa = context.NewResponderSa(tunnel, local, remote, message.Header.InitiatorCookie, datagram, nonce.Data);

        // Our private key is drawn here, in the order the random source always saw; the public-key work may run on another
        // thread (the host decides), and CompleteFirst takes it up.
        var privateKey = KeyExchange.DrawPrivateKey(choice.Suite.Group, context.Random);
        var v1 = new IsakmpSaState
        {
            Step = 2,
            OfferBody = offer!.EncodeBody(),
            Hash = Phase1Proposals.HashOf(choice.Suite.Integrity),
            KeyBytes = choice.Suite.KeyBits / 8,
            LifetimeSeconds = choice.Lifetime,
            AuthMethod = choice.AuthMethod,
            NatTVendorId = MainModeKeying.PeerNatTVersion(message),
            PeerId = id,
        };
        sa.V1 = v1;
        sa.Suite = choice.Suite;
        context.Log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, "responder: aggressive mode get 1st message...");
        if (!MainModeKeying.PeerAccepted(sa, id, out var identity))
        {
            CryptographicOperations.ZeroMemory(privateKey);
            context.Publish(sa, new AuthenticationFailed { Reason = $"peer ID {identity} is not the configured peerid", PeerIdentity = identity });
            context.FailIkeSa(sa, $"aggressive mode: peer ID {identity} is not the configured peerid", stage: NegotiationStage.IkeAuth);
            return;
        }

        var answer = new List<IsakmpPayload> { new SecurityAssociationPayload([offer.Proposals[0] with { Transforms = [choice.Transform] }]) };

        // Registered half-open before the work: a repeated message 1 finds it (and waits for the answer), the half-open caps
        // count it, and negotiate-timeout or a clear can remove it while the work is in flight.
        context.AddHalfOpen(sa);
        context.Compute(new AggressiveModeResponderComputation(sa, PhaseOneKeying.Of(sa, v1), choice.Suite.Group, privateKey, ke.Data, answer, identity, datagram));
    }

    /// <summary>The key exchange for message 1 is done (engine thread): message 2 with our KE, NONCE, ID and proof.</summary>
    public void CompleteFirst(AggressiveModeResponderComputation computation)
    {
        var sa = computation.Sa;
        var v1 = sa.V1!;
        var answer = computation.Answer;
        answer.AddRange(MainModeKeying.KeyMaterialPayloads(sa, v1, computation.PublicValue, sa.NonceResponder, context.Random).Where(p => p is not NatDiscoveryPayload));
        if (!MainModeKeying.Keyed(sa, v1, computation))
        {
            context.FailIkeSa(sa, "aggressive mode: unusable key exchange value from the initiator", stage: NegotiationStage.IkeSaInit);
            return;
        }

        sa.PeerIdentity = computation.PeerIdentity;
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"negotiation result: proposal {sa.Suite!.DisplayName} dhgrp {(int)sa.Suite.Group}, ISAKMP SA lifetime={v1.LifetimeSeconds}, peer identifier {sa.PeerIdentity}");
        SendSecond(sa, v1, answer, computation.Datagram);
    }

    /// <summary>
    /// Message 2 after SA | KE | Nr: our ID with HASH_R, or with our CERT and SIG_R (made maybe elsewhere,
    /// <see cref="CompleteOwnSignature"/>) and a CR for the initiator's certificate (signatures), then the NAT-T vendor ID
    /// and NAT-D payloads.
    /// </summary>
    private void SendSecond(IkeSa sa, IsakmpSaState v1, List<IsakmpPayload> answer, byte[] datagram)
    {
        if (MainModeProof.Build(context, sa, v1, ofInitiator: false, out var signature, out var error) is not { } proof)
        {
            context.FailIkeSa(sa, $"aggressive mode: {error}", stage: NegotiationStage.IkeAuth);
            return;
        }

        if (signature is not null)
        {
            // A repeated message 1 meanwhile is ignored; message 2 is kept under it once sent.
            context.Compute(new AggressiveModeResponderOwnSignatureComputation(sa, signature, answer, proof, datagram));
            return;
        }

        SendSecond(sa, v1, answer, proof, datagram);
    }

    /// <summary>SIG_R is made (engine thread): message 2 goes out.</summary>
    public void CompleteOwnSignature(AggressiveModeResponderOwnSignatureComputation computation)
    {
        var sa = computation.Sa;
        if (!MainModeProof.AddSignature(computation, computation.Proof, out var error))
        {
            context.FailIkeSa(sa, $"aggressive mode: {error}", stage: NegotiationStage.IkeAuth);
            return;
        }

        SendSecond(sa, sa.V1!, computation.Answer, computation.Proof, computation.Datagram);
    }

    private void SendSecond(IkeSa sa, IsakmpSaState v1, List<IsakmpPayload> answer, List<IsakmpPayload> proof, byte[] datagram)
    {
        answer.AddRange(proof);
        if (MainModeProof.UsesSignature(v1))
        {
            answer.AddRange(context.IsakmpCertificateRequests());
        }

        if (v1.PeerNatT && MainModeKeying.WantsNatT(sa.Tunnel.Settings))
        {
            answer.Add(new VendorIdPayload(v1.NatTVendorId!));
            answer.AddRange(MainModeKeying.NatDiscoveryPayloads(sa, v1, context.Random));
        }

        var bytes = IsakmpCodec.Encode(IsakmpProtection.Header(sa, IsakmpExchangeType.Aggressive, 0), answer);
        v1.Answers[IsakmpSaState.Fingerprint(datagram)] = bytes;
        context.SendIsakmpRequest(sa, bytes, 0, "aggressive mode 2nd message", new MainModeRequest(2));
        context.Publish(sa, new IsakmpNegotiationStarted { AsInitiator = false, Mode = "aggressive" });
    }

    /// <summary>
    /// The phase 1 that answers: the static one for the peer's address, else the aggressive-mode dial-up one its ID (message 1
    /// carries it in clear) selects; null, refused with the reason, when none.
    /// </summary>
    private TunnelRuntime? PhaseOneFor(IPEndPoint local, IPEndPoint remote, IdentificationPayload? id)
    {
        var tunnel = context.FindIkev1Tunnel(local.Address, remote.Address, Ikev1Mode.Aggressive, id, out bool idRefused);
        if (tunnel is { Settings.Mode: Ikev1Mode.Aggressive })
        {
            return tunnel;
        }

        // The reason stays the same for every ID, so a peer trying many IDs is summarised, not logged line by line.
        string reason = tunnel is not null ? $"phase1 {tunnel.Name} uses main mode, the peer aggressive mode"
            : idRefused ? "the peer's ID is no aggressive-mode dial-up phase1's peerid" : "no IKEv1 phase1 configured for this peer";
        string shown = idRefused && id is not null ? $"{reason} (peer ID {MainModeKeying.Describe(id)})" : reason;
        context.RefusePeer(local, remote, reason, IkeLogLevel.Event, $"ignoring IKEv1 aggressive mode from {remote}: {shown}");
        return null;
    }

    /// <summary>Message 3: HASH_I, or CERT and SIG_I (encrypted or in clear, checked maybe elsewhere), proves the initiator; the ISAKMP SA is up.</summary>
    public void HandleThird(IkeSa sa, IsakmpParseResult outer)
    {
        var v1 = sa.V1!;
        if (v1.Step != 2)
        {
            return;
        }

        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "responder: aggressive mode get 3rd message...");
        byte[] nextIv = v1.PhaseOneIv;
        var parsed = outer.NeedsDecryption ? IsakmpProtection.Open(v1, outer, v1.PhaseOneIv, out nextIv) : outer;
        if (MainModeProof.UsesSignature(v1))
        {
            if (parsed.Message is not { } signed)
            {
                Refuse(sa, $"3rd message unreadable ({parsed.Detail})");
            }
            else if (!MainModeProof.CheckSignature(context, sa, v1, signed, v1.PeerId!, ofInitiator: true, out var check, out var reason))
            {
                Refuse(sa, $"peer certificate refused: {reason}");
            }
            else
            {
                // A repeated message 3 meanwhile is ignored (CompletePeerSignature goes on).
                context.Compute(new AggressiveModeResponderPeerSignatureComputation(sa, check, signed, nextIv));
            }

            return;
        }

        var hash = parsed.Message?.Find<HashPayload>();
        if (hash is null || !CryptographicOperations.FixedTimeEquals(hash.Data, MainModeKeying.AuthHash(sa, v1, ofInitiator: true, v1.PeerId!.EncodeBody())))
        {
            Refuse(sa, "probable pre-shared secret mismatch");
            return;
        }

        Proven(sa, v1, parsed.Message!, nextIv);
    }

    /// <summary>The initiator's certificate and SIG_I are checked (engine thread): the verdict, and the ISAKMP SA is up.</summary>
    public void CompletePeerSignature(AggressiveModeResponderPeerSignatureComputation computation)
    {
        var sa = computation.Sa;
        if (!context.AcceptIsakmpSignature(sa, computation.Check, out var reason))
        {
            Refuse(sa, $"peer certificate refused: {reason}");
            return;
        }

        Proven(sa, sa.V1!, computation.Third, computation.NextIv);
    }

    /// <summary>Message 3 does not prove the initiator: no HASH_I over its ID that matches, or its certificate or SIG_I refused.</summary>
    private void Refuse(IkeSa sa, string refused)
    {
        context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, refused);
        context.Publish(sa, new AuthenticationFailed { Reason = refused, PeerIdentity = sa.PeerIdentity });
        context.FailIkeSa(sa, $"aggressive mode: {refused}", stage: NegotiationStage.IkeAuth);
    }

    /// <summary>Message 3 proved the initiator: NAT detection, then XAUTH, or the ISAKMP SA is up.</summary>
    private void Proven(IkeSa sa, IsakmpSaState v1, IsakmpMessage message, byte[] nextIv)
    {
        MainModeKeying.DetectNat(sa, v1, message);
        MainModeKeying.LogNatT(context, sa, v1);
        if (sa.UsesNatTraversal)
        {
            // The initiator moved to UDP 4500 for message 3 (RFC 3947 §4); what we send next (XAUTH) follows it there.
            MainModeKeying.FloatToNatPort(sa, context.Options.NatTraversalPort);
        }

        v1.PhaseOneIv = nextIv;
        v1.Step = 6;
        bool initialContact = message.All<NotificationPayload>().Any(n => n.MessageType == IsakmpProtection.NotifyInitialContact);
        if (sa.Tunnel.IsDialupTemplate)
        {
            sa.Tunnel = context.AdmitIkev1DialupPeer(sa, sa.PeerIdentity!, initialContact);
        }

        if (sa.Tunnel.Settings.IsXauthServer)
        {
            // As after main mode: the SA counts as established once XAUTH passed, and until then the peer has no quick mode.
            context.StartXauth(sa, initialContact);
            return;
        }

        context.MarkEstablished(sa, initialContact);
        context.RequestWantedPhase2(sa, skipUsable: true);
    }
}
