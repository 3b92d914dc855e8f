using System.Buffers.Binary;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Quick mode as initiator (RFC 2409 §5.5): HASH(1) | SA | Ni [| KE] | IDci | IDcr, the responder's HASH(2) answer, then
/// HASH(3), after which both directions are installed. PFS follows the phase 2 (`pfs enable` is the FortiOS default).
/// </summary>
internal sealed class QuickModeInitiator(IIsakmpContext context)
{
    public void Start(IkeSa sa, CreateChildJob job)
    {
        var (phase2, rekeyOf, v1) = (job.Phase2, job.RekeyOf, sa.V1!);
        var quick = new QuickModeState
        {
            MessageId = IsakmpProtection.NewMessageId(v1, context.Random),
            WeInitiated = true,
            Phase2 = phase2,
            InboundSpi = context.NewChildSpi(),
            Local = rekeyOf?.LocalSelector ?? LocalSelector(sa.Tunnel, phase2),
            Remote = rekeyOf?.RemoteSelector ?? SelectorMath.ToWire(phase2.Destination, phase2.Protocol, phase2.DestinationPort),
            NonceI = context.NewNonce(),
            RekeyOf = rekeyOf,
        };
        if (rekeyOf is not null)
        {
            rekeyOf.RekeyRequestedOn = sa.Serial;
        }

        if (phase2.Pfs)
        {
            // The private key is drawn here, in the engine's order (after our nonce); the key pair may be made on another
            // thread, and message 1 goes out once it is back (CompleteKeyPair).
            var group = job.Group ?? phase2.DhGroups[0];
            context.Compute(new QuickModeInitiatorKeyPairComputation(sa, group, KeyExchange.DrawPrivateKey(group, context.Random), quick));
            return;
        }

        Send(sa, quick);
    }

    /// <summary>Our PFS key pair is made (engine thread): message 1 goes out with its public value.</summary>
    public void CompleteKeyPair(QuickModeInitiatorKeyPairComputation computation)
    {
        var (sa, quick) = (computation.Sa, computation.Quick);
        if (computation.TakeKeyPair() is not { } pair)
        {
            // As a failed exchange: reported, and a child we were rekeying is ours to rekey again.
            Fail(sa, quick, "quick mode: our key exchange could not be made");
            return;
        }

        quick.Dh = pair;
        Send(sa, quick);
    }

