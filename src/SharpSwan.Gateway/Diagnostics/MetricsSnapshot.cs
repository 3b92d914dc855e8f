namespace SharpSwan.Gateway.Diagnostics;

/// <summary>Engine and data-plane state read on the engine thread once per scrape, for the observable instruments.</summary>
public sealed record MetricsSnapshot(
    int TunnelsUp,
    int TunnelsDown,
    int IkeSas,
    int ChildSas,
    IReadOnlyList<TunnelTrafficCounters> Tunnels,
    long InvalidPackets,
    long PacketErrors,
    long ThreadRestarts)
{
    /// <summary>IKE SAs that answered an IKE_SA_INIT and wait for IKE_AUTH (the flood defences' measure).</summary>
    public int HalfOpenIkeSas { get; init; }
}
