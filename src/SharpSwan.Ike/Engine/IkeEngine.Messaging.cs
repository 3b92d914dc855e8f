using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Exchanges;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Requests, responses, the one-request window and retransmission, once for every exchange: the exchanges hand in
/// typed jobs and requests, and get the answer (or the timeout) dispatched back by type.
/// </summary>
public sealed partial class IkeEngine
{
    /// <summary>Runs the job now if the request window is free, else after the outstanding exchange ends.</summary>
    private void Enqueue(IkeSa sa, IkeJob job)
    {
        if (sa.MaySendRequest && sa.State == IkeSaState.Established)
        {
            RunJob(sa, job);
        }
        else
        {
            sa.Window.Jobs.Enqueue(job);
        }
    }

    /// <summary>
    /// The IKE SA that carries work queued on <paramref name="sa"/> now: after an IKE rekey the children and the queue moved to
    /// the tunnel's new SA (Adopt), and sending on the retiring one would use keys that are about to go.
    /// </summary>
    private static IkeSa Holder(IkeSa sa) =>
        sa.Tunnel.Current is { State: IkeSaState.Established } current && current != sa ? current : sa;

    private void PumpQueue(IkeSa sa)
    {
        while (sa.MaySendRequest && sa.State == IkeSaState.Established && sa.Window.Jobs.Count > 0)
        {
            RunJob(sa, sa.Window.Jobs.Dequeue());
        }
    }

    private void RunJob(IkeSa sa, IkeJob job)
    {
        if (job is not RekeyIkeSaJob && Holder(sa) is var holder && holder != sa)
        {
            // Found on an IKE SA that an IKE rekey replaced after the job was queued: it belongs to the new SA's window.
            Enqueue(holder, job);
            return;
        }

        if (sa.V1 is not null)
        {
            RunIsakmpJob(sa, job);
            return;
        }

        switch (job)
        {
            case CreateChildJob create:
                _createChild.SendRequest(sa, create);
                break;
            case DeleteChildJob delete:
                _informational.SendDelete(sa, delete);
                break;
            case RekeyIkeSaJob rekey:
                _ikeRekey.SendRequest(sa, rekey);
                break;
        }
    }

