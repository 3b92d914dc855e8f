using System.Buffers.Binary;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// IKE SA rekey (RFC 7296 §2.18) in both roles, with the §2.8.2 collision rule: a new IKE SA inherits the child SAs, then
/// the old one is deleted (by us when we started the rekey, with <see cref="DeleteRekeyedIkeSaRequest"/>).
/// </summary>
internal sealed class IkeRekeyExchange(IExchangeContext context)
{
    /// <summary>Sends the CREATE_CHILD_SA a <see cref="RekeyIkeSaJob"/> asks for, if the SA is still the tunnel's.</summary>
    public void SendRequest(IkeSa sa, RekeyIkeSaJob job)
    {
        // Only the tunnel's current IKE SA rekeys: one replaced or going meanwhile has nothing left to do.
        if (sa.State != IkeSaState.Established || sa.Tunnel.Current != sa)
        {
            return;
        }

        var group = job.Group ?? sa.Suite!.Group;
        var newSpi = context.NewIkeSpi();
        var nonce = context.NewNonce();

        // The private key is drawn here, in the engine's order; the key pair may be made on another thread, and the
        // request goes out once it is back (CompleteKeyPair).
        context.Compute(new InitiatorIkeRekeyKeyPairComputation(sa, group, newSpi, nonce, KeyExchange.DrawPrivateKey(group, context.Random)));
    }

    /// <summary>Our key pair for the rekey is made (on the engine thread): the request goes out if the SA is still the tunnel's.</summary>
    public void CompleteKeyPair(InitiatorIkeRekeyKeyPairComputation computation)
    {
        var sa = computation.Sa;
        var exchange = computation.TakeKeyPair();
        if (exchange is null || sa.State != IkeSaState.Established || sa.Tunnel.Current != sa)
        {
            // Only while the work ran elsewhere: replaced or going meanwhile (as at SendRequest), or the pair failed
            // (tried again later, as after a refused rekey).
            exchange?.Dispose();
            if (exchange is null && sa.State == IkeSaState.Established)
            {
                sa.RekeyAt = context.Now + EngineTimings.IkeRekeyRetryMin;
            }

            return;
        }

        var (settings, group, newSpi, nonce) = (sa.Tunnel.Settings, computation.Group, computation.NewSpi, computation.Nonce);
        var spiBytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(spiBytes, newSpi);
        var payloads = new List<IkePayload>
        {
            ProposalBuilder.ForIke(settings.Proposals, WireText.OrderedGroups(settings.DhGroups, group), spiBytes),
            new NoncePayload(nonce),
            new KeyExchangePayload(group, exchange.PublicValue),
        };
        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiating IKE SA rekey");
        sa.IkeRekeyInProgress = true;
        context.SendRequest(sa, ExchangeType.CreateChildSa, payloads, "CREATE_CHILD IKE rekey", new IkeRekeyRequest(newSpi, nonce, exchange, group));
    }

    /// <summary>Our rekey went unanswered: the peer is gone.</summary>
    public void TimedOut(IkeSa sa, IkeRekeyRequest request)
    {
        request.KeyExchange.Dispose();
        sa.IkeRekeyInProgress = false;
        context.FailIkeSa(sa, "IKE rekey: peer not responding");
    }

    /// <summary>The DELETE of the IKE SA we replaced was answered, or not: either way the old SA goes.</summary>
    public void OldSaDeleteDone(IkeSa old) => context.RemoveIkeSa(old, "rekeyed");

    public void HandleResponse(IkeSa old, IkeMessage message, IkeRekeyRequest request)
    {
        old.IkeRekeyInProgress = false;
        if (message.Payloads.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError) is { } error)
        {
            request.KeyExchange.Dispose();
            Refused(old, request, error);
            return;
        }

        var settings = old.Tunnel.Settings;
        var saPayload = message.Find<SecurityAssociationPayload>();
        var nonce = message.Find<NoncePayload>();
        var ke = message.Find<KeyExchangePayload>();
        if (saPayload is not { Proposals.Count: 1 } || nonce is null || ke is null || saPayload.Proposals[0].Spi.Length != 8)
        {
            request.KeyExchange.Dispose();
            context.FailIkeSa(old, "malformed IKE rekey answer");
            return;
        }

        var group = request.Group;
        var suite = ProposalSelector.AcceptIkeAnswer(saPayload, settings.Proposals, settings.DhGroups);
        if (suite is null || suite.Group != group || ke.Group != group)
        {
            request.KeyExchange.Dispose();
            context.FailIkeSa(old, "unacceptable IKE rekey answer");
            return;
        }

