using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Engine.Exchanges;

namespace SharpSwan.Ike.Tests.Support;

/// <summary>Which computations a test holds (<see cref="SharpSwan.Testing.EngineNetwork.Node.HoldComputations"/>).</summary>
public static class Held
{
    /// <summary>All but our own key pairs when we initiate (those the engine makes inline), for tests about the steps after them.</summary>
    public static bool AllButKeyPairs(EngineComputation computation) =>
        computation is not (InitiatorSaInitKeyPairComputation or InitiatorChildKeyPairComputation or InitiatorIkeRekeyKeyPairComputation);
}
