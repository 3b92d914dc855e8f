namespace SharpSwan.Simulation;

/// <summary>One line of the simulation timeline. Detail carries names and SPIs, never keys.</summary>
public sealed record SimulationEvent(DateTimeOffset Time, string Gateway, SimulationEventKind Kind, string Detail)
{
    public static string KindName(SimulationEventKind kind) => kind switch
    {
        SimulationEventKind.IkeUp => "ike-up",
        SimulationEventKind.IkeDown => "ike-down",
        SimulationEventKind.ChildInstalled => "child-installed",
        SimulationEventKind.ChildRemoved => "child-removed",
        SimulationEventKind.OutboundActivated => "outbound-activated",
        SimulationEventKind.Restarted => "restarted",
        _ => kind.ToString(),
    };

    public override string ToString() => $"{Time:HH:mm:ss.fff} {Gateway} {KindName(Kind)} {Detail}";
}
