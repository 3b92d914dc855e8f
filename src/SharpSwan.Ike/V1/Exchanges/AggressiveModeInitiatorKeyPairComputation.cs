using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Our key pair for aggressive mode message 1 (expensive for MODP groups); message 1 goes out once it is back
/// (<see cref="AggressiveModeInitiator.CompleteKeyPair"/>).
/// </summary>
internal sealed class AggressiveModeInitiatorKeyPairComputation(IkeSa sa, DiffieHellmanGroup group, byte[] privateKey, SecurityAssociationPayload offer)
    : KeyExchangeComputation(sa, group, privateKey)
{
    /// <summary>Our offer for message 1 (built with the state, before the wait).</summary>
    public SecurityAssociationPayload Offer { get; } = offer;
}
