using System.Buffers.Binary;
using System.Security.Cryptography;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>Child SAs: creation and rekey in both roles, installation, make-before-break and the §2.8.1 collision rule.</summary>
public sealed partial class IkeEngine
{
    private void StartCreateChild(IkeSa sa, Phase2Settings phase2, ChildSa? rekeyOf, DiffieHellmanGroup? groupOverride = null)
    {
        if (rekeyOf is not null)
        {
            rekeyOf.State = ChildSaState.Rekeying;
        }

        Enqueue(sa, new CreateChildJob(phase2, rekeyOf, groupOverride));
    }

    /// <summary>Whether a queued CREATE_CHILD_SA still has work to do when the window frees up.</summary>
    private static bool StillWanted(IkeSa sa, CreateChildJob job)
    {
        if (job.RekeyOf is not null)
        {
            // A rekey is moot once the SA is no longer waiting for it (deleted, or replaced by the peer's rekey).
            return job.RekeyOf.State == ChildSaState.Rekeying;
        }

        // Queued behind another exchange (e.g. a rekey whose answer came after the peer's DELETE of the old SA): if
        // that exchange left a usable SA for this phase 2, creating one more would leave two.
        if (HasUsableChild(sa.Tunnel, job.Phase2.Name))
        {
            sa.Tunnel.Negotiating.Remove(job.Phase2.Name);
            return false;
        }

        return true;
    }

