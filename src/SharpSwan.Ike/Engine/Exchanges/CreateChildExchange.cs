using System.Buffers.Binary;
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
/// CREATE_CHILD_SA for child SAs, new and rekey, in both roles (RFC 7296 §1.3.1-1.3.3). The responder's negotiation is
/// <see cref="ChildResponder"/> (shared with IKE_AUTH), the succession and collision rules are <see cref="ChildSettlement"/>;
/// the peer's rekey of the IKE SA arrives here too and goes to <see cref="IkeRekeyExchange"/>.
/// </summary>
internal sealed class CreateChildExchange(IExchangeContext context, ChildResponder responder, ChildSettlement settlement, IkeRekeyExchange ikeRekey)
{
    /// <summary>Sends the CREATE_CHILD_SA a <see cref="CreateChildJob"/> asks for, if it is still wanted.</summary>
    public void SendRequest(IkeSa sa, CreateChildJob job)
    {
        if (!StillWanted(sa, job))
        {
            return;
        }

        var (phase2, rekeyOf) = (job.Phase2, job.RekeyOf);
        var group = phase2.Pfs ? job.Group ?? phase2.DhGroups[0] : DiffieHellmanGroup.None;
        var local = rekeyOf?.LocalSelector ?? SelectorMath.ToWire(phase2.Source, phase2.Protocol, phase2.SourcePort);
        var remote = rekeyOf?.RemoteSelector ?? SelectorMath.ToWire(phase2.Destination, phase2.Protocol, phase2.DestinationPort);
        var proposal = new ChildProposalContext(phase2, context.NewChildSpi(), local, remote) { Group = group, Nonce = context.NewNonce() };
        if (group == DiffieHellmanGroup.None)
        {
            Send(sa, job, proposal, null);
            return;
        }

        // PFS: the private key is drawn here, in the engine's order; the key pair may be made on another thread, and the
        // request goes out once it is back (CompleteKeyPair).
        context.Compute(new InitiatorChildKeyPairComputation(sa, job, proposal, KeyExchange.DrawPrivateKey(group, context.Random)));
    }

    /// <summary>Our PFS key pair is made (on the engine thread): the CREATE_CHILD_SA goes out if it is still wanted.</summary>
    public void CompleteKeyPair(InitiatorChildKeyPairComputation computation)
    {
        var (sa, job) = (computation.Sa, computation.Job);
        var pair = computation.TakeKeyPair();
        if (pair is null)
        {
            Failed(sa, job.Phase2.Name, "our key exchange could not be made", job.RekeyOf);
            if (job.RekeyOf is null)
            {
                sa.Tunnel.Negotiating.Remove(job.Phase2.Name);
            }

            return;
        }

        if (!StillWanted(sa, job))
        {
            // Only while the work ran elsewhere: the SA to rekey went meanwhile, or the phase 2 came up by other means.
            pair.Dispose();
            return;
        }

        Send(sa, job, computation.Proposal, pair);
    }

