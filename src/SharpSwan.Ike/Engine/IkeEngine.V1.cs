using System.Net;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Exchanges;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// IKEv1 under the same SA manager: ISAKMP datagrams (major version 1) go to the main-mode, quick-mode and informational
/// exchanges of SharpSwan.Ike.V1; their SAs are ordinary <see cref="IkeSa"/>s with <see cref="IkeSa.V1"/> state, their
/// child SAs ordinary <see cref="ChildSa"/>s, so lifetimes, rekeys, on-demand and auto-negotiate run the same code as IKEv2.
/// </summary>
public sealed partial class IkeEngine : IIsakmpContext
{
    private MainModeInitiator? _mainModeInitiator;
    private MainModeResponder? _mainModeResponder;
    private QuickModeInitiator? _quickModeInitiator;
    private QuickModeResponder? _quickModeResponder;
    private IsakmpInformational? _isakmpInformational;

    private MainModeInitiator MainModeI => _mainModeInitiator ??= new MainModeInitiator(this);

    private MainModeResponder MainModeR => _mainModeResponder ??= new MainModeResponder(this);

    private QuickModeInitiator QuickModeI => _quickModeInitiator ??= new QuickModeInitiator(this);

    private QuickModeResponder QuickModeR => _quickModeResponder ??= new QuickModeResponder(this);

    private IsakmpInformational IsakmpInfo => _isakmpInformational ??= new IsakmpInformational(this);

    /// <summary>One ISAKMP datagram: parsed, answered from the cache when it repeats one we answered, else dispatched by exchange.</summary>
    private void ReceiveIsakmp(IPEndPoint local, IPEndPoint remote, ReadOnlySpan<byte> datagram)
    {
        var outer = IsakmpCodec.Decode(datagram);
        if (!outer.Success)
        {
            _log.Global(IkeLogLevel.Negotiation, $"dropped IKEv1 message from {remote}: {outer.Error} {outer.Detail}");
            PublishGlobal(new MalformedMessageDropped { Remote = remote, Local = local, Error = IkeParseError.MalformedPayload, IsResponse = false });
            return;
        }

        var header = outer.Header!.Value;
        var bytes = datagram.ToArray();
        if (header.ResponderCookie == 0)
        {
            ReceiveFirstMainMode(local, remote, outer, bytes);
            return;
        }

        if (FindIsakmpSa(header) is not { V1: { } v1 } sa)
        {
            _log.Global(IkeLogLevel.Negotiation, $"ignoring IKEv1 {header.Exchange} from {remote}: no ISAKMP SA {header.InitiatorCookie:x16}/{header.ResponderCookie:x16}");
            return;
        }

        if (sa.Computing is not null && (header.Exchange != IsakmpExchangeType.Informational || sa.Held is not null))
        {
            // The SA waits for its key exchange: what comes meanwhile is taken once it is back, through this same path, so
            // its steps keep their order and a repeat is answered from the cache, not computed again. Informational
            // messages (DELETE, DPD) are no step of any exchange and nobody resends them, so they are taken at once, but
            // never ahead of what came before them: a DELETE that comes after a held quick mode waits behind it.
            // The ISAKMP header has the IKEv2 header's 28-octet layout: read that way it names the version, exchange and
            // message ID a drop event reports (the outer parse above already proved the datagram long enough).
            _ = IkeHeader.TryRead(datagram, out var fixedHeader);
            Hold(sa, local, remote, datagram, fixedHeader);
            return;
        }

        if (v1.Answers.TryGetValue(IsakmpSaState.Fingerprint(bytes), out var answer))
        {
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"retransmitting answer to repeated {header.Exchange} message {header.MessageId:x8}");
            Publish(sa, new ResponseRetransmitted { MessageId = header.MessageId, SaInit = false });
            _host.SendIke(sa.Local, sa.Remote, answer);
            return;
        }