    private void SendCreateChild(IkeSa sa, CreateChildJob job)
    {
        if (!StillWanted(sa, job))
        {
            return;
        }

        var (phase2, rekeyOf) = (job.Phase2, job.RekeyOf);
        var group = phase2.Pfs ? job.Group ?? phase2.DhGroups[0] : DiffieHellmanGroup.None;
        var local = rekeyOf?.LocalSelector ?? SelectorMath.ToWire(phase2.Source, phase2.Protocol, phase2.SourcePort);
        var remote = rekeyOf?.RemoteSelector ?? SelectorMath.ToWire(phase2.Destination, phase2.Protocol, phase2.DestinationPort);
        var context = new ChildProposalContext(phase2, NewChildSpi(), local, remote) { Group = group, Nonce = NewNonce() };
        var keyExchange = group == DiffieHellmanGroup.None ? null : KeyExchange.Create(group, _random);
        var payloads = new List<IkePayload>();
        if (rekeyOf is not null)
        {
            payloads.Add(new NotifyPayload(ProtocolId.Esp, SpiBytes(rekeyOf.InboundSpi), NotifyType.RekeySa, []));
            rekeyOf.RekeyRequestedOn = sa.Serial;
        }

        payloads.Add(ProposalBuilder.ForEsp(phase2.Proposals, phase2.Pfs ? OrderedGroups(phase2.DhGroups, group) : [], context.InboundSpi));
        payloads.Add(new NoncePayload(context.Nonce));
        if (keyExchange is not null)
        {
            payloads.Add(new KeyExchangePayload(group, keyExchange.PublicValue));
        }

        payloads.Add(new TrafficSelectorPayload(true, [local]));
        payloads.Add(new TrafficSelectorPayload(false, [remote]));
        var label = rekeyOf is null ? $"CREATE_CHILD {phase2.Name}" : $"CREATE_CHILD rekey {phase2.Name}";
        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, rekeyOf is null ? $"initiating CREATE_CHILD exchange for {phase2.Name}" : $"initiating CREATE_CHILD exchange to rekey {phase2.Name} SPI {rekeyOf.InboundSpi:x8}");
        SendRequest(sa, ExchangeType.CreateChildSa, payloads, label, new CreateChildRequest(context, rekeyOf, keyExchange, label));
    }

    private void StartChildRekey(IkeSa sa, ChildSa child)
    {
        if (child.State != ChildSaState.Installed)
        {
            return;
        }

        StartCreateChild(sa, child.Settings, child);
    }

    private void HandleCreateChildResponse(IkeSa sa, ChildProposalContext context, IkeMessage message, ChildSa? rekeyOf, KeyExchange? keyExchange)
    {
        var tunnel = sa.Tunnel;
        var phase2 = context.Settings;
        var error = message.Payloads.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError);
        if (error is not null)
        {
            keyExchange?.Dispose();
            if (rekeyOf is not null && rekeyOf.State == ChildSaState.Rekeying)
            {
                rekeyOf.State = ChildSaState.Installed;
            }

            HandleCreateChildError(sa, context, rekeyOf, error);
            return;
        }

        if (rekeyOf is null)
        {
            tunnel.Negotiating.Remove(phase2.Name);
        }

        byte[] secret = [];
        if (keyExchange is not null)
        {
            var ke = message.Find<KeyExchangePayload>();
            if (ke is null || ke.Group != context.Group || !keyExchange.TryDeriveSharedSecret(ke.Data, out secret))
            {
                keyExchange.Dispose();
                ChildNegotiationFailed(sa, phase2.Name, "bad key exchange in answer");
                RevertRekey(rekeyOf);
                return;
            }

            keyExchange.Dispose();
        }

        var nonce = message.Find<NoncePayload>();
        if (nonce is null || nonce.Data.Length is < 16 or > 256)
        {
            ChildNegotiationFailed(sa, phase2.Name, "no nonce in answer");
            RevertRekey(rekeyOf);
            return;
        }

        CompleteChildAsInitiator(sa, context, message, secret, context.Nonce, nonce.Data, rekeyOf, keyExchange);
    }

    /// <summary>The peer refused our CREATE_CHILD_SA: retry, give the rekey up, replace the SA, or report the failure.</summary>
    private void HandleCreateChildError(IkeSa sa, ChildProposalContext context, ChildSa? rekeyOf, NotifyPayload error)
    {
        var tunnel = sa.Tunnel;
        var phase2 = context.Settings;
        switch (error.NotifyType)
        {
            case NotifyType.InvalidKePayload when error.Data.Length == 2 &&
                phase2.DhGroups.Contains((DiffieHellmanGroup)BinaryPrimitives.ReadUInt16BigEndian(error.Data)) &&
                (DiffieHellmanGroup)BinaryPrimitives.ReadUInt16BigEndian(error.Data) != context.Group:
                var wanted = (DiffieHellmanGroup)BinaryPrimitives.ReadUInt16BigEndian(error.Data);
                _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, $"peer wants DH group {(int)wanted} for {phase2.Name}: retrying");
                StartCreateChild(sa, phase2, rekeyOf, wanted);
                return;
            case NotifyType.TemporaryFailure:
                // The peer is busy with a colliding exchange: try again shortly (RFC 7296 §2.25).
                var delay = EngineTimings.ChildRetryMin + TimeSpan.FromMilliseconds(_random.NextInt32(EngineTimings.ChildRetrySpreadMs));
                _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, $"peer answered TEMPORARY_FAILURE for {phase2.Name}, retrying in {delay.TotalSeconds:0.0}s");
                Schedule(Now + delay, new RetryChildJob(sa, phase2, rekeyOf));
                return;
            case NotifyType.ChildSaNotFound when rekeyOf is not null && rekeyOf.Successors.Any(sa.Children.Contains):
                // The peer's own rekey of this SA won the race and replaced it already: nothing left for ours to do.
                _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, $"rekey of {rekeyOf.Phase2Name} superseded by the peer's rekey");
                if (sa.Children.Contains(rekeyOf))
                {
                    PublishChildRetired(sa, rekeyOf, "superseded by the peer's rekey");
                    rekeyOf.State = ChildSaState.Rekeyed;
                    rekeyOf.RetireAt ??= rekeyOf.HardExpiry;
                }

                return;
            case NotifyType.ChildSaNotFound when rekeyOf is { CreatedByUs: false, Predecessor: { } predecessor } && sa.Children.Contains(predecessor) &&
                                                 Now - rekeyOf.InstalledAt < Phase2Lifecycle.AbandonedRekeyWait:
                // The peer created this SA by rekeying one it has not deleted yet: our answer to that rekey is still on
                // its way (or lost and about to be asked for again). The SA is good; rekey it once the peer has it.
                _log.Sa(IkeLogLevel.Negotiation, tunnel.Name, sa.Serial, $"peer does not have SA {rekeyOf.OutboundSpi:x8} yet (its rekey is not finished): keeping it");
                Schedule(Now + EngineTimings.ChildRetryMin + TimeSpan.FromMilliseconds(_random.NextInt32(EngineTimings.ChildRetrySpreadMs)), new RetryChildJob(sa, phase2, rekeyOf));
                return;
            case NotifyType.ChildSaNotFound when rekeyOf is not null:
                RemoveChild(sa, rekeyOf, "unknown to peer");
                if (HasUsableChild(tunnel, phase2.Name))
                {
                    // Another SA already carries this phase 2 (the one the peer actually uses): nothing to replace.
                    _log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"peer does not know SA {rekeyOf.OutboundSpi:x8}: dropped it, {phase2.Name} stays on its other SA");
                    return;
                }

                _log.Sa(IkeLogLevel.Event, tunnel.Name, sa.Serial, $"peer does not know SA {rekeyOf.OutboundSpi:x8}: replacing it with a new one");
                tunnel.Negotiating.Add(phase2.Name);
                StartCreateChild(sa, phase2, null);
                return;
            default:
                ChildNegotiationFailed(sa, phase2.Name, $"peer answered {NotifyName(error.NotifyType)}", error.NotifyType);
                if (rekeyOf is null)
                {
                    tunnel.Negotiating.Remove(phase2.Name);
                }

                return;
        }
    }

    private static void RevertRekey(ChildSa? rekeyOf)
    {
        if (rekeyOf is { State: ChildSaState.Rekeying })
        {
            rekeyOf.State = ChildSaState.Installed;
        }
    }

    /// <summary>Reads the responder's SA/TS answer and installs the child SA we asked for.</summary>
    private void CompleteChildAsInitiator(IkeSa sa, ChildProposalContext context, IkeMessage message, byte[] sharedSecret, byte[] nonceI, byte[] nonceR, ChildSa? rekeyOf, KeyExchange? keyExchange)
    {
        var tunnel = sa.Tunnel;
        var phase2 = context.Settings;
        var saPayload = message.Find<SecurityAssociationPayload>();
        var tsi = message.TsInitiator;
        var tsr = message.TsResponder;
        if (saPayload is null || tsi is null || tsr is null || tsi.Selectors.Count == 0 || tsr.Selectors.Count == 0)
        {
            var error = message.Payloads.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError);
            ChildNegotiationFailed(sa, phase2.Name, error is null ? "no child SA in answer" : "peer answered " + NotifyName(error.NotifyType), error?.NotifyType);
            RevertRekey(rekeyOf);
            return;
        }

        var suite = ProposalSelector.AcceptEspAnswer(saPayload, phase2.Proposals, context.Group, out var peerSpi);
        var localTs = tsi.Selectors[0];
        var remoteTs = tsr.Selectors[0];
        if (suite is null || peerSpi < 256 ||
            SelectorMath.Intersect(localTs, context.Local) != localTs || SelectorMath.Intersect(remoteTs, context.Remote) != remoteTs)
        {
            ChildNegotiationFailed(sa, phase2.Name, "answer does not match what we proposed");
            RevertRekey(rekeyOf);
            return;
        }

        var keys = ChildSaKeys.Derive(sa.Suite!.Prf, sa.Keys!.SkD, suite, sharedSecret, nonceI, nonceR);
        CryptographicOperations.ZeroMemory(sharedSecret);
        var child = InstallChild(sa, phase2, context.InboundSpi, peerSpi, suite, keys, localTs, remoteTs, createdByUs: true, Phase2Lifecycle.LowestNonce(nonceI, nonceR), activateOutbound: true, rekeyOf);
        if (rekeyOf is not null)
        {
            FinishRekey(sa, rekeyOf, child);
        }
        else
        {
            ResolveDuplicateChild(sa, child);
        }
    }

    /// <summary>
    /// Both ends created a new SA for the same phase 2 at once (both auto-negotiate). As for rekey collisions, the SA whose
    /// exchange had the lowest nonce is redundant and its creator deletes it; both ends reach the same verdict.
    /// </summary>
    private void ResolveDuplicateChild(IkeSa sa, ChildSa child)
    {
        var other = sa.Children.FirstOrDefault(c => c != child && c.Phase2Name == child.Phase2Name && c.State == ChildSaState.Installed && c.Predecessor is null && c.Successors.Count == 0);
        if (other is null)
        {
            return;
        }

        var redundant = Phase2Lifecycle.FirstIsRedundant(child.LowestNonce, other.LowestNonce) ? child : other;
        var survivor = redundant == child ? other : child;
        _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, child.Phase2Name, child.Serial, $"both ends created {child.Phase2Name}: keeping SPIs {survivor.InboundSpi:x8}/{survivor.OutboundSpi:x8}, {(redundant.CreatedByUs ? "deleting" : "peer deletes")} {redundant.InboundSpi:x8}/{redundant.OutboundSpi:x8}");
        _host.ActivateOutbound(sa.Tunnel.Name, survivor.Phase2Name, survivor.OutboundSpi);
        if (redundant.CreatedByUs)
        {
            DeleteChild(sa, redundant, notifyPeer: true, reason: "duplicate");
        }
        else
        {
            // Keep it for stragglers until the peer deletes it; if that DELETE never comes (the peer may have dropped the
            // SA with an IKE SA it replaced), retire it soon rather than at hard expiry.
            PublishChildRetired(sa, redundant, "duplicate");
            redundant.State = ChildSaState.Rekeyed;
            redundant.RetireAt = Now + Phase2Lifecycle.DuplicateSettle;
        }
    }

    /// <summary>
    /// Responder side of a child SA request (IKE_AUTH or CREATE_CHILD_SA): installs the SA and adds the answer payloads.
    /// The caller sends the answer, then settles the new SA (<see cref="SettleNewChild"/>: rekey succession, duplicate
    /// resolution), so that any DELETE this causes follows the answer that told the peer about the new SA.
    /// </summary>
    private ChildSa? RespondToChildRequest(IkeSa sa, IkeMessage message, List<IkePayload> payloads, bool sharedSecretAllowed, ChildSa? rekeyOf)
    {
        var saPayload = message.Find<SecurityAssociationPayload>();
        var tsi = message.TsInitiator;
        var tsr = message.TsResponder;
        if (saPayload is null || tsi is null || tsr is null)
        {
            if (sharedSecretAllowed)
            {
                payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidSyntax, []));
            }

            return null;
        }

        if (!PolicyAllows(sa.Tunnel))
        {
            const string refusal = "ignoring request to establish IPsec SA, no policy configured: TS_UNACCEPTABLE";
            _log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, refusal);
            Publish(sa, new NegotiationFailed { Stage = NegotiationStage.ChildSa, Notify = NotifyType.TsUnacceptable, NotifySent = true, Reason = refusal });
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.TsUnacceptable, []));
            return null;
        }

        if (MatchPhase2(sa.Tunnel, tsi, tsr, rekeyOf) is not { } match)
        {
            var refusal = $"no phase2 matches peer selectors TSi {string.Join(',', tsi.Selectors.Select(SelectorMath.Describe))} TSr {string.Join(',', tsr.Selectors.Select(SelectorMath.Describe))}: TS_UNACCEPTABLE";
            _log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, refusal);
            Publish(sa, new NegotiationFailed { Stage = NegotiationStage.ChildSa, Notify = NotifyType.TsUnacceptable, NotifySent = true, Reason = refusal });
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.TsUnacceptable, []));
            return null;
        }

        var phase2 = match.Phase2;
        var ke = message.Find<KeyExchangePayload>();
        var choice = ProposalSelector.ChooseEsp(saPayload.Proposals, phase2.Proposals, phase2.Pfs, phase2.DhGroups, sharedSecretAllowed, ke?.Group ?? DiffieHellmanGroup.None, out var wantedGroup);
        if (choice is null)
        {
            RefuseChildProposal(sa, phase2, wantedGroup, payloads);
            return null;
        }

        if (ResponderKeyMaterial(sa, message, choice.Suite.Group, ke, sharedSecretAllowed, payloads) is not { } material)
        {
            return null;
        }

        var inboundSpi = NewChildSpi();
        payloads.Add(new SecurityAssociationPayload([new Proposal(choice.Proposal.Number, ProtocolId.Esp, SpiBytes(inboundSpi), choice.Proposal.Transforms)]));
        if (sharedSecretAllowed)
        {
            payloads.Add(new NoncePayload(material.NonceR));
            if (material.OurPublic is { } ourPublic)
            {
                payloads.Add(new KeyExchangePayload(choice.Suite.Group, ourPublic));
            }
        }

        payloads.Add(new TrafficSelectorPayload(true, [match.Initiator]));
        payloads.Add(new TrafficSelectorPayload(false, [match.Responder]));
        var keys = ChildSaKeys.Derive(sa.Suite!.Prf, sa.Keys!.SkD, choice.Suite, material.Secret, material.NonceI, material.NonceR);
        CryptographicOperations.ZeroMemory(material.Secret);

        // Make-before-break: the inbound SA exists before the answer leaves, so the peer may use it the moment it has the
        // answer. A rekeyed SA keeps carrying our outbound traffic until the peer deletes it or uses the new one.
        return InstallChild(sa, phase2, inboundSpi, choice.PeerSpi, choice.Suite, keys, match.Responder, match.Initiator, createdByUs: false, Phase2Lifecycle.LowestNonce(material.NonceI, material.NonceR), activateOutbound: rekeyOf is null, rekeyOf);
    }

    /// <summary>After the answer that created <paramref name="child"/> has gone out: the rekey succession, or duplicate resolution.</summary>
    private void SettleNewChild(IkeSa sa, ChildSa? child, ChildSa? rekeyOf)
    {
        if (child is null)
        {
            return;
        }

        if (rekeyOf is not null)
        {
            FinishRekey(sa, rekeyOf, child);
        }
        else
        {
            ResolveDuplicateChild(sa, child);
        }
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
    private void RefuseChildProposal(IkeSa sa, Phase2Settings phase2, DiffieHellmanGroup wantedGroup, List<IkePayload> payloads)
    {
        if (wantedGroup != DiffieHellmanGroup.None)
        {
            var data = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)wantedGroup);
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidKePayload, data));
            return;
        }

        ChildNegotiationFailed(sa, phase2.Name, "no proposal chosen", NotifyType.NoProposalChosen, notifySent: true);
        payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.NoProposalChosen, []));
    }

    /// <summary>
    /// Nonces and (with PFS) the shared secret for a child SA we answer. Inside IKE_AUTH the IKE SA's nonces serve and there
    /// is no key exchange; in CREATE_CHILD_SA we add our nonce and DH value. Null (with INVALID_SYNTAX added) when the
    /// request lacks them.
    /// </summary>
    private ChildKeyMaterial? ResponderKeyMaterial(IkeSa sa, IkeMessage message, DiffieHellmanGroup group, KeyExchangePayload? ke, bool ownExchange, List<IkePayload> payloads)
    {
        if (!ownExchange)
        {
            return new ChildKeyMaterial(sa.NonceInitiator, sa.NonceResponder, [], null);
        }

        var nonce = message.Find<NoncePayload>();
        if (nonce is null || nonce.Data.Length is < 16 or > 256)
        {
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidSyntax, []));
            return null;
        }

        var nonceR = NewNonce();
        if (group == DiffieHellmanGroup.None)
        {
            return new ChildKeyMaterial(nonce.Data, nonceR, [], null);
        }

        using var ours = KeyExchange.Create(group, _random);
        if (ke is null || !ours.TryDeriveSharedSecret(ke.Data, out var secret))
        {
            payloads.Add(new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidSyntax, []));
            return null;
        }

        return new ChildKeyMaterial(nonce.Data, nonceR, secret, ours.PublicValue);
    }

    private void HandleCreateChildRequest(IkeSa sa, IkeMessage message)
    {
        var request = message.Header;
        var payloads = new List<IkePayload>();
        if (sa.State != IkeSaState.Established)
        {
            Respond(sa, request, [new NotifyPayload(ProtocolId.None, [], NotifyType.TemporaryFailure, [])]);
            return;
        }

        var saPayload = message.Find<SecurityAssociationPayload>();
        if (saPayload is not null && saPayload.Proposals.Count > 0 && saPayload.Proposals.All(p => p.Protocol == ProtocolId.Ike))
        {
            HandleIkeRekeyRequest(sa, message);
            return;
        }

        ChildSa? rekeyOf = null;
        if (message.FindNotify(NotifyType.RekeySa) is { } rekey)
        {
            var spi = rekey.Spi.Length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(rekey.Spi) : 0;
            rekeyOf = sa.Children.FirstOrDefault(c => c.OutboundSpi == spi);
            if (rekeyOf is null)
            {
                _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"peer asks to rekey unknown SA {spi:x8}: CHILD_SA_NOT_FOUND");
                Respond(sa, request, [new NotifyPayload(ProtocolId.Esp, rekey.Spi, NotifyType.ChildSaNotFound, [])]);
                return;
            }

            if (rekeyOf.State is ChildSaState.Deleting or ChildSaState.Rekeyed)
            {
                // We are closing it already; the peer retries or learns of the DELETE (RFC 7296 §2.25.1).
                Respond(sa, request, [new NotifyPayload(ProtocolId.None, [], NotifyType.TemporaryFailure, [])]);
                return;
            }

            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"responder: peer rekeys {rekeyOf.Phase2Name} SPI {rekeyOf.InboundSpi:x8}");
        }

        var child = RespondToChildRequest(sa, message, payloads, sharedSecretAllowed: true, rekeyOf);
        Respond(sa, request, payloads);
        SettleNewChild(sa, child, rekeyOf);
    }

    private ChildSa InstallChild(IkeSa sa, Phase2Settings phase2, uint inboundSpi, uint outboundSpi, ChildSuite suite, ChildSaKeys keys, TrafficSelector localTs, TrafficSelector remoteTs, bool createdByUs, byte[] lowestNonce, bool activateOutbound, ChildSa? rekeyOf)
    {
        var now = Now;
        var life = Phase2Lifecycle.Lifetime(phase2);
        var child = new ChildSa
        {
            NegotiatedOn = sa.Serial,
            Settings = phase2,
            Serial = _nextChildSerial++,
            InboundSpi = inboundSpi,
            OutboundSpi = outboundSpi,
            Suite = suite,
            LocalSelector = localTs,
            RemoteSelector = remoteTs,
            CreatedByUs = createdByUs,
            InstalledAt = now,
            HardExpiry = now + life,
            SoftExpiry = now + life - Phase2Lifecycle.SoftMargin(life, createdByUs, _random),
            LowestNonce = lowestNonce,
        };
        sa.Children.Add(child);
        var weInitiated = createdByUs;
        _host.InstallChildSa(new ChildSaInstall(
            sa.Tunnel.Name,
            phase2.Name,
            inboundSpi,
            outboundSpi,
            suite,
            weInitiated ? keys.EncryptionResponderToInitiator : keys.EncryptionInitiatorToResponder,
            weInitiated ? keys.IntegrityResponderToInitiator : keys.IntegrityInitiatorToResponder,
            weInitiated ? keys.EncryptionInitiatorToResponder : keys.EncryptionResponderToInitiator,
            weInitiated ? keys.IntegrityInitiatorToResponder : keys.IntegrityResponderToInitiator,
            sa.Local,
            sa.Remote,
            sa.UsesNatTraversal,
            phase2.Replay,
            localTs,
            remoteTs,
            activateOutbound)
        {
            LocalBehindNat = sa.LocalBehindNat,
            NatKeepaliveSeconds = sa.Tunnel.Settings.NatKeepaliveSeconds,
        });
        sa.Tunnel.NextAutoAttempt.Remove(phase2.Name);
        if (_log.IsEnabled(IkeLogLevel.Negotiation))
        {
            _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, phase2.Name, child.Serial, $"IPsec SA selectors #src=1 #dst=1 src {SelectorMath.Describe(localTs)} dst {SelectorMath.Describe(remoteTs)}");
            _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, phase2.Name, child.Serial, $"set sa life soft seconds={(int)(child.SoftExpiry - now).TotalSeconds}. hard seconds={(int)life.TotalSeconds}.");
        }

        _log.Child(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, phase2.Name, child.Serial, $"added IPsec SA: SPIs={inboundSpi:x8}/{outboundSpi:x8} proposal {suite.DisplayName}{(suite.Group == DiffieHellmanGroup.None ? string.Empty : $" pfs dhgrp {(int)suite.Group}")} {(createdByUs ? "initiator" : "responder")}");
        Publish(sa, new ChildSaInstalled
        {
            Phase2 = phase2.Name,
            ChildSerial = child.Serial,
            InboundSpi = inboundSpi,
            OutboundSpi = outboundSpi,
            Proposal = suite.DisplayName,
            PfsGroup = (int)suite.Group,
            Role = createdByUs ? IkeRole.Initiator : IkeRole.Responder,
            RekeyOf = rekeyOf?.InboundSpi,
            LocalSelector = localTs,
            RemoteSelector = remoteTs,
            OutboundActive = activateOutbound,
        });
        return child;
    }

    /// <summary>
    /// A rekey produced a successor for old. With one successor, its creator deletes the old SA. With two (both ends rekeyed
    /// at once), RFC 7296 §2.8.1: the SA whose exchange had the lowest nonce is redundant and is deleted by the side that created
    /// it; the other's creator then deletes the old SA.
    /// </summary>
    private void FinishRekey(IkeSa sa, ChildSa old, ChildSa successor)
    {
        successor.Predecessor = old;
        old.Successors.Add(successor);
        if (old.Successors.Count == 1)
        {
            if (old.State == ChildSaState.Rekeying && !successor.CreatedByUs)
            {
                // Our own rekey of the same SA is still in flight: decide when it completes.
                return;
            }

            PublishChildRetired(sa, old, "rekeyed");
            old.State = ChildSaState.Rekeyed;
            if (successor.CreatedByUs)
            {
                DeleteChild(sa, old, notifyPeer: true, reason: "rekeyed");
            }
            else
            {
                // Keep decrypting stragglers until the peer's DELETE, at most until hard expiry.
                old.RetireAt = old.HardExpiry;
            }

            return;
        }

        var first = old.Successors[0];
        var second = old.Successors[1];
        var redundant = Phase2Lifecycle.FirstIsRedundant(first.LowestNonce, second.LowestNonce) ? first : second;
        var survivor = redundant == first ? second : first;
        _log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, old.Phase2Name, old.Serial, $"rekey collision: keeping SPIs {survivor.InboundSpi:x8}/{survivor.OutboundSpi:x8}, {(redundant.CreatedByUs ? "deleting" : "peer deletes")} {redundant.InboundSpi:x8}/{redundant.OutboundSpi:x8}");
        PublishChildRetired(sa, old, "rekeyed");
        old.State = ChildSaState.Rekeyed;
        if (redundant.CreatedByUs)
        {
            DeleteChild(sa, redundant, notifyPeer: true, reason: "redundant after rekey collision");
        }

        // The peer installs an SA it created only when our answer reaches it, and that answer may be lost: until the peer
        // uses its SA or deletes the old one (RemoveChild then moves outbound over), keep sending on the old SA. If the
        // old SA is gone already, the peer's DELETE proved it has its SA.
        var outbound = survivor.CreatedByUs || !sa.Children.Contains(old) ? survivor : old;
        _host.ActivateOutbound(sa.Tunnel.Name, outbound.Phase2Name, outbound.OutboundSpi);
        if (survivor.CreatedByUs)
        {
            DeleteChild(sa, old, notifyPeer: true, reason: "rekeyed");
        }
        else
        {
            old.RetireAt = old.HardExpiry;
        }
    }

    private static byte[] SpiBytes(uint spi)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, spi);
        return bytes;
    }

    private static IReadOnlyList<DiffieHellmanGroup> OrderedGroups(IReadOnlyList<DiffieHellmanGroup> groups, DiffieHellmanGroup first) =>
        [first, .. groups.Where(g => g != first)];
}
