using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.V1.Exchanges;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Dead peer detection on both versions through one window: IKEv2 probes with an empty INFORMATIONAL, IKEv1 with an
/// RFC 3706 R-U-THERE. Either is our one outstanding request, retried every `dpd-retryinterval` up to `dpd-retrycount`
/// times, and its timeout is the same DPD failure.
/// </summary>
public sealed partial class IkeEngine
{
    private IsakmpDeadPeerDetection? _isakmpDpd;

    private IsakmpDeadPeerDetection IsakmpDpd => _isakmpDpd ??= new IsakmpDeadPeerDetection(this, IsakmpInfo);

    void IExchangeContext.SendLivenessProbe(IkeSa sa, LivenessRequest request, TimeSpan interval)
    {
        if (sa.V1 is null)
        {
            SendRequest(sa, ExchangeType.Informational, [], "DPD", request, fixedInterval: interval, limit: request.Probes);
            return;
        }

        var datagram = IsakmpDpd.NextProbe(sa, retry: false);
        var now = Now;
        sa.Window.Outstanding = new PendingRequest
        {
            MessageId = 0,
            Datagram = datagram,
            Local = sa.Local,
            Remote = sa.Remote,
            Request = request,
            Label = "DPD",
            FixedInterval = interval,
            Limit = request.Probes,
            NominalNext = now + interval,
            NextRetransmit = now + interval,
        };
        ((IIsakmpContext)this).SendIsakmp(sa, datagram, "R-U-THERE");
    }

    /// <summary>An IKEv1 probe retry due now goes out as a new R-U-THERE with the next sequence number.</summary>
    private void RenewIsakmpProbe(IkeSa sa, DateTimeOffset now)
    {
        if (sa.V1 is { } && sa.Window.Outstanding is { Request: LivenessRequest } pending && now >= pending.NextRetransmit &&
            pending.Retransmits < (pending.Limit ?? _options.RetransmitLimit))
        {
            pending.Datagram = IsakmpDpd.NextProbe(sa, retry: true);
        }
    }

    void IIsakmpContext.DpdAcknowledged(IkeSa sa, NotificationPayload ack)
    {
        if (sa.Window.Outstanding is { Request: LivenessRequest } && IsakmpDeadPeerDetection.Answers(sa.V1!, ack))
        {
            sa.Window.Outstanding = null;
            _liveness.Answered(sa);
            PumpQueue(sa);
            return;
        }

        _log.Sa(IkeLogLevel.Negotiation, sa.Tunnel.Name, sa.Serial, "DPD: R-U-THERE-ACK answers no probe of ours, ignored");
    }
}
