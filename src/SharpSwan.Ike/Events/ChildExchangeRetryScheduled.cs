using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Events;

/// <summary>
/// The peer answered our CREATE_CHILD_SA with a transient error and we try again shortly (log: <c>peer answered
/// TEMPORARY_FAILURE for p2, retrying in ns</c>).
/// </summary>
public sealed record ChildExchangeRetryScheduled : IkeEvent
{
    public required string Phase2 { get; init; }
    public required NotifyType Notify { get; init; }
    public required TimeSpan Delay { get; init; }
}
