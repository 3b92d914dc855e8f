namespace SharpSwan.Ike.Events;

/// <summary>A phase 2 has no child SA left on any IKE SA of its tunnel (log: <c>phase2 name down (reason)</c>).</summary>
public sealed record Phase2Down : IkeEvent
{
    public required string Phase2 { get; init; }

    public required string Reason { get; init; }
}
