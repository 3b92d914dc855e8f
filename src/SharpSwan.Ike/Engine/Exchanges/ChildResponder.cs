using System.Security.Cryptography;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// The responder's part of a child SA request, inside IKE_AUTH or CREATE_CHILD_SA: the phase 2 whose selectors admit it,
/// the proposal, the key material, the answer payloads, and the SA installed before the answer leaves.
/// </summary>
internal sealed class ChildResponder(IExchangeContext context)
{
    /// <summary>
    /// Installs the SA and adds the answer payloads (or the refusal), with no key exchange (inside IKE_AUTH). The caller
    /// sends the answer, then settles the new SA (<see cref="ChildSettlement"/>), so that any DELETE this causes follows
    /// the answer that told the peer about the new SA.
    /// </summary>
    public ChildSa? Answer(IkeSa sa, IkeMessage message, List<IkePayload> payloads, ChildSa? rekeyOf) =>
        Negotiate(sa, message, payloads, ownExchange: false, rekeyOf) is { } answer ? Keyed(sa, answer, [], null, payloads, ownExchange: false, rekeyOf) : null;

    /// <summary>
    /// The answer up to its keys: null when refused (the refusal is in <paramref name="payloads"/>). With PFS the private
    /// key is drawn here, in the engine's order, and the key exchange is left to the caller.
    /// </summary>
    public ChildAnswer? Negotiate(IkeSa sa, IkeMessage message, List<IkePayload> payloads, bool ownExchange, ChildSa? rekeyOf)
    {
        var saPayload = message.Find<SecurityAssociationPayload>();
        var tsi = message.TsInitiator;
        var tsr = message.TsResponder;
        if (saPayload is null || tsi is null || tsr is null)
        {
            if (ownExchange)
            {
                payloads.Add(WireText.Error(NotifyType.InvalidSyntax));
            }

            return null;
        }

        if (!context.Configuration.IsReferencedByPolicy(sa.Tunnel.Template?.Name ?? sa.Tunnel.Name))
        {
            RefuseWithoutPolicy(sa, payloads);
            return null;
        }

        if (MatchPhase2(sa.Tunnel, tsi, tsr, rekeyOf) is not { } match)
        {
            RefuseSelectors(sa, tsi, tsr, payloads);
            return null;
        }

        var phase2 = match.Phase2;
        var ke = message.Find<KeyExchangePayload>();
        var esn = sa.Tunnel.Settings.Esn;
        var choice = ProposalSelector.ChooseEsp(saPayload.Proposals, phase2.Proposals, phase2.Pfs, phase2.DhGroups, ownExchange, ke?.Group ?? DiffieHellmanGroup.None, out var wantedGroup, esn);
        if (choice is null)
        {
            // Under esn require, a proposal that allow would take differs only in its sequence numbers: say so.
            var esnOnly = esn == EsnMode.Require && wantedGroup == DiffieHellmanGroup.None
                && ProposalSelector.ChooseEsp(saPayload.Proposals, phase2.Proposals, phase2.Pfs, phase2.DhGroups, ownExchange, ke?.Group ?? DiffieHellmanGroup.None, out _, EsnMode.Allow) is not null;
            RefuseProposal(sa, phase2, wantedGroup, payloads, esnOnly);
            return null;
        }

        return KeyMaterial(sa, message, match, choice, ke, ownExchange, payloads);
    }

    /// <summary>
    /// The rest of the answer once its key exchange is done: <paramref name="secret"/> is the PFS secret (empty without
    /// PFS, null when the peer's value was unusable: INVALID_SYNTAX), wiped here; <paramref name="ourPublic"/> our DH value.
    /// </summary>
    public ChildSa? Keyed(IkeSa sa, ChildAnswer answer, byte[]? secret, byte[]? ourPublic, List<IkePayload> payloads, bool ownExchange, ChildSa? rekeyOf)
    {
        if (secret is null)
        {
            payloads.Add(WireText.Error(NotifyType.InvalidSyntax));
            return null;
        }

        var (match, choice) = (answer.Match, answer.Choice);
        var inboundSpi = context.NewChildSpi();
        payloads.Add(new SecurityAssociationPayload([new Proposal(choice.Proposal.Number, ProtocolId.Esp, WireText.SpiBytes(inboundSpi), choice.Proposal.Transforms)]));
        if (ownExchange)
        {
            payloads.Add(new NoncePayload(answer.NonceR));
            if (ourPublic is not null)
            {
                payloads.Add(new KeyExchangePayload(choice.Suite.Group, ourPublic));
            }
        }

        payloads.Add(new TrafficSelectorPayload(true, [match.Initiator]));
        payloads.Add(new TrafficSelectorPayload(false, [match.Responder]));
        var keys = ChildSaKeys.Derive(sa.Suite!.Prf, sa.Keys!.SkD, choice.Suite, secret, answer.NonceI, answer.NonceR);
        CryptographicOperations.ZeroMemory(secret);

        // Make-before-break: the inbound SA exists before the answer leaves, so the peer may use it the moment it has the
        // answer. A rekeyed SA keeps carrying our outbound traffic until the peer deletes it or uses the new one.
        var lowestNonce = Phase2Lifecycle.LowestNonce(answer.NonceI, answer.NonceR);
        return context.InstallChild(sa, new NegotiatedChild(match.Phase2, inboundSpi, choice.PeerSpi, choice.Suite, keys, match.Responder, match.Initiator, CreatedByUs: false, lowestNonce, ActivateOutbound: rekeyOf is null, rekeyOf));
    }

