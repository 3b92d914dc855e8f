using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Simulation;

/// <summary>A child SA as the engine holds it (its bookkeeping, not the data plane's).</summary>
public sealed record ChildSaView(
    string Phase1,
    string Phase2,
    uint InboundSpi,
    uint OutboundSpi,
    ChildSaState State,
    ChildSuite Suite,
    TrafficSelector LocalSelector,
    TrafficSelector RemoteSelector)
{
    public override string ToString() =>
        $"{Phase1}/{Phase2} in={InboundSpi:x8} out={OutboundSpi:x8} {State} {Suite.DisplayName} {SelectorMath.Describe(LocalSelector)} <-> {SelectorMath.Describe(RemoteSelector)}";
}
