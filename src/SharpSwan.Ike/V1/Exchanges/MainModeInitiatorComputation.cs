using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Main mode as initiator, message 4 (the responder's KE and nonce) arrived: g^xy with the key exchange of our message 3,
/// and the ISAKMP SA's keys. Our message 3 stays outstanding meanwhile; then message 5 follows
/// (<see cref="MainModeInitiator.CompleteFourth"/>).
/// </summary>
internal sealed class MainModeInitiatorComputation(IkeSa sa, PhaseOneKeying keying, KeyExchange ours, byte[] peerPublicValue, IsakmpMessage fourth)
    : PhaseOneComputation(sa, keying, ours, peerPublicValue)
{
    /// <summary>Message 4, for its NAT-D payloads.</summary>
    public IsakmpMessage Fourth { get; } = fourth;
}