    private void Send(IkeSa sa, CreateChildJob job, ChildProposalContext proposal, KeyExchange? keyExchange)
    {
        var (phase2, rekeyOf, group) = (job.Phase2, job.RekeyOf, proposal.Group);
        var (local, remote) = (proposal.Local, proposal.Remote);
        var payloads = new List<IkePayload>();
        if (rekeyOf is not null)
        {
            payloads.Add(new NotifyPayload(ProtocolId.Esp, WireText.SpiBytes(rekeyOf.InboundSpi), NotifyType.RekeySa, []));
            rekeyOf.RekeyRequestedOn = sa.Serial;
        }

        payloads.Add(ProposalBuilder.ForEsp(phase2.Proposals, phase2.Pfs ? WireText.OrderedGroups(phase2.DhGroups, group) : [], proposal.InboundSpi, sa.Tunnel.Settings.Esn));
        payloads.Add(new NoncePayload(proposal.Nonce));
        if (keyExchange is not null)
        {
            payloads.Add(new KeyExchangePayload(group, keyExchange.PublicValue));
        }

        payloads.Add(new TrafficSelectorPayload(true, [local]));
        payloads.Add(new TrafficSelectorPayload(false, [remote]));
        var label = rekeyOf is null ? $"CREATE_CHILD {phase2.Name}" : $"CREATE_CHILD rekey {phase2.Name}";
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, rekeyOf is null ? $"initiating CREATE_CHILD exchange for {phase2.Name}" : $"initiating CREATE_CHILD exchange to rekey {phase2.Name} SPI {rekeyOf.InboundSpi:x8}");
        context.Publish(sa, new CreateChildInitiated { Phase2 = phase2.Name, RekeyOf = rekeyOf?.InboundSpi });
        context.SendRequest(sa, ExchangeType.CreateChildSa, payloads, label, new CreateChildRequest(proposal, rekeyOf, keyExchange, label));
    }

    /// <summary>Whether a queued CREATE_CHILD_SA still has work to do when the window frees up.</summary>
    private bool StillWanted(IkeSa sa, CreateChildJob job)
    {
        if (job.RekeyOf is not null)
        {
            // A rekey is moot once the SA is no longer waiting for it (deleted, or replaced by the peer's rekey).
            return job.RekeyOf.State == ChildSaState.Rekeying;
        }

        // Queued behind another exchange (e.g. a rekey whose answer came after the peer's DELETE of the old SA): if
        // that exchange left a usable SA for this phase 2, creating one more would leave two.
        if (context.HasUsableChild(sa.Tunnel, job.Phase2.Name))
        {
            sa.Tunnel.Negotiating.Remove(job.Phase2.Name);
            return false;
        }

        return true;
    }

    /// <summary>Our request went unanswered: the peer is gone, and the IKE SA with it.</summary>
    public void TimedOut(IkeSa sa, CreateChildRequest request)
    {
        request.KeyExchange?.Dispose();
        context.FailIkeSa(sa, $"{request.Label}: peer not responding");
    }

    public void HandleResponse(IkeSa sa, IkeMessage message, CreateChildRequest request)
    {
        var (proposal, rekeyOf, keyExchange) = (request.Context, request.RekeyOf, request.KeyExchange);
        if (message.Payloads.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError) is { } error)
        {
            keyExchange?.Dispose();
            RevertRekey(rekeyOf);
            Refused(sa, proposal, rekeyOf, error);
            return;
        }

        if (keyExchange is null)
        {
            Keyed(sa, request, message, []);
            return;
        }

        if (message.Find<KeyExchangePayload>() is not { } ke || ke.Group != proposal.Group)
        {
            keyExchange.Dispose();
            Keyed(sa, request, message, null);
            return;
        }

        // PFS: the shared secret may be computed on another thread; the IKE SA waits for it (CompleteResponse).
        context.Compute(new InitiatorChildComputation(sa, keyExchange, ke.Data, request, message));
    }

    /// <summary>Our CREATE_CHILD_SA's PFS key exchange is done (on the engine thread): the child SA is checked and installed.</summary>
    public void CompleteResponse(InitiatorChildComputation computation) =>
        Keyed(computation.Sa, computation.Request, computation.Response, computation.TakeSharedSecret());

    /// <summary>The answer with its PFS secret (empty without PFS; null when the peer's value was unusable).</summary>
    private void Keyed(IkeSa sa, CreateChildRequest request, IkeMessage message, byte[]? secret)
    {
        var (proposal, rekeyOf) = (request.Context, request.RekeyOf);
        var phase2 = proposal.Settings;
        if (rekeyOf is null)
        {
            sa.Tunnel.Negotiating.Remove(phase2.Name);
        }

        if (secret is null)
        {
            Failed(sa, phase2.Name, "bad key exchange in answer", rekeyOf);
            return;
        }

        var nonce = message.Find<NoncePayload>();
        if (nonce is null || nonce.Data.Length is < 16 or > 256)
        {
            CryptographicOperations.ZeroMemory(secret);
            Failed(sa, phase2.Name, "no nonce in answer", rekeyOf);
            return;
        }

        CompleteAsInitiator(sa, proposal, message, secret, proposal.Nonce, nonce.Data, rekeyOf);
    }

    /// <summary>Reads the responder's SA/TS answer and installs the child SA we asked for (also for the child inside IKE_AUTH).</summary>
    public void CompleteAsInitiator(IkeSa sa, ChildProposalContext proposal, IkeMessage message, byte[] sharedSecret, byte[] nonceI, byte[] nonceR, ChildSa? rekeyOf)
    {
        var phase2 = proposal.Settings;
        var saPayload = message.Find<SecurityAssociationPayload>();
        var tsi = message.TsInitiator;
        var tsr = message.TsResponder;
        if (saPayload is null || tsi is null || tsr is null || tsi.Selectors.Count == 0 || tsr.Selectors.Count == 0)
        {
            var error = message.Payloads.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError);
            if (error is { NotifyType: NotifyType.NoProposalChosen } && sa.Tunnel.Settings.Esn == EsnMode.Require)
            {
                EsnRefusedByPeer(sa, phase2.Name);
            }
            else
            {
                context.ChildNegotiationFailed(sa, phase2.Name, error is null ? "no child SA in answer" : "peer answered " + WireText.NotifyName(error.NotifyType), error?.NotifyType);
            }

            RevertRekey(rekeyOf);
            CryptographicOperations.ZeroMemory(sharedSecret);
            return;
        }

        var suite = ProposalSelector.AcceptEspAnswer(saPayload, phase2.Proposals, proposal.Group, out var peerSpi, sa.Tunnel.Settings.Esn);
        var localTs = tsi.Selectors[0];
        var remoteTs = tsr.Selectors[0];
        if (suite is null || peerSpi < 256 ||
            SelectorMath.Intersect(localTs, proposal.Local) != localTs || SelectorMath.Intersect(remoteTs, proposal.Remote) != remoteTs)
        {
            CryptographicOperations.ZeroMemory(sharedSecret);
            Failed(sa, phase2.Name, "answer does not match what we proposed", rekeyOf);
            return;
        }

        var keys = ChildSaKeys.Derive(sa.Suite!.Prf, sa.Keys!.SkD, suite, sharedSecret, nonceI, nonceR);
        CryptographicOperations.ZeroMemory(sharedSecret);
        var negotiated = new NegotiatedChild(phase2, proposal.InboundSpi, peerSpi, suite, keys, localTs, remoteTs, CreatedByUs: true, Phase2Lifecycle.LowestNonce(nonceI, nonceR), ActivateOutbound: true, rekeyOf);
        settlement.Settle(sa, context.InstallChild(sa, negotiated), rekeyOf);
    }

    /// <summary>
    /// The peer refused an offer that, under <c>esn require</c>, named extended sequence numbers only: most likely it has
    /// none (strongSwan's kernel-libipsec), so the failure says so.
    /// </summary>
    private void EsnRefusedByPeer(IkeSa sa, string phase2) =>
        context.ChildNegotiationFailed(
            sa, phase2, "peer answered NO_PROPOSAL_CHOSEN to an offer with extended sequence numbers only (esn require)", NotifyType.NoProposalChosen, esnRequired: true);

    private void Failed(IkeSa sa, string phase2, string reason, ChildSa? rekeyOf)
    {
        context.ChildNegotiationFailed(sa, phase2, reason);
        RevertRekey(rekeyOf);
    }

    private static void RevertRekey(ChildSa? rekeyOf)
    {
        if (rekeyOf is { State: ChildSaState.Rekeying })
        {
            rekeyOf.State = ChildSaState.Installed;
        }
    }

    /// <summary>The peer refused our CREATE_CHILD_SA: retry, give the rekey up, replace the SA, or report the failure.</summary>
    private void Refused(IkeSa sa, ChildProposalContext proposal, ChildSa? rekeyOf, NotifyPayload error)
    {
        var phase2 = proposal.Settings;
        var wanted = WireText.WantedGroup(error);
        switch (error.NotifyType)
        {
            case NotifyType.InvalidKePayload when error.Data.Length == 2 && phase2.DhGroups.Contains(wanted) && wanted != proposal.Group:
                context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"peer wants DH group {(int)wanted} for {phase2.Name}: retrying");
                context.Publish(sa, new RetryingWithDhGroup { DhGroup = (int)wanted, Phase2 = phase2.Name });
                context.StartCreateChild(sa, phase2, rekeyOf, wanted);
                return;
            case NotifyType.TemporaryFailure:
                // The peer is busy with a colliding exchange: try again shortly (RFC 7296 §2.25).
                var delay = EngineTimings.ChildRetryMin + TimeSpan.FromMilliseconds(context.Random.NextInt32(EngineTimings.ChildRetrySpreadMs));
                context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"peer answered TEMPORARY_FAILURE for {phase2.Name}, retrying in {delay.TotalSeconds:0.0}s");
                context.Publish(sa, new ChildExchangeRetryScheduled { Phase2 = phase2.Name, Notify = NotifyType.TemporaryFailure, Delay = delay });
                context.Schedule(context.Now + delay, new RetryChildJob(sa, phase2, rekeyOf));
                return;
            case NotifyType.ChildSaNotFound when rekeyOf is not null:
                RekeyedSaNotFound(sa, proposal, rekeyOf);
                return;
            case NotifyType.NoProposalChosen when sa.Tunnel.Settings.Esn == EsnMode.Require:
                EsnRefusedByPeer(sa, phase2.Name);
                if (rekeyOf is null)
                {
                    sa.Tunnel.Negotiating.Remove(phase2.Name);
                }

                return;
            default:
                context.ChildNegotiationFailed(sa, phase2.Name, $"peer answered {WireText.NotifyName(error.NotifyType)}", error.NotifyType);
                if (rekeyOf is null)
                {
                    sa.Tunnel.Negotiating.Remove(phase2.Name);
                }

                return;
        }
    }

    /// <summary>The peer does not know the SA we asked to rekey: superseded, not finished on its side yet, or lost.</summary>
    private void RekeyedSaNotFound(IkeSa sa, ChildProposalContext proposal, ChildSa rekeyOf)
    {
        var (tunnel, phase2) = (sa.Tunnel, proposal.Settings);
        if (rekeyOf.Successors.Any(sa.Children.Contains))
        {
            // The peer's own rekey of this SA won the race and replaced it already: nothing left for ours to do.
            context.Log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, $"rekey of {rekeyOf.Phase2Name} superseded by the peer's rekey");
            if (sa.Children.Contains(rekeyOf))
            {
                context.PublishChildRetired(sa, rekeyOf, "superseded by the peer's rekey");
                rekeyOf.State = ChildSaState.Rekeyed;
                rekeyOf.RetireAt ??= rekeyOf.HardExpiry;
            }

            return;
        }

        if (rekeyOf is { CreatedByUs: false, Predecessor: { } predecessor } && sa.Children.Contains(predecessor) &&
            context.Now - rekeyOf.InstalledAt < Phase2Lifecycle.AbandonedRekeyWait)
        {
            // The peer created this SA by rekeying one it has not deleted yet: our answer to that rekey is still on
            // its way (or lost and about to be asked for again). The SA is good; rekey it once the peer has it.
            context.Log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, $"peer does not have SA {rekeyOf.OutboundSpi:x8} yet (its rekey is not finished): keeping it");
            context.Schedule(context.Now + EngineTimings.ChildRetryMin + TimeSpan.FromMilliseconds(context.Random.NextInt32(EngineTimings.ChildRetrySpreadMs)), new RetryChildJob(sa, phase2, rekeyOf));
            return;
        }

        context.RemoveChild(sa, rekeyOf, "unknown to peer");
        if (context.HasUsableChild(tunnel, phase2.Name))
        {
            // Another SA already carries this phase 2 (the one the peer actually uses): nothing to replace.
            context.Log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"peer does not know SA {rekeyOf.OutboundSpi:x8}: dropped it, {phase2.Name} stays on its other SA");
            return;
        }

        context.Log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"peer does not know SA {rekeyOf.OutboundSpi:x8}: replacing it with a new one");
        tunnel.Negotiating.Add(phase2.Name);
        context.StartCreateChild(sa, phase2, null);
    }

    /// <summary>Answers the peer's CREATE_CHILD_SA: a new child SA, the rekey of one, or (all IKE proposals) an IKE SA rekey.</summary>
    public void HandleRequest(IkeSa sa, IkeMessage message)
    {
        var request = message.Header;
        if (sa.State != IkeSaState.Established)
        {
            context.Respond(sa, request, [WireText.Error(NotifyType.TemporaryFailure)]);
            return;
        }

        var saPayload = message.Find<SecurityAssociationPayload>();
        if (saPayload is not null && saPayload.Proposals.Count > 0 && saPayload.Proposals.All(p => p.Protocol == ProtocolId.Ike))
        {
            ikeRekey.HandleRequest(sa, message);
            return;
        }

        ChildSa? rekeyOf = null;
        if (message.FindNotify(NotifyType.RekeySa) is { } rekey && !TryFindRekeyed(sa, request, rekey, out rekeyOf))
        {
            return;
        }

        var payloads = new List<IkePayload>();
        var answer = responder.Negotiate(sa, message, payloads, ownExchange: true, rekeyOf);
        if (answer is { PrivateKey: { } privateKey })
        {
            // PFS: our DH value and the shared secret may be computed on another thread; the IKE SA waits for them, and
            // the peer's retransmissions meanwhile get no second computation (CompleteRequest answers).
            context.Compute(new ResponderChildComputation(sa, answer, privateKey, request, payloads, rekeyOf));
            return;
        }

        var child = answer is null ? null : responder.Keyed(sa, answer, [], null, payloads, ownExchange: true, rekeyOf);
        context.Respond(sa, request, payloads);
        settlement.Settle(sa, child, rekeyOf);
    }

    /// <summary>The PFS key exchange of the peer's CREATE_CHILD_SA is done (on the engine thread): install, answer, settle.</summary>
    public void CompleteRequest(ResponderChildComputation computation)
    {
        var (sa, rekeyOf, payloads) = (computation.Sa, computation.RekeyOf, computation.Payloads);
        if (rekeyOf is not null && (!sa.Children.Contains(rekeyOf) || rekeyOf.State is ChildSaState.Deleting or ChildSaState.Rekeyed))
        {
            // Only while the work ran elsewhere: the SA to rekey expired meanwhile. As for a request that finds it closing.
            computation.Discard();
            context.Respond(sa, computation.Request, [WireText.Error(NotifyType.TemporaryFailure)]);
            return;
        }

        var child = responder.Keyed(sa, computation.Answer, computation.TakeSharedSecret(), computation.PublicValue, payloads, ownExchange: true, rekeyOf);
        context.Respond(sa, computation.Request, payloads);
        settlement.Settle(sa, child, rekeyOf);
    }

    /// <summary>The child SA the peer's REKEY_SA names; false (answered here) when we do not have it or are closing it.</summary>
    private bool TryFindRekeyed(IkeSa sa, IkeHeader request, NotifyPayload rekey, out ChildSa? rekeyOf)
    {
        var spi = rekey.Spi.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(rekey.Spi) : 0;
        rekeyOf = sa.Children.FirstOrDefault(c => c.OutboundSpi == spi);
        if (rekeyOf is null)
        {
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"peer asks to rekey unknown SA {spi:x8}: CHILD_SA_NOT_FOUND");
            context.Respond(sa, request, [new NotifyPayload(ProtocolId.Esp, rekey.Spi, NotifyType.ChildSaNotFound, [])]);
            return false;
        }

        if (rekeyOf.State is ChildSaState.Deleting or ChildSaState.Rekeyed)
        {
            // We are closing it already; the peer retries or learns of the DELETE (RFC 7296 §2.25.1).
            context.Respond(sa, request, [WireText.Error(NotifyType.TemporaryFailure)]);
            return false;
        }

        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"responder: peer rekeys {rekeyOf.Phase2Name} SPI {rekeyOf.InboundSpi:x8}");
        context.Publish(sa, new PeerChildRekeyAccepted { Phase2 = rekeyOf.Phase2Name, RekeyOf = rekeyOf.InboundSpi });
        return true;
    }
}
