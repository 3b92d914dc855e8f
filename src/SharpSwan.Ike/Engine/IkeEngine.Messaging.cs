using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>Requests, responses, the one-request window and retransmission.</summary>
public sealed partial class IkeEngine
{
    /// <summary>Runs start now if the request window is free, else after the outstanding exchange ends.</summary>
    private void Enqueue(IkeSa sa, Action start)
    {
        if (sa.Outstanding is null && sa.State == IkeSaState.Established)
        {
            start();
        }
        else
        {
            sa.Queue.Enqueue(start);
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
        while (sa.Outstanding is null && sa.State == IkeSaState.Established && sa.Queue.Count > 0)
        {
            sa.Queue.Dequeue()();
        }
    }

    private void SendRequest(IkeSa sa, ExchangeType exchange, IReadOnlyList<IkePayload> payloads, string label, Action<IkeMessage> onResponse, Action onTimeout, TimeSpan? fixedInterval = null, int? limit = null)
    {
        var id = sa.NextRequestId++;
        var flags = sa.IsOriginalInitiator ? IkeFlags.Initiator : IkeFlags.None;
        var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.None, exchange, flags, id, 0);
        var bytes = exchange == ExchangeType.IkeSaInit
            ? IkeMessageCodec.Encode(header, payloads)
            : IkeMessageCodec.EncodeProtected(header, payloads, sa.Outbound!);
        var now = Now;
        sa.Outstanding = new PendingRequest
        {
            Exchange = exchange,
            MessageId = id,
            Datagram = bytes,
            Local = sa.Local,
            Remote = sa.Remote,
            OnResponse = onResponse,
            OnTimeout = onTimeout,
            Label = label,
            NextRetransmit = now + (fixedInterval ?? options.RetransmitTimeout),
            FixedInterval = fixedInterval,
            Limit = limit,
        };
        Transmit(sa, bytes, exchange, isResponse: false);
    }

    private void Respond(IkeSa sa, IkeHeader request, IReadOnlyList<IkePayload> payloads)
    {
        var flags = IkeFlags.Response | (sa.IsOriginalInitiator ? IkeFlags.Initiator : IkeFlags.None);
        var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.None, request.Exchange, flags, request.MessageId, 0);
        var bytes = IkeMessageCodec.EncodeProtected(header, payloads, sa.Outbound!);
        sa.LastResponseId = request.MessageId;
        sa.LastResponse = bytes;
        sa.NextExpectedRequestId = request.MessageId + 1;
        Transmit(sa, bytes, request.Exchange, isResponse: true);
    }

    private void Transmit(IkeSa sa, byte[] bytes, ExchangeType exchange, bool isResponse)
    {
        if (log.IsEnabled(IkeLogLevel.Packet))
        {
            var kind = isResponse ? "response" : "request";
            log.Sa(IkeLogLevel.Packet, sa.Tunnel.Name, sa.Serial, $"sent IKE msg ({ExchangeName(exchange)}): {sa.Local}->{sa.Remote}, len={bytes.Length}, {kind}, id={sa.SpiText}");
        }

        host.SendIke(sa.Local, sa.Remote, bytes);
    }

    /// <summary>Retransmits or gives up on outstanding requests whose time has come.</summary>
    private void CheckRetransmissions(IkeSa sa, DateTimeOffset now)
    {
        if (sa.Outstanding is not { } pending || now < pending.NextRetransmit)
        {
            return;
        }

        var expired = pending.Retransmits >= (pending.Limit ?? options.RetransmitLimit) || (pending.Deadline is { } deadline && now >= deadline);
        if (expired)
        {
            log.Sa(IkeLogLevel.Event, sa.Tunnel.Name, sa.Serial, $"{pending.Label}: no response from {sa.Remote} after {pending.Retransmits} retransmissions, giving up");
            Publish(sa, new ExchangeTimedOut { Exchange = pending.Label, Retransmits = pending.Retransmits });
            sa.Outstanding = null;
            pending.OnTimeout();
            return;
        }

        pending.Retransmits++;
        var backoff = pending.FixedInterval ?? options.RetransmitTimeout * Math.Pow(2, pending.Retransmits);
        pending.NextRetransmit = now + backoff;
        if (pending.Deadline is { } limit && pending.NextRetransmit > limit)
        {
            pending.NextRetransmit = limit;
        }

        log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, $"{pending.Label}: retransmission {pending.Retransmits} to {pending.Remote}");
        host.SendIke(pending.Local, pending.Remote, pending.Datagram);
    }
}