        // The shared secret may be computed on another thread; the old SA waits for it (CompleteResponse).
        var peerSpi = BinaryPrimitives.ReadUInt64BigEndian(saPayload.Proposals[0].Spi);
        context.Compute(new InitiatorIkeRekeyComputation(old, request, ke.Data, suite, peerSpi, nonce.Data));
    }

    /// <summary>Our rekey's key exchange is done (on the engine thread): the new IKE SA takes over, and we delete the old one.</summary>
    public void CompleteResponse(InitiatorIkeRekeyComputation computation)
    {
        var (old, request, suite) = (computation.Sa, computation.Request, computation.Suite);
        if (computation.TakeSharedSecret() is not { } secret)
        {
            context.FailIkeSa(old, "unacceptable IKE rekey answer");
            return;
        }

        var successor = context.AddRekeyedSa(old, new RekeyedIkeSa(true, request.NewSpi, computation.PeerSpi, suite, secret, request.Nonce, computation.NonceResponder), adopt: false);
        if (old.CollidingSuccessor is { } theirs)
        {
            if (!OursWinsCollision(old, successor, theirs))
            {
                return;
            }
        }
        else
        {
            context.Adopt(old, successor);
        }

        context.Log.Sa(IkeLogLevel.Event, old.Tunnel.Name, successor.Serial, $"IKE SA rekeyed: {old.SpiText} -> {successor.SpiText}");
        context.Publish(successor, new IkeSaRekeyed { OldSpis = old.SpiText, OldSerial = old.Serial, NewSpis = successor.SpiText, ByPeer = false });

        // We started the rekey, so we delete the old IKE SA.
        context.PublishIkeRetired(old, "rekeyed");
        old.State = IkeSaState.Deleting;
        context.SendRequest(old, ExchangeType.Informational, [new DeletePayload(ProtocolId.Ike, [])], "INFORMATIONAL delete old IKE SA", new DeleteRekeyedIkeSaRequest());
    }

    /// <summary>The peer refused our rekey: with another DH group if it asked for one we have, else later.</summary>
    private void Refused(IkeSa old, IkeRekeyRequest request, NotifyPayload error)
    {
        var settings = old.Tunnel.Settings;
        if (error.NotifyType == NotifyType.InvalidKePayload && error.Data.Length == 2)
        {
            var wanted = WireText.WantedGroup(error);
            if (settings.DhGroups.Contains(wanted) && wanted != request.Group)
            {
                context.StartIkeRekey(old, wanted);
                return;
            }
        }

        var name = WireText.NotifyName(error.NotifyType);
        context.Log.Sa(IkeLogLevel.Event, old.Tunnel.Name, old.Serial, $"IKE rekey failed: peer answered {name}, retrying later");
        context.Publish(old, new NegotiationFailed { Stage = NegotiationStage.IkeRekey, Notify = error.NotifyType, Reason = $"peer answered {name}, retrying later" });
        old.RekeyAt = context.Now + EngineTimings.IkeRekeyRetryMin + TimeSpan.FromSeconds(context.Random.NextInt32(EngineTimings.IkeRekeyRetrySpreadSeconds));
    }

    /// <summary>
    /// RFC 7296 §2.8.2: both ends rekeyed the IKE SA at once. The new SA whose exchange had the lowest nonce is redundant;
    /// its initiator deletes it, and the initiator of the surviving one deletes the old SA. True when ours survives (the
    /// caller then finishes as after a plain rekey); false when the peer's does, which is settled here.
    /// </summary>
    private bool OursWinsCollision(IkeSa old, IkeSa successor, IkeSa theirs)
    {
        old.CollidingSuccessor = null;
        var oursRedundant = Phase2Lifecycle.FirstIsRedundant(successor.LowestNonce, theirs.LowestNonce);
        context.Log.Sa(IkeLogLevel.Negotiation, old.Tunnel.Name, old.Serial, $"IKE rekey collision: keeping {(oursRedundant ? theirs.SpiText : successor.SpiText)}");
        context.Publish(old, new RekeyCollision { IkeSa = true });
        if (oursRedundant)
        {
            context.Adopt(old, theirs);
            context.Publish(theirs, new IkeSaRekeyed { OldSpis = old.SpiText, OldSerial = old.Serial, NewSpis = theirs.SpiText, ByPeer = true });
            context.DeleteIkeSa(successor, notifyPeer: true, reason: "redundant after IKE rekey collision");
            context.PublishIkeRetired(old, "the peer's rekey won the collision");
            old.State = IkeSaState.Deleting;
            old.DeleteBy = context.Now + EngineTimings.RekeyedIkeSaGrace;
            return false;
        }

        context.Adopt(old, successor);
        theirs.DeleteBy = context.Now + EngineTimings.RekeyedIkeSaGrace;
        return true;
    }

    /// <summary>Answers the peer's rekey of the IKE SA (a CREATE_CHILD_SA whose proposals are all IKE ones).</summary>
    public void HandleRequest(IkeSa old, IkeMessage message)
    {
        var request = message.Header;
        var nonce = message.Find<NoncePayload>();
        var ke = message.Find<KeyExchangePayload>();
        if (nonce is null || ke is null || nonce.Data.Length is < 16 or > 256)
        {
            context.Respond(old, request, [WireText.Error(NotifyType.InvalidSyntax)]);
            return;
        }

        if (old.Tunnel.Current != old || old.CollidingSuccessor is not null)
        {
            context.Respond(old, request, [WireText.Error(NotifyType.TemporaryFailure)]);
            return;
        }

        var settings = old.Tunnel.Settings;
        var choice = ProposalSelector.ChooseIke(message.Find<SecurityAssociationPayload>()!.Proposals, settings.Proposals, settings.DhGroups, ke.Group);
        if (choice is null || choice.Proposal.Spi.Length != 8)
        {
            context.Respond(old, request, [WireText.Error(NotifyType.NoProposalChosen)]);
            return;
        }

        if (choice.Suite.Group != ke.Group)
        {
            context.Respond(old, request, [WireText.InvalidKe(choice.Suite.Group)]);
            return;
        }

        // Our private key is drawn here, in the engine's order; the key exchange may run on another thread while the SA
        // waits (CompleteRequest answers), and the peer's retransmissions meanwhile start no second one.
        var privateKey = KeyExchange.DrawPrivateKey(choice.Suite.Group, context.Random);
        context.Compute(new ResponderIkeRekeyComputation(old, request, choice, privateKey, ke.Data, nonce.Data));
    }

    /// <summary>The key exchange of the peer's rekey is done (on the engine thread): answer, and make the new IKE SA.</summary>
    public void CompleteRequest(ResponderIkeRekeyComputation computation)
    {
        var (old, request) = (computation.Sa, computation.Request);
        if (computation.TakeSharedSecret() is not { } secret)
        {
            context.Respond(old, request, [WireText.Error(NotifyType.InvalidSyntax)]);
            return;
        }

        var successor = Answer(old, request, computation.Choice, computation.PublicValue, secret, computation.NonceInitiator);
        SettleAnswered(old, successor);
    }

    /// <summary>Sends our answer to the peer's rekey and makes the new IKE SA (taking over at once unless ours collides).</summary>
    private IkeSa Answer(IkeSa old, IkeHeader request, ProposalSelector.IkeChoice choice, byte[] publicValue, byte[] secret, byte[] nonceI)
    {
        var peerSpi = BinaryPrimitives.ReadUInt64BigEndian(choice.Proposal.Spi);
        var ourSpi = context.NewIkeSpi();
        var ourSpiBytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(ourSpiBytes, ourSpi);
        var nonceR = context.NewNonce();
        context.Respond(old, request,
        [
            new SecurityAssociationPayload([choice.Proposal with { Spi = ourSpiBytes }]),
            new NoncePayload(nonceR),
            new KeyExchangePayload(choice.Suite.Group, publicValue),
        ]);
        return context.AddRekeyedSa(old, new RekeyedIkeSa(false, peerSpi, ourSpi, choice.Suite, secret, nonceI, nonceR), adopt: !old.IkeRekeyInProgress);
    }

    private void SettleAnswered(IkeSa old, IkeSa successor)
    {
        if (old.IkeRekeyInProgress)
        {
            // Our own rekey of the same SA is in flight: decide between the two when its answer arrives.
            old.CollidingSuccessor = successor;
            return;
        }

        context.Log.Sa(IkeLogLevel.Event, old.Tunnel.Name, successor.Serial, $"IKE SA rekeyed by peer: {old.SpiText} -> {successor.SpiText}");
        context.Publish(successor, new IkeSaRekeyed { OldSpis = old.SpiText, OldSerial = old.Serial, NewSpis = successor.SpiText, ByPeer = true });

        // The peer deletes the old SA; if it never does, drop it after a grace period.
        context.PublishIkeRetired(old, "rekeyed by peer");
        old.State = IkeSaState.Deleting;
        old.DeleteBy = context.Now + EngineTimings.RekeyedIkeSaGrace;
    }
}
