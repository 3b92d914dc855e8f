namespace SharpSwan.Simulation;

public enum SimulationEventKind
{
    /// <summary>An IKE SA became established (also the successor of an IKE rekey).</summary>
    IkeUp,

    /// <summary>An established IKE SA is gone.</summary>
    IkeDown,

    ChildInstalled,

    ChildRemoved,

    /// <summary>An installed child SA became the one outbound traffic of its phase 2 uses.</summary>
    OutboundActivated,

    /// <summary>The gateway crashed and came back with a fresh engine and no SAs.</summary>
    Restarted,
}