    private void SendRequest(IkeSa sa, ExchangeType exchange, IReadOnlyList<IkePayload> payloads, string label, SentRequest request, TimeSpan? fixedInterval = null, int? limit = null)
    {
        var id = sa.Window.TakeRequestId();
        var flags = sa.IsOriginalInitiator ? IkeFlags.Initiator : IkeFlags.None;
        var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.None, exchange, flags, id, 0);
        var datagrams = exchange == ExchangeType.IkeSaInit
            ? [IkeMessageCodec.Encode(header, payloads)]
            : EncodeProtected(sa, header, payloads);
        var first = RetransmitSchedule.Nominal(_options.RetransmitTimeout, fixedInterval, 0);
        var now = Now;
        sa.Window.Outstanding = new PendingRequest
        {
            Exchange = exchange,
            MessageId = id,
            Datagram = datagrams[0],
            Fragments = datagrams.Count > 1 ? datagrams : null,
            Local = sa.Local,
            Remote = sa.Remote,
            Request = request,
            Label = label,
            NominalNext = now + first,
            NextRetransmit = now + first + RetransmitSchedule.Jitter(first, fixedInterval, sa.LocalSpi, id, 0),
            FixedInterval = fixedInterval,
            Limit = limit,
        };
        TransmitAll(sa, datagrams, exchange, isResponse: false);
    }

    /// <summary>A message outside the window: sent once, never retransmitted (a DELETE of an IKE SA on its way out).</summary>
    private void SendUnreliable(IkeSa sa, ExchangeType exchange, IReadOnlyList<IkePayload> payloads)
    {
        var flags = sa.IsOriginalInitiator ? IkeFlags.Initiator : IkeFlags.None;
        var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.None, exchange, flags, sa.Window.TakeRequestId(), 0);
        TransmitAll(sa, EncodeProtected(sa, header, payloads), exchange, isResponse: false);
    }

    private void Respond(IkeSa sa, IkeHeader request, IReadOnlyList<IkePayload> payloads)
    {
        var flags = IkeFlags.Response | (sa.IsOriginalInitiator ? IkeFlags.Initiator : IkeFlags.None);
        var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.None, request.Exchange, flags, request.MessageId, 0);
        var datagrams = EncodeProtected(sa, header, payloads);
        sa.Window.Responded(request.MessageId, datagrams);
        TransmitAll(sa, datagrams, request.Exchange, isResponse: true);
    }

    /// <summary>Sends one message: its one datagram, or each of its fragments in order.</summary>
    private void TransmitAll(IkeSa sa, IReadOnlyList<byte[]> datagrams, ExchangeType exchange, bool isResponse)
    {
        for (int i = 0; i < datagrams.Count; i++)
        {
            Transmit(sa, datagrams[i], exchange, isResponse, datagrams.Count > 1 ? $", frag {i + 1}/{datagrams.Count}" : string.Empty);
        }
    }

    private void Transmit(IkeSa sa, byte[] bytes, ExchangeType exchange, bool isResponse, string part = "")
    {
        if (_log.IsEnabled(IkeLogLevel.Packet))
        {
            var kind = isResponse ? "response" : "request";
            _log.Sa(IkeLogLevel.Packet, sa.Tunnel.Name, sa.Serial, $"sent IKE msg ({WireText.ExchangeName(exchange)}): {sa.Local}->{sa.Remote}, len={bytes.Length}{part}, {kind}, id={sa.SpiText}");
        }

        _host.SendIke(sa.Local, sa.Remote, bytes);
    }

    /// <summary>The answer to our outstanding request arrived: free the window, let the exchange handle it, run what waits.</summary>
    private void ReceiveResponse(IkeSa sa, PendingRequest pending, IkeMessage message)
    {
        sa.LastInbound = Now;
        sa.Window.Outstanding = null;
        switch (pending.Request)
        {
            case AuthRequest:
                _auth.HandleResponse(sa, message, pending);
                break;
            case CreateChildRequest create:
                _createChild.HandleResponse(sa, message, create);
                break;
            case IkeRekeyRequest rekey:
                _ikeRekey.HandleResponse(sa, message, rekey);
                break;
            case DeleteChildRequest delete:
                _informational.Answered(sa, delete);
                break;
            case DeleteRekeyedIkeSaRequest:
                _ikeRekey.OldSaDeleteDone(sa);
                break;
            case LivenessRequest:
                _liveness.Answered(sa);
                break;
        }

        PumpQueue(sa);
    }

    /// <summary>Our request went unanswered through all its retransmissions.</summary>
    private void RequestTimedOut(IkeSa sa, PendingRequest pending)
    {
        switch (pending.Request)
        {
            case InitRequest or AuthRequest:
                _auth.TimedOut(sa);
                break;
            case CreateChildRequest create:
                _createChild.TimedOut(sa, create);
                break;
            case IkeRekeyRequest rekey:
                _ikeRekey.TimedOut(sa, rekey);
                break;
            case DeleteChildRequest:
                _informational.TimedOut(sa);
                break;
            case DeleteRekeyedIkeSaRequest:
                _ikeRekey.OldSaDeleteDone(sa);
                break;
            case LivenessRequest liveness:
                _liveness.TimedOut(sa, liveness);
                break;
            case MainModeRequest:
                FailIkeSa(sa, $"{pending.Label}: no answer from {sa.Remote}");
                break;
            case TransactionRequest:
                FailIkeSa(sa, $"{pending.Label}: no answer from {sa.Remote}");
                break;
            case QuickModeRequest quick:
                QuickModeI.TimedOut(sa, quick);
                break;
        }
    }

    /// <summary>
    /// Retransmits or gives up on outstanding requests whose time has come, and gives up on public-key work the host did
    /// not give back in time.
    /// </summary>
    private void CheckRetransmissions(IkeSa sa, DateTimeOffset now)
    {
        if (sa.Window.Outstanding is { } pending)
        {
            if (AnsweredWhileComputing(sa))
            {
                // The answer is here and its public-key work is still being computed: nothing to resend, but the request's
                // deadline (negotiate-timeout) still ends the wait.
                if (pending.Deadline is { } due && now >= due)
                {
                    _log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"{pending.Label}: public-key work not done by the negotiate-timeout, giving up");
                    Publish(sa, new ExchangeTimedOut { Exchange = pending.Label, Retransmits = pending.Retransmits });
                    sa.Window.Outstanding = null;
                    RequestTimedOut(sa, pending);
                }
            }
            else
            {
                Retransmit(sa, pending, now);
            }
        }

        if (sa.State != IkeSaState.Dead && ComputationDeadline(sa) is { } waited && now >= waited)
        {
            ComputationTimedOut(sa, sa.Computing!);
        }
    }

    /// <summary>
    /// Our outstanding request has had its answer, kept outstanding only for its deadline while the SA computes on that
    /// answer: so it is not resent. While an SA is set up its steps go strictly in turn, so whatever it computes works on
    /// the answer to the request still outstanding (IKE_SA_INIT's for its keys and our AUTH, IKE_AUTH's for the peer's
    /// signature, a main or aggressive mode message's). Once established, only our quick mode keeps its message 1
    /// outstanding while the answer's key exchange is computed; any other answer frees the window before its work starts,
    /// so a request outstanding there (a DPD probe, a DELETE, another quick mode) still waits for its answer and is
    /// retransmitted as usual while the SA computes something else (an answer that arrives meanwhile is held and taken once
    /// the work is back, which ends the request then; until then it may still be resent, and the peer answers from its cache).
    /// </summary>
    private static bool AnsweredWhileComputing(IkeSa sa) =>
        sa.Computing is { } computation &&
        (sa.State is not (IkeSaState.Established or IkeSaState.Deleting) || computation is QuickModeInitiatorComputation);

    private void Retransmit(IkeSa sa, PendingRequest pending, DateTimeOffset now)
    {
        if (now < pending.NextRetransmit)
        {
            return;
        }

        var expired = pending.Retransmits >= (pending.Limit ?? _options.RetransmitLimit) || (pending.Deadline is { } deadline && now >= deadline);
        if (expired)
        {
            _log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"{pending.Label}: no response from {sa.Remote} after {pending.Retransmits} retransmissions, giving up");
            Publish(sa, new ExchangeTimedOut { Exchange = pending.Label, Retransmits = pending.Retransmits });
            sa.Window.Outstanding = null;
            RequestTimedOut(sa, pending);
            return;
        }

        pending.Retransmits++;
        var interval = RetransmitSchedule.Nominal(_options.RetransmitTimeout, pending.FixedInterval, pending.Retransmits);
        pending.NominalNext = pending.NominalNext + interval > now ? pending.NominalNext + interval : now + interval;

        // The last wait ends on the nominal schedule: jitter spreads the retransmissions, not the moment we give up.
        var last = pending.Retransmits >= (pending.Limit ?? _options.RetransmitLimit);
        pending.NextRetransmit = pending.NominalNext + (last ? TimeSpan.Zero : RetransmitSchedule.Jitter(interval, pending.FixedInterval, sa.LocalSpi, pending.MessageId, pending.Retransmits));
        if (pending.Deadline is { } limit && pending.NextRetransmit > limit)
        {
            pending.NextRetransmit = limit;
        }

        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"{pending.Label}: retransmission {pending.Retransmits} to {pending.Remote}");
        Publish(sa, new RequestRetransmitted { Exchange = pending.Label, Attempt = pending.Retransmits });
        foreach (var datagram in pending.Fragments ?? [pending.Datagram])
        {
            _host.SendIke(pending.Local, pending.Remote, datagram);
        }
    }
}
