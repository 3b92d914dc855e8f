namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// One step of a packet that `diagnose debug flow trace` follows, numbered per packet (<see cref="TraceNumber"/>, FortiOS's
/// trace_id) in the order the trace met the packets. Made from the kernel's nftables trace by <see cref="FlowTraceInterpreter"/>.
/// </summary>
public sealed record FlowStep(int TraceNumber, FlowStepKind Kind)
{
    /// <summary>The packet (<see cref="FlowStepKind.Received"/>).</summary>
    public FlowPacket? Packet { get; init; }

    /// <summary>The interface it came in on (<see cref="FlowStepKind.Received"/>; null: this host sent it) or left by (<see cref="FlowStepKind.Sent"/>).</summary>
    public string? Interface { get; init; }

    /// <summary>The phase 1 whose tunnel the packet came from or goes into.</summary>
    public string? Tunnel { get; init; }

    /// <summary>Whether <see cref="Tunnel"/> is a policy-based one (FortiOS: tunnel) rather than route-based (interface).</summary>
    public bool PolicyBased { get; init; }

    /// <summary>The firewall policy that decided (0: the implicit deny).</summary>
    public long? PolicyId { get; init; }

    /// <summary>For an ipsec policy: encrypt (into the tunnel) or decrypt (out of it).</summary>
    public string? Action { get; init; }

    /// <summary>What the packet core did with it (<see cref="FlowStepKind.Tunnel"/>), on which phase 2 and SA, between which gateways.</summary>
    public TunnelStep? Core { get; init; }

    /// <summary>
    /// The session (connection tracking entry) it allocated or found (<see cref="FlowStepKind.NewSession"/>,
    /// <see cref="FlowStepKind.ExistingSession"/>): the serial `diagnose sys session list` shows. Null when the kernel does not say.
    /// </summary>
    public uint? SessionId { get; init; }

    /// <summary>For an existing session: whether the packet goes its reply way rather than its original way.</summary>
    public bool? ReplyDirection { get; init; }

    /// <summary>The next hop of its route (<see cref="FlowStepKind.Route"/>): the gateway, or the destination itself when on the link.</summary>
    public uint? NextHop { get; init; }

    /// <summary>Where the kernel's trace saw it: the nftables table and chain, and the rule's handle (`show function-name`).</summary>
    public string Where { get; init; } = "";

    public ulong? RuleHandle { get; init; }
}