    /// <summary>FortiOS negotiates no IPsec SA for a tunnel that no firewall policy refers to, as responder either.</summary>
    private void RefuseWithoutPolicy(IkeSa sa, List<IkePayload> payloads)
    {
        const string refusal = "ignoring request to establish IPsec SA, no policy configured: TS_UNACCEPTABLE";
        context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, refusal);
        context.Publish(sa, new NegotiationFailed { Stage = NegotiationStage.ChildSa, Notify = NotifyType.TsUnacceptable, NotifySent = true, Reason = refusal });
        payloads.Add(WireText.Error(NotifyType.TsUnacceptable));
    }

    private void RefuseSelectors(IkeSa sa, TrafficSelectorPayload tsi, TrafficSelectorPayload tsr, List<IkePayload> payloads)
    {
        var refusal = $"no phase2 matches peer selectors TSi {string.Join(',', tsi.Selectors.Select(SelectorMath.Describe))} TSr {string.Join(',', tsr.Selectors.Select(SelectorMath.Describe))}: TS_UNACCEPTABLE";
        context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, refusal);
        context.Publish(sa, new NegotiationFailed { Stage = NegotiationStage.ChildSa, Notify = NotifyType.TsUnacceptable, NotifySent = true, Reason = refusal });
        payloads.Add(WireText.Error(NotifyType.TsUnacceptable));
    }

    /// <summary>
    /// The phase 2 whose selectors admit the peer's proposal (for a rekey, only the one being rekeyed), with the selectors
    /// narrowed to it. The initiator's TSi is our remote side; its TSr is our local side.
    /// </summary>
    private static ChildSelectorMatch? MatchPhase2(TunnelRuntime tunnel, TrafficSelectorPayload tsi, TrafficSelectorPayload tsr, ChildSa? rekeyOf)
    {
        foreach (var candidate in rekeyOf is null ? tunnel.Phase2 : [rekeyOf.Settings])
        {
            var allowedRemote = SelectorMath.ToWire(candidate.Destination, candidate.Protocol, candidate.DestinationPort);
            var allowedLocal = SelectorMath.ToWire(candidate.Source, candidate.Protocol, candidate.SourcePort);
            if (tunnel.AssignedAddress is { } assigned)
            {
                // A mode-cfg client speaks only from the address we gave it, whatever it proposed (it proposes 0.0.0.0/0).
                if (SelectorMath.Intersect(allowedRemote, allowedRemote with { StartAddress = assigned, EndAddress = assigned }) is not { } single)
                {
                    continue;
                }

                allowedRemote = single;
            }

            if (SelectorMath.Narrow(tsi.Selectors, allowedRemote) is { } i && SelectorMath.Narrow(tsr.Selectors, allowedLocal) is { } r)
            {
                return new ChildSelectorMatch(candidate, i, r);
            }
        }

        return null;
    }

    /// <summary>No proposal of the peer's is acceptable: ask for another DH group if that would do, else NO_PROPOSAL_CHOSEN.</summary>
    private void RefuseProposal(IkeSa sa, Phase2Settings phase2, DiffieHellmanGroup wantedGroup, List<IkePayload> payloads, bool esnOnly)
    {
        if (wantedGroup != DiffieHellmanGroup.None)
        {
            payloads.Add(WireText.InvalidKe(wantedGroup));
            return;
        }

        var reason = esnOnly ? "no proposal chosen: the peer offers no extended sequence numbers (esn require)" : "no proposal chosen";
        context.ChildNegotiationFailed(sa, phase2.Name, reason, NotifyType.NoProposalChosen, notifySent: true, esnRequired: esnOnly);
        payloads.Add(WireText.Error(NotifyType.NoProposalChosen));
    }

    /// <summary>
    /// Nonces and (with PFS) our private key for a child SA we answer. Inside IKE_AUTH the IKE SA's nonces serve and there
    /// is no key exchange; in CREATE_CHILD_SA we add our nonce and, with PFS, draw the private key for our DH value. Null
    /// (with INVALID_SYNTAX added) when the request lacks them.
    /// </summary>
    private ChildAnswer? KeyMaterial(IkeSa sa, IkeMessage message, ChildSelectorMatch match, ProposalSelector.EspChoice choice, KeyExchangePayload? ke, bool ownExchange, List<IkePayload> payloads)
    {
        if (!ownExchange)
        {
            return new ChildAnswer(match, choice, sa.NonceInitiator, sa.NonceResponder, null, []);
        }

        var nonce = message.Find<NoncePayload>();
        if (nonce is null || nonce.Data.Length is < 16 or > 256)
        {
            payloads.Add(WireText.Error(NotifyType.InvalidSyntax));
            return null;
        }

        var nonceR = context.NewNonce();
        var group = choice.Suite.Group;
        if (group == DiffieHellmanGroup.None)
        {
            return new ChildAnswer(match, choice, nonce.Data, nonceR, null, []);
        }

        // Drawn even when the request has no KE payload, as the random source always saw it.
        var privateKey = KeyExchange.DrawPrivateKey(group, context.Random);
        if (ke is null)
        {
            CryptographicOperations.ZeroMemory(privateKey);
            payloads.Add(WireText.Error(NotifyType.InvalidSyntax));
            return null;
        }

        return new ChildAnswer(match, choice, nonce.Data, nonceR, privateKey, ke.Data);
    }
}
