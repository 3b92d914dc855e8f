using System.Buffers.Binary;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Quick mode as responder: the phase 2 whose selectors hold the peer's proxy IDs, the first acceptable transform (PFS group
/// as configured; our shorter lifetime returned in the chosen transform), HASH(2), and the SA: it decrypts from message 2
/// on, since the initiator sends on it as soon as it has our answer, maybe before its message 3 reaches us; we send on it
/// once HASH(3) proves the initiator has it. A new SA for a phase 2 that already has one is taken as the peer's rekey of it (IKEv1 has no REKEY_SA).
/// </summary>
internal sealed class QuickModeResponder(IIsakmpContext context)
{
    public void HandleFirst(IkeSa sa, IsakmpParseResult outer, byte[] datagram)
    {
        var v1 = sa.V1!;
        uint id = outer.Header!.Value.MessageId;
        var parsed = IsakmpProtection.Open(v1, outer, v1.IvFor(id), out var nextIv);
        var message = parsed.Message;
        var keys = v1.Keys!;
        if (message is null || !IsakmpProtection.HashMatches(message, QuickModeHashes.First(keys.Prf, keys.SkeyidA, id, message.AfterFirstPayload.Span)))
        {
            v1.ExchangeIvs.Remove(id);
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"quick mode {id:x8}: dropped, HASH(1) failed ({(parsed.Success ? "hash" : parsed.Detail)})");
            context.Publish(sa, new MalformedMessageDropped { Error = IkeParseError.IntegrityCheckFailed, IsResponse = false });
            return;
        }

