using System.Net;

namespace SharpSwan.Ike.Events;

/// <summary>A mode-cfg address is no longer in use: back in the pool (server), or no longer ours (client).</summary>
public sealed record AddressReleased : IkeEvent
{
    public required IPAddress Address { get; init; }

    /// <summary>True when it was leased to the peer (dial-up server); false when it was assigned to us.</summary>
    public required bool ToPeer { get; init; }
}
