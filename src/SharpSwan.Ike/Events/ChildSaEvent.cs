namespace SharpSwan.Ike.Events;

/// <summary>An event about one child (ESP) SA pair of a phase 2.</summary>
public abstract record ChildSaEvent : IkeEvent
{
    public required string Phase2 { get; init; }

    /// <summary>The child SA's serial (the number after the phase 2 name in the log prefix).</summary>
    public required int ChildSerial { get; init; }

    public required uint InboundSpi { get; init; }

    public required uint OutboundSpi { get; init; }
}
