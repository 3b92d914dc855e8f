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

    /// <summary>The gateway came back (after a crash) with a fresh engine and no SAs.</summary>
    Restarted,

    /// <summary>The gateway crashed: engine and SAs gone without a word to the peer, off the network until it boots.</summary>
    Crashed,

    /// <summary>Packets held by the trigger queue were sent through the newly installed SA.</summary>
    TriggerQueueReleased,

    /// <summary>Packets held by the trigger queue were dropped: negotiation failed or took too long.</summary>
    TriggerQueueDropped,

    /// <summary>A new configuration was applied to the running engine.</summary>
    ConfigurationApplied,

    /// <summary>An outbound SA passed its sequence-number soft point: the engine was told to rekey it.</summary>
    SequenceSoftLimit,

    /// <summary>An outbound SA used its last sequence number: it drops what it cannot number until its successor takes over.</summary>
    SequenceExhausted,
}
