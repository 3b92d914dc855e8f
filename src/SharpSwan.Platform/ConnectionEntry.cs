namespace SharpSwan.Platform;

/// <summary>
/// One IPv4 entry of the kernel's connection tracking table, by its original direction (FortiOS: a session's source and
/// destination). <see cref="HasPorts"/> is false for protocols without ports (ICMP, GRE...), whose ports read 0.
/// </summary>
/// <param name="Source">Source address, host byte order.</param>
/// <param name="Destination">Destination address, host byte order.</param>
/// <param name="Identity">The entry's tuple and id attributes as the kernel sent them: what deletes exactly this entry.</param>
public sealed record ConnectionEntry(byte Protocol, uint Source, uint Destination, ushort SourcePort, ushort DestinationPort, bool HasPorts, byte[] Identity)
{
    /// <summary>The kernel's id of the entry (FortiOS shows a session's as its serial).</summary>
    public uint Id { get; init; }

    /// <summary>The reply direction's addresses and ports (they differ from the original's reversed when NAT applies).</summary>
    public uint ReplySource { get; init; }

    public uint ReplyDestination { get; init; }

    public ushort ReplySourcePort { get; init; }

    public ushort ReplyDestinationPort { get; init; }

    /// <summary>ICMP echo: the identifier and type of the original direction (null for other protocols).</summary>
    public (ushort Identifier, byte Type)? Icmp { get; init; }

    /// <summary>Whether a packet was seen in the reply direction (IPS_SEEN_REPLY).</summary>
    public bool SeenReply { get; init; }

    /// <summary>TCP: the kernel's state (TCP_CONNTRACK_*); null for other protocols.</summary>
    public byte? TcpState { get; init; }

    /// <summary>Seconds left before the entry expires if no packet comes.</summary>
    public uint? ExpiresInSeconds { get; init; }

    /// <summary>The conntrack mark (an ipsec policy's tunnel mark, or 0).</summary>
    public uint Mark { get; init; }

    /// <summary>The firewall policy that admitted it (<see cref="PolicyLabel"/>); null when no policy decided it (local-in, or older).</summary>
    public long? PolicyId { get; init; }

    /// <summary>Packets and bytes each way, when the kernel counts them (<c>net.netfilter.nf_conntrack_acct</c>).</summary>
    public (ulong Packets, ulong Bytes)? OriginalCounters { get; init; }

    public (ulong Packets, ulong Bytes)? ReplyCounters { get; init; }
}
