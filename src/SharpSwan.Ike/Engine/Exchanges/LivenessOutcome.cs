namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>What a liveness check found, for the SA manager to act on.</summary>
internal enum LivenessOutcome
{
    /// <summary>Nothing to do now.</summary>
    Nothing,

    /// <summary>A probe is out; its answer or timeout comes back through the window.</summary>
    Probing,

    /// <summary>No traffic for idle-timeout: the SA manager brings the tunnel down.</summary>
    Idle,
}
