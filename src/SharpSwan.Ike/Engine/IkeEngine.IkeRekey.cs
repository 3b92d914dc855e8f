using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Engine.Lifecycle;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>IKE SA rekey (RFC 7296 §2.18): a new IKE SA inherits the child SAs, then the old one is deleted.</summary>
public sealed partial class IkeEngine
{
    private void StartIkeRekey(IkeSa sa, DiffieHellmanGroup? groupOverride = null)
    {
        sa.RekeyAt = null;
        Enqueue(sa, new RekeyIkeSaJob(groupOverride));
    }

    private void SendIkeRekey(IkeSa sa, RekeyIkeSaJob job)
    {
        // Only the tunnel's current IKE SA rekeys: one replaced or going meanwhile has nothing left to do.
        if (sa.State != IkeSaState.Established || sa.Tunnel.Current != sa)
        {
            return;
        }

        var settings = sa.Tunnel.Settings;
        var group = job.Group ?? sa.Suite!.Group;
        var newSpi = NewIkeSpi();
        var spiBytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(spiBytes, newSpi);
        var nonce = NewNonce();
        var exchange = KeyExchange.Create(group, _random);
        var payloads = new List<IkePayload>
        {
            ProposalBuilder.ForIke(settings.Proposals, OrderedGroups(settings.DhGroups, group), spiBytes),
            new NoncePayload(nonce),
            new KeyExchangePayload(group, exchange.PublicValue),
        };
        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "initiating IKE SA rekey");
        sa.IkeRekeyInProgress = true;
        SendRequest(sa, ExchangeType.CreateChildSa, payloads, "CREATE_CHILD IKE rekey", new IkeRekeyRequest(newSpi, nonce, exchange, group));
    }

    private void HandleIkeRekeyResponse(IkeSa old, IkeMessage message, IkeRekeyRequest request)
    {
        var (newSpi, nonceI, exchange, group) = (request.NewSpi, request.Nonce, request.KeyExchange, request.Group);
        using var _ = exchange;
        old.IkeRekeyInProgress = false;
        var settings = old.Tunnel.Settings;
        if (message.Payloads.OfType<NotifyPayload>().FirstOrDefault(n => n.IsError) is { } error)
        {
            if (error.NotifyType == NotifyType.InvalidKePayload && error.Data.Length == 2)
            {
                var wanted = (DiffieHellmanGroup)System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(error.Data);
                if (settings.DhGroups.Contains(wanted) && wanted != group)
                {
                    StartIkeRekey(old, wanted);
                    return;
                }
            }

            _log.Sa(IkeLogLevel.Event, old.Tunnel.Name, old.Serial, $"IKE rekey failed: peer answered {NotifyName(error.NotifyType)}, retrying later");
            Publish(old, new NegotiationFailed { Stage = NegotiationStage.IkeRekey, Notify = error.NotifyType, Reason = $"peer answered {NotifyName(error.NotifyType)}, retrying later" });
            old.RekeyAt = Now + EngineTimings.IkeRekeyRetryMin + TimeSpan.FromSeconds(_random.NextInt32(EngineTimings.IkeRekeyRetrySpreadSeconds));
            return;
        }

        var saPayload = message.Find<SecurityAssociationPayload>();
        var nonce = message.Find<NoncePayload>();
        var ke = message.Find<KeyExchangePayload>();
        if (saPayload is not { Proposals.Count: 1 } || nonce is null || ke is null || saPayload.Proposals[0].Spi.Length != 8)
        {
            FailIkeSa(old, "malformed IKE rekey answer");
            return;
        }

        var suite = ProposalSelector.AcceptIkeAnswer(saPayload, settings.Proposals, settings.DhGroups);
        if (suite is null || suite.Group != group || ke.Group != group || !exchange.TryDeriveSharedSecret(ke.Data, out var secret))
        {
            FailIkeSa(old, "unacceptable IKE rekey answer");
            return;
        }

        var peerSpi = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(saPayload.Proposals[0].Spi);
        var successor = CreateRekeyedSa(old, isInitiator: true, initiatorSpi: newSpi, responderSpi: peerSpi, suite, secret, nonceI, nonce.Data, adopt: false);
        if (old.CollidingSuccessor is { } theirs)
        {
            if (!OursWinsIkeRekeyCollision(old, successor, theirs))
            {
                return;
            }
        }
        else
        {
            Adopt(old, successor);
        }

        _log.Sa(IkeLogLevel.Event, old.Tunnel.Name, successor.Serial, $"IKE SA rekeyed: {old.SpiText} -> {successor.SpiText}");
        Publish(successor, new IkeSaRekeyed { OldSpis = old.SpiText, OldSerial = old.Serial, NewSpis = successor.SpiText, ByPeer = false });

        // We started the rekey, so we delete the old IKE SA.
        PublishIkeRetired(old, "rekeyed");
        old.State = IkeSaState.Deleting;
        SendRequest(old, ExchangeType.Informational, [new DeletePayload(ProtocolId.Ike, [])], "INFORMATIONAL delete old IKE SA", new DeleteRekeyedIkeSaRequest());
    }

    /// <summary>
    /// RFC 7296 §2.8.2: both ends rekeyed the IKE SA at once. The new SA whose exchange had the lowest nonce is redundant;
    /// its initiator deletes it, and the initiator of the surviving one deletes the old SA. True when ours survives (the
    /// caller then finishes as after a plain rekey); false when the peer's does, which is settled here.
    /// </summary>
    private bool OursWinsIkeRekeyCollision(IkeSa old, IkeSa successor, IkeSa theirs)
    {
        old.CollidingSuccessor = null;
        var oursRedundant = Phase2Lifecycle.FirstIsRedundant(successor.LowestNonce, theirs.LowestNonce);
        _log.Sa(IkeLogLevel.Negotiation, old.Tunnel.Name, old.Serial, $"IKE rekey collision: keeping {(oursRedundant ? theirs.SpiText : successor.SpiText)}");
        if (oursRedundant)
        {
            Adopt(old, theirs);
            Publish(theirs, new IkeSaRekeyed { OldSpis = old.SpiText, OldSerial = old.Serial, NewSpis = theirs.SpiText, ByPeer = true });
            DeleteIkeSa(successor, notifyPeer: true, reason: "redundant after IKE rekey collision");
            PublishIkeRetired(old, "the peer's rekey won the collision");
            old.State = IkeSaState.Deleting;
            old.DeleteBy = Now + EngineTimings.RekeyedIkeSaGrace;
            return false;
        }

        Adopt(old, successor);
        theirs.DeleteBy = Now + EngineTimings.RekeyedIkeSaGrace;
        return true;
    }

    private void HandleIkeRekeyRequest(IkeSa old, IkeMessage message)
    {
        var request = message.Header;
        var settings = old.Tunnel.Settings;
        var saPayload = message.Find<SecurityAssociationPayload>()!;
        var nonce = message.Find<NoncePayload>();
        var ke = message.Find<KeyExchangePayload>();
        if (nonce is null || ke is null || nonce.Data.Length is < 16 or > 256)
        {
            Respond(old, request, [new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidSyntax, [])]);
            return;
        }

        if (old.Tunnel.Current != old || old.CollidingSuccessor is not null)
        {
            Respond(old, request, [new NotifyPayload(ProtocolId.None, [], NotifyType.TemporaryFailure, [])]);
            return;
        }

        var choice = ProposalSelector.ChooseIke(saPayload.Proposals, settings.Proposals, settings.DhGroups, ke.Group);
        if (choice is null || choice.Proposal.Spi.Length != 8)
        {
            Respond(old, request, [new NotifyPayload(ProtocolId.None, [], NotifyType.NoProposalChosen, [])]);
            return;
        }

        if (choice.Suite.Group != ke.Group)
        {
            var data = new byte[2];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)choice.Suite.Group);
            Respond(old, request, [new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidKePayload, data)]);
            return;
        }

        using var exchange = KeyExchange.Create(choice.Suite.Group, _random);
        if (!exchange.TryDeriveSharedSecret(ke.Data, out var secret))
        {
            Respond(old, request, [new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidSyntax, [])]);
            return;
        }

        var peerSpi = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(choice.Proposal.Spi);
        var ourSpi = NewIkeSpi();
        var ourSpiBytes = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(ourSpiBytes, ourSpi);
        var nonceR = NewNonce();
        Respond(old, request,
        [
            new SecurityAssociationPayload([choice.Proposal with { Spi = ourSpiBytes }]),
            new NoncePayload(nonceR),
            new KeyExchangePayload(choice.Suite.Group, exchange.PublicValue),
        ]);
        var successor = CreateRekeyedSa(old, isInitiator: false, initiatorSpi: peerSpi, responderSpi: ourSpi, choice.Suite, secret, nonce.Data, nonceR, adopt: !old.IkeRekeyInProgress);
        if (old.IkeRekeyInProgress)
        {
            // Our own rekey of the same SA is in flight: decide between the two when its answer arrives.
            old.CollidingSuccessor = successor;
            return;
        }

        _log.Sa(IkeLogLevel.Event, old.Tunnel.Name, successor.Serial, $"IKE SA rekeyed by peer: {old.SpiText} -> {successor.SpiText}");
        Publish(successor, new IkeSaRekeyed { OldSpis = old.SpiText, OldSerial = old.Serial, NewSpis = successor.SpiText, ByPeer = true });

        // The peer deletes the old SA; if it never does, drop it after a grace period.
        PublishIkeRetired(old, "rekeyed by peer");
        old.State = IkeSaState.Deleting;
        old.DeleteBy = Now + EngineTimings.RekeyedIkeSaGrace;
    }

    private IkeSa CreateRekeyedSa(IkeSa old, bool isInitiator, ulong initiatorSpi, ulong responderSpi, IkeSuite suite, byte[] secret, byte[] nonceI, byte[] nonceR, bool adopt)
    {
        var tunnel = old.Tunnel;
        var now = Now;
        var successor = new IkeSa
        {
            Tunnel = tunnel,
            Serial = _nextIkeSerial++,
            IsOriginalInitiator = isInitiator,
            InitiatorSpi = initiatorSpi,
            ResponderSpi = responderSpi,
            Local = old.Local,
            Remote = old.Remote,
            UsesNatTraversal = old.UsesNatTraversal,
            LocalBehindNat = old.LocalBehindNat,
            State = IkeSaState.Established,
            CreatedAt = now,
            EstablishedAt = now,
            LastInbound = now,
            NonceInitiator = nonceI,
            NonceResponder = nonceR,
            PeerIdentity = old.PeerIdentity,
            Suite = suite,
        };
        successor.Keys = IkeSaKeys.Derive(suite, secret, nonceI, nonceR, initiatorSpi, responderSpi, old.Keys!.SkD);
        CryptographicOperations.ZeroMemory(secret);
        CreateProtectors(successor);
        successor.LowestNonce = Phase2Lifecycle.LowestNonce(nonceI, nonceR);
        successor.RekeyAt = tunnel.Settings.Rekey ? now + IkeRekeyDelay(tunnel.Settings, isInitiator) : null;
        _sas.Add(successor);
        if (adopt)
        {
            Adopt(old, successor);
        }

        return successor;
    }

    /// <summary>The successor takes over the old IKE SA's children and queued work, and becomes the tunnel's IKE SA.</summary>
    private void Adopt(IkeSa old, IkeSa successor)
    {
        var tunnel = old.Tunnel;
        successor.Children.AddRange(old.Children);
        old.Children.Clear();
        tunnel.Current = successor;
        if (!tunnel.Retiring.Contains(old))
        {
            tunnel.Retiring.Add(old);
        }

        while (old.Window.Jobs.Count > 0)
        {
            successor.Window.Jobs.Enqueue(old.Window.Jobs.Dequeue());
        }

        // Nothing else would start the moved work until the new SA's first exchange ends.
        PumpQueue(successor);

        // A DELETE still unanswered on the old SA dies with it when the peer deletes that SA: send it again on the new one
        // (a peer that has the SA gone already answers a repeated DELETE with an empty one), or the child would stay forever.
        foreach (var child in successor.Children.Where(c => c.State == ChildSaState.Deleting).ToList())
        {
            child.State = ChildSaState.Rekeyed;
            DeleteChild(successor, child, notifyPeer: true, reason: "DELETE repeated after IKE rekey");
        }
    }
}
