using System.Net;

namespace SharpSwan.Ike.Events;

/// <summary>
/// A mode-cfg address: as server, leased to the peer of a dial-up instance (log: <c>mode-cfg: assigned a to peer ...</c>);
/// as client, given to us by the server (log: <c>mode-cfg: server assigned a</c>).
/// </summary>
public sealed record AddressAssigned : IkeEvent
{
    public required IPAddress Address { get; init; }

    /// <summary>True when we lease it to the peer (dial-up server); false when the server assigned it to us.</summary>
    public required bool ToPeer { get; init; }

    public string? PeerIdentity { get; init; }

    /// <summary>The IPv4 DNS servers the same mode-cfg reply carried (pushed to the peer, or pushed to us).</summary>
    public IReadOnlyList<IPAddress> DnsServers { get; init; } = [];
}
