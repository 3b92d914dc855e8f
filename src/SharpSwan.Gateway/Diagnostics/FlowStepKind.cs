namespace SharpSwan.Gateway.Diagnostics;

/// <summary>What one step of a traced packet was (`diagnose debug flow`).</summary>
public enum FlowStepKind
{
    /// <summary>The packet arrived (from an interface, a tunnel, or this host).</summary>
    Received,

    /// <summary>It belongs to a connection the policies already decided (a conntrack entry exists).</summary>
    ExistingSession,

    /// <summary>It starts a connection: the policies decide it.</summary>
    NewSession,

    /// <summary>It is addressed to this gateway and did not come through a tunnel: not governed by forward policies.</summary>
    LocalIn,

    /// <summary>The gateway's own IKE or ESP: never governed by policies, never into a tunnel.</summary>
    GatewayTraffic,

    /// <summary>A policy accepted it (<see cref="FlowStep.PolicyId"/>; <see cref="FlowStep.Action"/> encrypt or decrypt for ipsec policies).</summary>
    Allowed,

    /// <summary>A deny policy, or the implicit deny (policy 0), dropped it.</summary>
    Denied,

    /// <summary>The packet core took it from a tunnel's device: encrypted, held, or dropped (<see cref="FlowStep.Outcome"/>).</summary>
    Tunnel,

    /// <summary>The route it found on its way out: the next hop (<see cref="FlowStep.NextHop"/>) and the interface.</summary>
    Route,

    /// <summary>It left through an interface (<see cref="FlowStep.Interface"/>; a tunnel when <see cref="FlowStep.Tunnel"/> is set).</summary>
    Sent,
}
