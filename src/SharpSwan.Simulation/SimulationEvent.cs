namespace SharpSwan.Simulation;

/// <summary>
/// One line of the simulation timeline. Detail carries names and SPIs, never keys; the optional properties carry the same
/// facts in structured form (for JSON output and tests).
/// </summary>
public sealed record SimulationEvent(DateTimeOffset Time, string Gateway, SimulationEventKind Kind, string Detail)
{
    /// <summary>The phase 1 (tunnel) the event concerns, if any.</summary>
    public string? Phase1 { get; init; }

    public string? Phase2 { get; init; }

    public uint? InboundSpi { get; init; }

    public uint? OutboundSpi { get; init; }

    /// <summary>IKE SPIs as "initiator/responder" in hex, for IKE events.</summary>
    public string? IkeSpis { get; init; }

    /// <summary>A child SA installed while its phase 2 already had one: the successor of a rekey.</summary>
    public bool IsRekey { get; init; }

    /// <summary>Packets concerned (trigger queue events).</summary>
    public int? Packets { get; init; }

    public static string KindName(SimulationEventKind kind) => kind switch
    {
        SimulationEventKind.IkeUp => "ike-up",
        SimulationEventKind.IkeDown => "ike-down",
        SimulationEventKind.ChildInstalled => "child-installed",
        SimulationEventKind.ChildRemoved => "child-removed",
        SimulationEventKind.OutboundActivated => "outbound-activated",
        SimulationEventKind.Restarted => "restarted",
        SimulationEventKind.Crashed => "crashed",
        SimulationEventKind.TriggerQueueReleased => "trigger-queue-released",
        SimulationEventKind.TriggerQueueDropped => "trigger-queue-dropped",
        SimulationEventKind.ConfigurationApplied => "configuration-applied",
        SimulationEventKind.SequenceSoftLimit => "sequence-soft-limit",
        SimulationEventKind.SequenceExhausted => "sequence-exhausted",
        _ => kind.ToString(),
    };

    public override string ToString() => $"{Time:HH:mm:ss.fff} {Gateway} {KindName(Kind)} {Detail}";
}
