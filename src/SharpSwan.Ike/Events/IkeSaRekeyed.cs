namespace SharpSwan.Ike.Events;

/// <summary>
/// An IKE SA was replaced by a rekey (log: <c>IKE SA rekeyed[ by peer]: old -> new</c>). The child SAs moved to the new SA;
/// <see cref="IkeEvent.IkeSerial"/> is the new SA's serial. The old SA's deletion follows as <see cref="IkeSaDeleted"/>
/// with reason <c>rekeyed</c>.
/// </summary>
public sealed record IkeSaRekeyed : IkeEvent
{
    /// <summary>SPIs (<c>i/r</c>) of the replaced IKE SA.</summary>
    public required string OldSpis { get; init; }

    public required int OldSerial { get; init; }

    /// <summary>SPIs (<c>i/r</c>) of the new IKE SA.</summary>
    public required string NewSpis { get; init; }

    /// <summary>True when the peer started the rekey (or won a rekey collision).</summary>
    public required bool ByPeer { get; init; }
}
