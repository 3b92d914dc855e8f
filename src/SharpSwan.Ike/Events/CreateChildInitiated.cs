namespace SharpSwan.Ike.Events;

/// <summary>
/// We sent a CREATE_CHILD_SA request for a phase 2 (log: <c>initiating CREATE_CHILD exchange for p2</c> or <c>... to rekey p2
/// SPI s</c>). Its outcome follows as <see cref="ChildSaInstalled"/> or <see cref="NegotiationFailed"/>.
/// </summary>
public sealed record CreateChildInitiated : IkeEvent
{
    public required string Phase2 { get; init; }
    /// <summary>For a rekey: the inbound SPI of the SA being rekeyed; null for a new SA.</summary>
    public uint? RekeyOf { get; init; }
    public bool IsRekey => RekeyOf is not null;
}