        context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "responder: quick mode get 1st message...");
        if (Choose(sa, message) is not { } choice)
        {
            v1.ExchangeIvs.Remove(id);
            v1.Finished.Add(id);
            return;
        }

        var (quick, transform, suite, peerSpi) = choice;
        var payloads = new List<IsakmpPayload>
        {
            new Wire.SecurityAssociationPayload([new IsakmpProposal(1, IsakmpProposal.ProtocolEsp, EspTransforms.Spi(quick.InboundSpi), [transform])]),
            new Wire.NoncePayload(quick.NonceR),
        };
        var header = outer.Header.Value;
        if (suite.Group != DiffieHellmanGroup.None)
        {
            // Our private key is drawn here, in the order the random source always saw; the public-key work may run on
            // another thread (the host decides), and CompleteFirst takes it up. Until then the SA holds what comes
            // (a repeated message 1 is then answered from the cache).
            var privateKey = KeyExchange.DrawPrivateKey(suite.Group, context.Random);
            var peerValue = message.Find<Wire.KeyExchangePayload>()!.Data;
            context.Compute(new QuickModeResponderComputation(sa, suite.Group, privateKey, peerValue, quick, suite, peerSpi, payloads, header, message, nextIv, datagram));
            return;
        }

        Answer(sa, quick, suite, peerSpi, [], payloads, header, message, nextIv, datagram);
    }

    /// <summary>The PFS key exchange for the peer's message 1 is done (engine thread): message 2 with our KE.</summary>
    public void CompleteFirst(QuickModeResponderComputation computation)
    {
        var (sa, quick) = (computation.Sa, computation.Quick);
        computation.Answer.Add(new Wire.KeyExchangePayload(computation.PublicValue));
        if (computation.TakeSharedSecret() is not { } secret)
        {
            quick.Dispose();
            Refuse(sa, quick.Phase2.Name, "unusable PFS key exchange value");
            return;
        }

        Answer(sa, quick, computation.Suite, computation.PeerSpi, secret, computation.Answer, computation.Header, computation.First, computation.NextIv, computation.Datagram);
    }

    /// <summary>
    /// Message 2: our payloads so far and the peer's proxy IDs under HASH(2); kept for a repeated message 1 and resent until
    /// message 3 arrives. The child keyed with <paramref name="pfsSecret"/> takes inbound traffic from now on.
    /// </summary>
    private void Answer(IkeSa sa, QuickModeState quick, ChildSuite suite, uint peerSpi, byte[] pfsSecret, List<IsakmpPayload> payloads, IsakmpHeader header, IsakmpMessage first, byte[] nextIv, byte[] datagram)
    {
        var v1 = sa.V1!;
        var keys = v1.Keys!;
        uint id = quick.MessageId;
        payloads.AddRange(first.All<Wire.IdentificationPayload>());
        var chain = IsakmpProtection.ChainWithHash(payloads, rest => QuickModeHashes.Second(keys.Prf, keys.SkeyidA, id, quick.NonceI, rest), keys.Prf.OutputSize);
        var bytes = IsakmpProtection.Seal(v1, header with { Flags = IsakmpFlags.None }, IsakmpPayloadType.Hash, chain, nextIv);
        v1.ExchangeIvs[id] = nextIv;
        quick.SentSecond = bytes;
        quick.NextRetransmit = context.Now + context.Options.RetransmitTimeout;
        quick.Preinstalled = QuickModeInstall.Negotiated(sa, quick, suite, peerSpi, pfsSecret);
        v1.QuickModes[id] = quick;
        v1.Answers[IsakmpSaState.Fingerprint(datagram)] = bytes;
        context.Log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, quick.Phase2.Name, 0, "responder: quick mode is sending 2nd message...");
        context.PreinstallChild(sa, quick.Preinstalled);
        context.SendIsakmp(sa, bytes, "quick mode 2nd message");
    }

    /// <summary>Message 3 of the peer's quick mode: HASH(3) proves it installed the SA, so ours becomes a child SA we send on.</summary>
    public void HandleThird(IkeSa sa, IsakmpParseResult outer, QuickModeState quick)
    {
        var v1 = sa.V1!;
        uint id = quick.MessageId;
        var parsed = IsakmpProtection.Open(v1, outer, v1.ExchangeIvs[id], out _);
        var keys = v1.Keys!;
        if (parsed.Message is not { } message || !IsakmpProtection.HashMatches(message, QuickModeHashes.Third(keys.Prf, keys.SkeyidA, id, quick.NonceI, quick.NonceR)))
        {
            context.Log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"quick mode {id:x8}: 3rd message failed HASH(3), ignored");
            return;
        }

        context.Log.Child(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, quick.Phase2.Name, 0, "responder: quick mode get 3rd message...");
        v1.QuickModes.Remove(id);
        v1.ExchangeIvs.Remove(id);
        v1.Finished.Add(id);
        var child = context.CommitChild(sa, quick.Preinstalled!);
        quick.Dispose();
        context.SettleChild(sa, child, quick.RekeyOf);
    }

    private (QuickModeState Quick, IsakmpTransform Transform, ChildSuite Suite, uint PeerSpi)? Choose(IkeSa sa, IsakmpMessage message)
    {
        var ids = message.All<Wire.IdentificationPayload>().ToList();
        var nonce = message.Find<Wire.NoncePayload>();
        var proposal = message.Find<Wire.SecurityAssociationPayload>()?.Proposals.FirstOrDefault(p => p.ProtocolId == IsakmpProposal.ProtocolEsp && p.Spi.Length == 4);
        var remote = ids.Count == 2 ? ProxyIds.To(ids[0]) : null;
        var local = ids.Count == 2 ? ProxyIds.To(ids[1]) : null;
        if (nonce is null || proposal is null || remote is null || local is null)
        {
            Refuse(sa, null, "quick mode without ESP proposal, nonce or two IPv4 proxy IDs");
            return null;
        }

        if (sa.Tunnel.AssignedAddress is { } assigned && !(remote.StartAddress.Equals(assigned) && remote.EndAddress.Equals(assigned)))
        {
            // A mode-config client speaks only from the address we gave it: that address is its side of every phase 2.
            Refuse(sa, null, $"peer proxy ID {SelectorMath.Describe(remote)} is not its mode-cfg address {assigned}");
            return null;
        }

        var phase2 = sa.Tunnel.Phase2.FirstOrDefault(p =>
            SelectorMath.Contains(SelectorMath.ToWire(p.Destination, p.Protocol, p.DestinationPort), remote) &&
            SelectorMath.Contains(SelectorMath.ToWire(p.Source, p.Protocol, p.SourcePort), local));
        if (phase2 is null)
        {
            Refuse(sa, null, $"no phase2 matches peer proxy IDs {SelectorMath.Describe(remote)} -> {SelectorMath.Describe(local)}");
            return null;
        }

        var ke = message.Find<Wire.KeyExchangePayload>();
        foreach (var transform in proposal.Transforms)
        {
            if (EspTransforms.Read(transform) is not { } read || !Acceptable(phase2, read.Suite, ke))
            {
                continue;
            }

            var life = read.LifeSeconds is uint offered ? Math.Min(offered, (uint)phase2.KeyLifeSeconds) : (uint)phase2.KeyLifeSeconds;
            var quick = new QuickModeState
            {
                MessageId = message.Header.MessageId,
                WeInitiated = false,
                Phase2 = phase2.KeyLifeType == KeyLifeType.Kbs ? phase2 : phase2 with { KeyLifeSeconds = (int)life },
                InboundSpi = context.NewChildSpi(),
                Local = local,
                Remote = remote,
                NonceI = nonce.Data,
                NonceR = context.NewNonce(),
                RekeyOf = context.CarrierOf(sa).Children.FirstOrDefault(c => c.Phase2Name == phase2.Name && c.State is ChildSaState.Installed or ChildSaState.Rekeying && c.RemoteSelector == remote && c.LocalSelector == local),
            };
            return (quick, read.LifeSeconds is null ? transform : EspTransforms.WithLifeSeconds(transform, life), read.Suite, BinaryPrimitives.ReadUInt32BigEndian(proposal.Spi));
        }

        Refuse(sa, phase2.Name, "no acceptable ESP transform (proposal or PFS group)");
        return null;
    }

    private static bool Acceptable(Phase2Settings phase2, ChildSuite suite, Wire.KeyExchangePayload? ke)
    {
        bool proposalOk = phase2.Proposals.Any(e => e.Encryption == suite.Encryption && e.KeyBits == suite.KeyBits && e.Integrity == suite.Integrity);
        bool pfsOk = phase2.Pfs
            ? phase2.DhGroups.Contains(suite.Group) && ke is not null && ke.Data.Length == KeyExchange.PublicValueLength(suite.Group)
            : suite.Group == DiffieHellmanGroup.None && ke is null;
        return proposalOk && pfsOk;
    }

    private void Refuse(IkeSa sa, string? phase2, string reason)
    {
        context.Log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"quick mode refused: {reason}");
        context.ChildNegotiationFailed(sa, phase2 ?? string.Empty, reason);
    }
}
