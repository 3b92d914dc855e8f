using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Simulation;

/// <summary>A snapshot of a <see cref="SharpSwan.Esp.Core.ChildSaPath"/> (an SA in the packet core), with its ESP counters.</summary>
public sealed record ChildSaPathView(
    string Phase1,
    string Phase2,
    uint InboundSpi,
    uint OutboundSpi,
    ChildSuite Suite,
    TrafficSelector LocalSelector,
    TrafficSelector RemoteSelector,
    bool IsActiveOutbound,
    long PacketsIn,
    long PacketsOut)
{
    public override string ToString() =>
        $"{Phase1}/{Phase2} in={InboundSpi:x8} out={OutboundSpi:x8}{(IsActiveOutbound ? " active" : string.Empty)} {Suite.DisplayName} {SelectorMath.Describe(LocalSelector)} <-> {SelectorMath.Describe(RemoteSelector)} rx={PacketsIn} tx={PacketsOut}";
}