        if (!header.IsEncrypted && v1.Cipher is not null && !AggressiveThirdInClear(sa, header))
        {
            // After the keys exist nothing unprotected is acted on: it could be anyone's.
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"dropped unencrypted IKEv1 {header.Exchange} from {remote}");
            Publish(sa, new UnprotectedMessageDropped
            {
                InitiatorSpi = header.InitiatorCookie,
                ResponderSpi = header.ResponderCookie,
                Exchange = ExchangeType.Informational,
                MessageId = header.MessageId,
                IsResponse = false,
                Reason = UnprotectedMessageReason.NotEncrypted,
            });
            return;
        }

        if (sa.UsesNatTraversal && (!sa.Remote.Equals(remote) || !sa.Local.Equals(local)))
        {
            sa.Remote = remote;
            sa.Local = local;
        }

        sa.LastInbound = Now;
        DispatchIsakmp(sa, v1, outer, bytes);
    }

    private void DispatchIsakmp(IkeSa sa, IsakmpSaState v1, IsakmpParseResult outer, byte[] bytes)
    {
        var header = outer.Header!.Value;
        var pending = sa.Window.Outstanding;
        switch (header.Exchange)
        {
            case IsakmpExchangeType.IdentityProtection when sa.IsOriginalInitiator:
                if (pending is { Request: MainModeRequest step } && v1.Step == step.Step && MainModeI.IsAnswerTo(sa, outer, step))
                {
                    // It ends our request, or leaves it outstanding while the key exchange with message 4 is computed.
                    MainModeI.HandleAnswer(sa, outer, step);
                }

                break;
            case IsakmpExchangeType.IdentityProtection:
                MainModeR.Handle(sa, outer, bytes);
                break;
            case IsakmpExchangeType.Aggressive:
                ReceiveAggressive(sa, v1, outer, bytes, pending);
                break;
            case IsakmpExchangeType.QuickMode when sa.State == IkeSaState.Established && header.IsEncrypted:
                ReceiveQuickMode(sa, v1, outer, bytes, pending);
                break;
            case IsakmpExchangeType.Transaction when v1.Step == 6 && header.IsEncrypted:
                Transaction.Handle(sa, outer, bytes);
                break;
            case IsakmpExchangeType.Informational when v1.Step == 6 && header.IsEncrypted:
                IsakmpInfo.Handle(sa, outer);
                break;
            default:
                _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"ignoring IKEv1 {header.Exchange} message {header.MessageId:x8} in this state");
                break;
        }
    }

    private void ReceiveQuickMode(IkeSa sa, IsakmpSaState v1, IsakmpParseResult outer, byte[] bytes, PendingRequest? pending)
    {
        uint id = outer.Header!.Value.MessageId;
        if (pending is { Request: QuickModeRequest ours } && ours.MessageId == id)
        {
            // It ends our request, or leaves it outstanding while a PFS key exchange is computed.
            QuickModeI.HandleAnswer(sa, outer, bytes, ours);
            PumpQueue(sa);
        }
        else if (v1.QuickModes.TryGetValue(id, out var theirs) && !theirs.WeInitiated)
        {
            QuickModeR.HandleThird(sa, outer, theirs);
        }
        else if (v1.XauthPending)
        {
            _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"quick mode {id:x8} ignored: XAUTH has not passed yet");
        }
        else if (!v1.Finished.Contains(id) && !v1.QuickModes.ContainsKey(id))
        {
            QuickModeR.HandleFirst(sa, outer, bytes);
        }
    }

    /// <summary>
    /// Quick mode's message 3 is never answered, so the responder resends message 2 until it arrives (the initiator answers
    /// the repeat with message 3 from its cache); after the engine's retransmit limit the half-done quick mode is dropped.
    /// </summary>
    private void CheckQuickModeRetransmissions(IkeSa sa, DateTimeOffset now)
    {
        foreach (var quick in sa.V1!.QuickModes.Values.Where(q => !q.WeInitiated && q.SentSecond is not null && now >= q.NextRetransmit).ToList())
        {
            if (quick.Retransmits >= _options.RetransmitLimit)
            {
                _log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"quick mode {quick.MessageId:x8}: no 3rd message after {quick.Retransmits} retransmissions, giving up");
                Publish(sa, new ExchangeTimedOut { Exchange = "quick mode 2nd message", Retransmits = quick.Retransmits });
                sa.V1.QuickModes.Remove(quick.MessageId);
                sa.V1.ExchangeIvs.Remove(quick.MessageId);
                sa.V1.Finished.Add(quick.MessageId);
                WithdrawPreinstalled(sa, quick);
                quick.Dispose();
                continue;
            }

            quick.Retransmits++;
            quick.NextRetransmit = now + RetransmitSchedule.Nominal(_options.RetransmitTimeout, null, quick.Retransmits);
            Publish(sa, new RequestRetransmitted { Exchange = "quick mode 2nd message", Attempt = quick.Retransmits });
            _host.SendIke(sa.Local, sa.Remote, quick.SentSecond!);
        }
    }

    private static DateTimeOffset? NextQuickModeRetransmit(IkeSa sa) =>
        sa.V1?.QuickModes.Values.Where(q => q.SentSecond is not null).Select(q => (DateTimeOffset?)q.NextRetransmit).Min();

    /// <summary>A main-mode message without a responder cookie: a new peer, or a repeat of one we answered.</summary>
    private void ReceiveFirstMainMode(IPEndPoint local, IPEndPoint remote, IsakmpParseResult outer, byte[] bytes)
    {
        var header = outer.Header!.Value;
        if (header.Exchange is not (IsakmpExchangeType.IdentityProtection or IsakmpExchangeType.Aggressive) || header.MessageId != 0 || outer.Message is not { } message)
        {
            RefusePeer(local, remote, $"IKEv1 {header.Exchange} does not start an ISAKMP SA", IkeLogLevel.Negotiation, $"ignoring IKEv1 {header.Exchange} from {remote}: only main and aggressive mode start an ISAKMP SA");
            return;
        }

        if (_sas.TryFindHalfOpen(remote, header.InitiatorCookie, out var existing))
        {
            // While its key exchange is computed (aggressive mode) a repeat is dropped, not held: the one answer goes out
            // when the work is back and answers it too (holding it would only send the same answer twice at once).
            if (existing.Computing is null && existing.V1?.Answers.TryGetValue(IsakmpSaState.Fingerprint(bytes), out var answer) == true)
            {
                Publish(existing, new ResponseRetransmitted { MessageId = 0, SaInit = true });
                _host.SendIke(local, remote, answer);
            }

            return;
        }

        if (KeepsOwnMainMode(local, remote))
        {
            return;
        }

        if (header.Exchange == IsakmpExchangeType.Aggressive)
        {
            AggressiveR.HandleFirst(local, remote, message, bytes);
            return;
        }

        MainModeR.HandleFirst(local, remote, message, bytes);
    }

    private IkeSa? FindIsakmpSa(IsakmpHeader header)
    {
        if (_sas.TryFind(header.InitiatorCookie, out var ours) && ours.IsOriginalInitiator && ours.V1 is not null)
        {
            return ours;
        }

        return _sas.TryFind(header.ResponderCookie, out var theirs) && !theirs.IsOriginalInitiator && theirs.V1 is not null ? theirs : null;
    }

    /// <summary>Runs a queued job on an ISAKMP SA: quick mode for CREATE_CHILD jobs, informational DELETE; no IKE SA rekey in IKEv1.</summary>
    private void RunIsakmpJob(IkeSa sa, IkeJob job)
    {
        switch (job)
        {
            case CreateChildJob { RekeyOf: { } old } when old.State != ChildSaState.Rekeying:
                break;
            case CreateChildJob { RekeyOf: null } create when HasUsableChild(sa.Tunnel, create.Phase2.Name):
                sa.Tunnel.Negotiating.Remove(create.Phase2.Name);
                break;
            case CreateChildJob create:
                QuickModeI.Start(sa, create);
                break;
            case DeleteChildJob delete:
                IsakmpInfo.SendDelete(sa, delete);
                break;
        }
    }

    void IIsakmpContext.SendIsakmpRequest(IkeSa sa, byte[] datagram, uint messageId, string label, SentRequest request)
    {
        var first = RetransmitSchedule.Nominal(_options.RetransmitTimeout, null, 0);
        var now = Now;
        sa.Window.Outstanding = new PendingRequest
        {
            MessageId = messageId,
            Datagram = datagram,
            Local = sa.Local,
            Remote = sa.Remote,
            Request = request,
            Label = label,
            NominalNext = now + first,
            NextRetransmit = now + first + RetransmitSchedule.Jitter(first, null, sa.LocalSpi, messageId, 0),
            Deadline = sa.State == IkeSaState.Established ? null : sa.CreatedAt + TimeSpan.FromSeconds(sa.Tunnel.Settings.NegotiateTimeoutSeconds),
        };
        ((IIsakmpContext)this).SendIsakmp(sa, datagram, label);
    }

    void IIsakmpContext.SendIsakmp(IkeSa sa, byte[] datagram, string label)
    {
        if (_log.IsEnabled(IkeLogLevel.Packet))
        {
            _log.Sa(IkeLogLevel.Packet, sa.Tunnel.Name, sa.Serial, $"sent IKE msg ({label}): {sa.Local}->{sa.Remote}, len={datagram.Length}, id={sa.SpiText}");
        }

        _host.SendIke(sa.Local, sa.Remote, datagram);
    }

    void IIsakmpContext.SettleChild(IkeSa sa, ChildSa? child, ChildSa? rekeyOf) => SettleIsakmpChild(sa, child, rekeyOf);

    void IIsakmpContext.PreinstallChild(IkeSa sa, NegotiatedChild negotiated) =>
        _host.InstallChildSa(ToDataPlane(sa, negotiated) with { HoldOutbound = true });

    ChildSa IIsakmpContext.CommitChild(IkeSa sa, NegotiatedChild negotiated) => InstallChild(sa, negotiated, preinstalled: true);

    /// <summary>A responder's quick mode ends without its 3rd message: the SA it put in the data plane goes again.</summary>
    private void WithdrawPreinstalled(IkeSa sa, QuickModeState quick)
    {
        if (quick.Preinstalled is { } negotiated)
        {
            quick.Preinstalled = null;
            _host.RemoveChildSa(sa.Tunnel.Name, negotiated.Phase2.Name, negotiated.InboundSpi, negotiated.OutboundSpi);
        }
    }
}
