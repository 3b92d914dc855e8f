using System.Net;
using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>Our one outstanding request on an IKE SA (window size 1) with its retransmission schedule.</summary>
internal sealed class PendingRequest
{
    /// <summary>The IKEv2 exchange; null for an IKEv1 message, whose exchange types are another registry.</summary>
    public ExchangeType? Exchange { get; init; }

    public required uint MessageId { get; init; }

    public required byte[] Datagram { get; set; }

    /// <summary>Every fragment when the request went out fragmented (RFC 7383): a retransmission resends them all.</summary>
    public IReadOnlyList<byte[]>? Fragments { get; init; }

    public required IPEndPoint Local { get; set; }

    public required IPEndPoint Remote { get; set; }

    /// <summary>What the request was for: decides what its answer or its timeout does.</summary>
    public required SentRequest Request { get; init; }

    public required string Label { get; init; }

    public int Retransmits { get; set; }

    /// <summary>Retry at this fixed interval instead of the doubling back-off (DPD: dpd-retryinterval).</summary>
    public TimeSpan? FixedInterval { get; init; }

    /// <summary>Retransmissions before giving up, instead of the engine default (DPD: dpd-retrycount).</summary>
    public int? Limit { get; init; }

    /// <summary>When the next transmission (or the giving up) is due: the nominal time plus its jitter.</summary>
    public DateTimeOffset NextRetransmit { get; set; }

    /// <summary>The next transmission's place on the nominal (unjittered) schedule.</summary>
    public DateTimeOffset NominalNext { get; set; }

    /// <summary>Give up at this time regardless of the retransmit count (negotiate-timeout for a new IKE SA).</summary>
    public DateTimeOffset? Deadline { get; set; }
}
