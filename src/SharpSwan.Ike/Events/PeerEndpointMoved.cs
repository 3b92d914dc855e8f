using System.Net;

namespace SharpSwan.Ike.Events;

/// <summary>
/// An authenticated IKE message came from a new address or port of the peer (its NAT mapping changed, or it floated to
/// UDP 4500): the IKE SA and its child SAs' ESP now go to <see cref="IkeEvent.Remote"/> (RFC 7296 §2.23).
/// </summary>
public sealed record PeerEndpointMoved : IkeEvent
{
    public required IPEndPoint Previous { get; init; }

    /// <summary>Child SAs whose ESP destination moved with it.</summary>
    public required int ChildSas { get; init; }
}
