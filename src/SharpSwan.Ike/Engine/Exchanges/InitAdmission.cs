using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Logging;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// The responder's flood defences for a new IKE_SA_INIT (issue 11, item 3), applied before any state is kept or any
/// Diffie-Hellman work is done: from <c>ike-cookie-threshold</c> half-open SAs on, a request must return our COOKIE;
/// then no more than <c>ike-embryonic-limit</c> half-open SAs in all, nor <c>ike-embryonic-limit-per-source</c> from one
/// address. Whatever is refused is counted and published; only a COOKIE demand is answered (statelessly).
/// </summary>
internal sealed class InitAdmission(IExchangeContext context, InitCookies cookies, IkeStatistics statistics)
{
    /// <summary>
    /// IKE_SA_INIT cannot be fragmented (RFC 7383), so a real one fits a datagram: the largest SharpSwan offers or accepts
    /// (MODP-8192 key share, a 256-byte nonce, a long proposal list, NAT detection, vendor IDs) stays well under this.
    /// </summary>
    public const int MaxRequestBytes = 3072;

    /// <summary>How long a Diffie-Hellman computation that left no half-open SA (a bad key share) still counts as load.</summary>
    public static readonly TimeSpan WastedWorkWindow = TimeSpan.FromSeconds(30);

    private int _wasted;
    private DateTimeOffset _wastedSince;

    /// <summary>True when the request may be answered; false when it got a COOKIE demand or was dropped.</summary>
    public bool Admit(IkeMessage message, IPEndPoint local, IPEndPoint remote, IkeHeader header)
    {
        var limits = context.InitLimits;
        var halfOpen = context.HalfOpenCount;
        // Requests whose key share we computed for nothing count as load too: otherwise a flood of bad key shares would
        // cost a Diffie-Hellman each and never reach the threshold, since it leaves no half-open SA behind.
        if (halfOpen + RecentWaste() >= limits.CookieThreshold && !cookies.IsValid(message, remote, header.InitiatorSpi, context.Now))
        {
            DemandCookie(message, local, remote, header, halfOpen);
            return false;
        }

        if (halfOpen >= limits.EmbryonicLimit)
        {
            statistics.InitHalfOpenLimit++;
            Drop(local, remote, InitRequestDropReason.HalfOpenLimit, halfOpen);
            return false;
        }

        if (context.HalfOpenFrom(remote.Address) >= limits.EmbryonicLimitPerSource)
        {
            statistics.InitSourceLimit++;
            Drop(local, remote, InitRequestDropReason.SourceLimit, halfOpen);
            return false;
        }

        return true;
    }

    /// <summary>A Diffie-Hellman computation for a request that then failed (its key share was invalid): counted as load.</summary>
    public void CountWastedKeyExchange()
    {
        RecentWaste();
        _wasted++;
    }

    private int RecentWaste()
    {
        if (context.Now - _wastedSince >= WastedWorkWindow)
        {
            _wasted = 0;
            _wastedSince = context.Now;
        }

        return _wasted;
    }

    /// <summary>Drops an IKE_SA_INIT over <see cref="MaxRequestBytes"/> before it is decoded or copied.</summary>
    public bool AdmitSize(int length, IPEndPoint local, IPEndPoint remote)
    {
        if (length <= MaxRequestBytes)
        {
            return true;
        }

        statistics.InitTooLarge++;
        Drop(local, remote, InitRequestDropReason.TooLarge, context.HalfOpenCount);
        return false;
    }

    private void DemandCookie(IkeMessage message, IPEndPoint local, IPEndPoint remote, IkeHeader header, int halfOpen)
    {
        if (message.Payloads.Count > 0 && message.Payloads[0] is NotifyPayload { NotifyType: NotifyType.Cookie })
        {
            // A forged cookie, or one older than the previous secret: the peer gets a fresh one (RFC 7296 §2.6).
            statistics.CookiesRejected++;
        }

        statistics.CookiesSent++;
        var cookie = cookies.Make(message, remote, header.InitiatorSpi, context.Now);
        statistics.CookieSecretVersion = cookies.Version;
        if (context.Log.IsEnabled(IkeLogLevel.Negotiation))
        {
            context.Log.Global(IkeLogLevel.Negotiation, $"{halfOpen} half-open IKE SAs: asking {remote} for a COOKIE");
        }

        context.PublishGlobal(new CookieDemanded { Local = local, Remote = remote, HalfOpen = halfOpen });
        var answer = new IkeHeader(header.InitiatorSpi, 0, PayloadType.None, header.Exchange, IkeFlags.Response, header.MessageId, 0);
        context.Host.SendIke(local, remote, IkeMessageCodec.Encode(answer, [new NotifyPayload(ProtocolId.None, [], NotifyType.Cookie, cookie)]));
    }

    private void Drop(IPEndPoint local, IPEndPoint remote, InitRequestDropReason reason, int halfOpen)
    {
        if (context.Log.IsEnabled(IkeLogLevel.Negotiation))
        {
            context.Log.Global(IkeLogLevel.Negotiation, $"dropped IKE_SA_INIT from {remote}: {reason} ({halfOpen} half-open)");
        }

        context.PublishGlobal(new InitRequestDropped { Local = local, Remote = remote, Reason = reason, HalfOpen = halfOpen });
    }
}
