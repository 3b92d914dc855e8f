namespace SharpSwan.Ike.Events;

/// <summary>
/// A child SA reached its hard lifetime and left the data plane (log: <c>IPsec SA in/out expired (hard lifetime)</c>); its
/// <see cref="ChildSaDeleted"/> follows. A rekeyed SA retired after its successor took over expires the same way.
/// </summary>
public sealed record ChildSaHardExpiry : ChildSaEvent
{
    /// <summary>The byte limit (keylifekbs) was reached rather than the time.</summary>
    public required bool ByBytes { get; init; }

    /// <summary>The SA had been replaced by a rekey already (so its phase 2 lives on).</summary>
    public required bool Replaced { get; init; }
}
