namespace SharpSwan.Simulation;

/// <summary>
/// What <see cref="LifecycleInvariants.Check"/> found: broken invariants and the traffic measured around rekeys.
/// <see cref="Rekeys"/> counts successor SAs installed on every gateway, so one rekey between two gateways counts twice.
/// </summary>
public sealed record InvariantReport(
    IReadOnlyList<string> Violations,
    int Rekeys,
    long PacketsOffered,
    long PacketsDuringRekeys,
    long PacketsLost,
    long PacketsLostDuringRekeys,
    long NetworkLosses)
{
    public bool Holds => Violations.Count == 0;

    /// <summary>Packets that died with their SA's hard expiry (sent just before it): not counted as rekey losses.</summary>
    public long PacketsLostToExpiry { get; init; }

    /// <summary>The longest time two SAs for one selector (or two IKE SAs for one tunnel) coexisted, settled or not.</summary>
    public TimeSpan LongestDuplicate { get; init; }

    public override string ToString() =>
        $"{Rekeys} rekeyed child SAs installed (each end counts); {PacketsOffered} packets offered, {PacketsDuringRekeys} during rekeys, {PacketsLostDuringRekeys} of them lost; " +
        $"{PacketsLost} lost in all ({PacketsLostToExpiry} with an expiring SA); network dropped {NetworkLosses} datagrams; {(Holds ? "invariants hold" : $"{Violations.Count} violation(s)")}";
}
