using System.Net;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>Our one outstanding request on an IKE SA (window size 1) with its retransmission schedule.</summary>
public sealed class PendingRequest
{
    public required ExchangeType Exchange { get; init; }

    public required uint MessageId { get; init; }

    public required byte[] Datagram { get; set; }

    public required IPEndPoint Local { get; set; }

    public required IPEndPoint Remote { get; set; }

    public required Action<IkeMessage> OnResponse { get; init; }

    public required Action OnTimeout { get; init; }

    public required string Label { get; init; }

    public int Retransmits { get; set; }

    /// <summary>Retry at this fixed interval instead of the doubling back-off (DPD: dpd-retryinterval).</summary>
    public TimeSpan? FixedInterval { get; init; }

    /// <summary>Retransmissions before giving up, instead of the engine default (DPD: dpd-retrycount).</summary>
    public int? Limit { get; init; }

    public DateTimeOffset NextRetransmit { get; set; }

    /// <summary>Give up at this time regardless of the retransmit count (negotiate-timeout for a new IKE SA).</summary>
    public DateTimeOffset? Deadline { get; set; }
}
