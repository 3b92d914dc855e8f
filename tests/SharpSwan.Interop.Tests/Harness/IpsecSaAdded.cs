namespace SharpSwan.Interop.Tests.Harness;

/// <summary>One "added IPsec SA" event of the gateway log: its SPIs and which side created it.</summary>
public sealed record IpsecSaAdded(uint InboundSpi, uint OutboundSpi, bool CreatedBySharpSwan)
{
    public override string ToString() => $"{InboundSpi:x8}/{OutboundSpi:x8} ({(CreatedBySharpSwan ? "SharpSwan" : "peer")} created it)";
}
