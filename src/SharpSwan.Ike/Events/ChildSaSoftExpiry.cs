namespace SharpSwan.Ike.Events;

/// <summary>A child SA reached its soft lifetime (time, bytes or, outbound, sequence numbers).</summary>
public sealed record ChildSaSoftExpiry : ChildSaEvent
{
    /// <summary>True when a rekey starts now; false when the SA is idle and left to run to its hard lifetime.</summary>
    public required bool Rekeying { get; init; }

    /// <summary>The byte limit (keylifekbs) was reached rather than the time.</summary>
    public required bool ByBytes { get; init; }

    /// <summary>The outbound SA's 32-bit sequence number passed its soft point: rekeyed so it never runs out (issue 11).</summary>
    public bool BySequence { get; init; }

    /// <summary>True for the later traffic-triggered rekey of an SA that was first left idle at its soft point.</summary>
    public bool TrafficAfterSoft { get; init; }
}
