namespace SharpSwan.Platform;

/// <summary>
/// One step of a packet through the nftables rules of this namespace, as the kernel traces it for a packet whose trace flag
/// a rule set (<c>meta nftrace set 1</c>): every step of one packet carries the same <see cref="TraceId"/>. The packet's
/// headers and interfaces come once per base chain it enters (on this kernel, in an event of their own, with no rule handle).
/// </summary>
public sealed record FlowTraceEvent(uint TraceId, FlowTraceKind Kind, string Table, string Chain)
{
    /// <summary>The rule's handle (<see cref="FlowTraceKind.Rule"/>).</summary>
    public ulong? RuleHandle { get; init; }

    public FlowTraceVerdict? Verdict { get; init; }

    /// <summary>The chain a jump or goto went to.</summary>
    public string? JumpTarget { get; init; }

    /// <summary>The interface the packet came in on (by name, resolved when the event arrived), where the hook has one.</summary>
    public string? InputInterface { get; init; }

    /// <summary>The interface the packet goes out on, where the hook has one (output, forward, postrouting).</summary>
    public string? OutputInterface { get; init; }

    /// <summary>The packet's mark.</summary>
    public uint? Mark { get; init; }

    /// <summary>
    /// The id of the connection tracking entry the packet belongs to (the one `conntrack -L -o id` and `diagnose sys session
    /// list` show), from the hooks after connection tracking; null before it, or on kernels older than 6.10.
    /// </summary>
    public uint? ConnectionId { get; init; }

    /// <summary>Whether the packet goes the connection's reply way (true) or its original way (false); null with no connection.</summary>
    public bool? ReplyDirection { get; init; }

    /// <summary>The start of the network header (the IPv4 header with its options), when this step carries the packet.</summary>
    public byte[]? NetworkHeader { get; init; }

    /// <summary>The start of the transport header (TCP, UDP, ICMP...), when this step carries the packet.</summary>
    public byte[]? TransportHeader { get; init; }
}