    /// <summary>Sends message 1 of <paramref name="quick"/> (with its PFS key exchange, made by now) and keeps the quick mode.</summary>
    private void Send(IkeSa sa, QuickModeState quick)
    {
        var (phase2, rekeyOf, v1) = (quick.Phase2, quick.RekeyOf, sa.V1!);
        var payloads = new List<IsakmpPayload> { EspTransforms.Offer(phase2 with { DhGroups = quick.Dh is null ? phase2.DhGroups : [quick.Dh.Group] }, quick.InboundSpi, sa.UsesNatTraversal, sa.V1!.DraftNatT), new NoncePayload(quick.NonceI) };
        if (quick.Dh is not null)
        {
            payloads.Add(new KeyExchangePayload(quick.Dh.PublicValue));
        }

        payloads.Add(ProxyIds.From(quick.Local));
        payloads.Add(ProxyIds.From(quick.Remote));
        var keys = v1.Keys!;
        var chain = IsakmpProtection.ChainWithHash(payloads, rest => QuickModeHashes.First(keys.Prf, keys.SkeyidA, quick.MessageId, rest), keys.Prf.OutputSize);
        var bytes = IsakmpProtection.Seal(v1, IsakmpProtection.Header(sa, IsakmpExchangeType.QuickMode, quick.MessageId), IsakmpPayloadType.Hash, chain, v1.IvFor(quick.MessageId));
        v1.QuickModes[quick.MessageId] = quick;
        context.Log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, phase2.Name, 0, $"initiator: quick mode is sending 1st message...{(rekeyOf is null ? string.Empty : $" (rekey of {rekeyOf.InboundSpi:x8})")}");
        context.SendIsakmpRequest(sa, bytes, quick.MessageId, "quick mode", new QuickModeRequest(quick.MessageId));
    }

    /// <summary>
    /// Our side of a new quick mode: the phase 2's source, or, as a mode-config client, the one address the server gave
    /// us (its dial-up phase 1 accepts no other proxy ID from us).
    /// </summary>
    private static SharpSwan.Ike.Wire.TrafficSelector LocalSelector(TunnelRuntime tunnel, Config.Phase2Settings phase2)
    {
        var configured = SelectorMath.ToWire(phase2.Source, phase2.Protocol, phase2.SourcePort);
        return tunnel is { IsDialupInstance: false, Settings.ModeCfg: true, AssignedAddress: { } own } ? configured with { StartAddress = own, EndAddress = own } : configured;
    }

    /// <summary>
    /// Message 2 arrived for our quick mode: verify, answer with HASH(3), install. With PFS the secret is computed first
    /// (maybe on another thread: <see cref="CompleteAnswer"/>), and our message 1 stays outstanding until then.
    /// </summary>
    public void HandleAnswer(IkeSa sa, IsakmpParseResult outer, byte[] datagram, QuickModeRequest request)
    {
        var v1 = sa.V1!;
        if (!v1.QuickModes.Remove(request.MessageId, out var quick))
        {
            sa.Window.Outstanding = null;
            return;
        }

        context.Log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, quick.Phase2.Name, 0, "initiator: quick mode get 2nd response...");
        var parsed = IsakmpProtection.Open(v1, outer, v1.ExchangeIvs[request.MessageId], out var nextIv);
        var message = parsed.Message;
        var keys = v1.Keys!;
        if (message is null || !IsakmpProtection.HashMatches(message, QuickModeHashes.Second(keys.Prf, keys.SkeyidA, request.MessageId, quick.NonceI, message.AfterFirstPayload.Span)))
        {
            sa.Window.Outstanding = null;
            Fail(sa, quick, $"quick mode 2nd message failed its HASH(2) ({(parsed.Success ? "hash" : parsed.Detail)})");
            return;
        }

        if (Accept(quick, message) is not { } accepted)
        {
            sa.Window.Outstanding = null;
            Fail(sa, quick, "quick mode answer does not match what we offered");
            return;
        }

        if (quick.Dh is { } ours)
        {
            // Our key exchange goes with the computation, which wipes it.
            quick.Dh = null;
            context.Compute(new QuickModeInitiatorComputation(sa, ours, accepted.PeerPublicValue!, quick, accepted.Suite, accepted.PeerSpi, nextIv, datagram));
            return;
        }

        sa.Window.Outstanding = null;
        Complete(sa, quick, accepted.Suite, accepted.PeerSpi, [], nextIv, datagram);
    }

    /// <summary>The PFS secret with the responder's value is done (engine thread): message 3, then the child SA.</summary>
    public void CompleteAnswer(QuickModeInitiatorComputation computation)
    {
        var sa = computation.Sa;
        sa.Window.Outstanding = null;
        if (computation.TakeSharedSecret() is not { } secret)
        {
            Fail(sa, computation.Quick, "quick mode answer does not match what we offered");
            return;
        }

        Complete(sa, computation.Quick, computation.Suite, computation.PeerSpi, secret, computation.NextIv, computation.Datagram);
    }

    /// <summary>HASH(3) in message 3 (kept for a repeated message 2), then both directions installed.</summary>
    private void Complete(IkeSa sa, QuickModeState quick, SharpSwan.Ike.Keys.ChildSuite suite, uint peerSpi, byte[] pfsSecret, byte[] nextIv, byte[] datagram)
    {
        var v1 = sa.V1!;
        var keys = v1.Keys!;
        var hash3 = new HashPayload(QuickModeHashes.Third(keys.Prf, keys.SkeyidA, quick.MessageId, quick.NonceI, quick.NonceR));
        var third = IsakmpProtection.Seal(v1, IsakmpProtection.Header(sa, IsakmpExchangeType.QuickMode, quick.MessageId), IsakmpPayloadType.Hash, IsakmpCodec.EncodeChain([hash3]), nextIv);
        v1.Answers[IsakmpSaState.Fingerprint(datagram)] = third;
        v1.ExchangeIvs.Remove(quick.MessageId);
        v1.Finished.Add(quick.MessageId);
        context.Log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, quick.Phase2.Name, 0, "initiator: quick mode is sending 3rd message...");
        context.SendIsakmp(sa, third, "quick mode 3rd message");
        if (quick.RekeyOf is null)
        {
            sa.Tunnel.Negotiating.Remove(quick.Phase2.Name);
        }

        var child = context.InstallChild(sa, QuickModeInstall.Negotiated(sa, quick, suite, peerSpi, pfsSecret));
        quick.Dispose();
        context.SettleChild(sa, child, quick.RekeyOf);
    }

    /// <summary>Our quick mode went unanswered: the peer is gone, and the ISAKMP SA with it.</summary>
    public void TimedOut(IkeSa sa, QuickModeRequest request)
    {
        if (sa.V1?.QuickModes.Remove(request.MessageId, out var quick) == true)
        {
            quick.Dispose();
        }

        context.FailIkeSa(sa, "quick mode: peer not responding");
    }

    /// <summary>
    /// The responder's choice, when it is one we offered: its suite and SPI, and its KE data when we offered PFS (PFS both
    /// ways or neither); its nonce and any shorter lifetime are taken into <paramref name="quick"/>.
    /// </summary>
    private static (SharpSwan.Ike.Keys.ChildSuite Suite, uint PeerSpi, byte[]? PeerPublicValue)? Accept(QuickModeState quick, IsakmpMessage message)
    {
        var nonce = message.Find<NoncePayload>();
        var proposal = message.Find<SecurityAssociationPayload>()?.Proposals is [{ ProtocolId: IsakmpProposal.ProtocolEsp, Spi.Length: 4, Transforms: [var transform] } p] ? p : null;
        if (nonce is null || proposal is null || EspTransforms.Read(proposal.Transforms[0]) is not { } read)
        {
            return null;
        }

        var offered = quick.Phase2.Proposals.FirstOrDefault(e => e.Encryption == read.Suite.Encryption && e.KeyBits == read.Suite.KeyBits && e.Integrity == read.Suite.Integrity);
        var wantedGroup = quick.Dh?.Group ?? DiffieHellmanGroup.None;
        var ke = message.Find<KeyExchangePayload>();
        if (offered is null || read.Suite.Group != wantedGroup || (ke is null) != (quick.Dh is null))
        {
            return null;
        }

        quick.NonceR = nonce.Data;
        if (read.LifeSeconds is uint life && life < quick.Phase2.KeyLifeSeconds && quick.Phase2.KeyLifeType != Config.KeyLifeType.Kbs)
        {
            // The responder's shorter lifetime binds us too (RFC 2407 §4.5.4).
            quick.Phase2 = quick.Phase2 with { KeyLifeSeconds = (int)life };
        }

        return (read.Suite, BinaryPrimitives.ReadUInt32BigEndian(proposal.Spi), ke?.Data);
    }

    private void Fail(IkeSa sa, QuickModeState quick, string reason)
    {
        quick.Dispose();
        context.ChildNegotiationFailed(sa, quick.Phase2.Name, reason);
        if (quick.RekeyOf is { State: ChildSaState.Rekeying } old)
        {
            old.State = ChildSaState.Installed;
        }

        sa.Tunnel.Negotiating.Remove(quick.Phase2.Name);
    }
}
