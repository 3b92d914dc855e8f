namespace SharpSwan.Web.Monitoring;

/// <summary>One event on a tunnel's timeline; <paramref name="Selector"/> is the phase 2, null for phase 1 events.</summary>
public sealed record TimelineEvent(DateTimeOffset At, string Tunnel, string? Selector, TimelineEventKind Kind, string Detail);
