using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;

namespace SharpSwan.Simulation;

/// <summary>An IKE SA as the engine holds it, copied out so tests can compare both ends.</summary>
public sealed record IkeSaView(
    string Phase1,
    ulong InitiatorSpi,
    ulong ResponderSpi,
    IkeSaState State,
    bool IsOriginalInitiator,
    IkeSuite? Suite,
    int ChildCount)
{
    public override string ToString() =>
        $"{Phase1} {InitiatorSpi:x16}/{ResponderSpi:x16} {State} {(IsOriginalInitiator ? "initiator" : "responder")} {Suite?.DisplayName} children={ChildCount}";
}
