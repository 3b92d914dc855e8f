using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Main mode as responder, message 3 (the initiator's KE and nonce) arrived: our DH value, g^xy and the ISAKMP SA's keys.
/// Message 4 is built and sent (and kept for a repeated message 3) once they are back
/// (<see cref="MainModeResponder.CompleteThird"/>).
/// </summary>
internal sealed class MainModeResponderComputation(IkeSa sa, PhaseOneKeying keying, DiffieHellmanGroup group, byte[] privateKey, byte[] peerPublicValue, IsakmpMessage third, byte[] datagram)
    : PhaseOneComputation(sa, keying, group, privateKey, peerPublicValue)
{
    /// <summary>Message 3, for its NAT-D payloads.</summary>
    public IsakmpMessage Third { get; } = third;

    /// <summary>Message 3 as received: our answer is kept under it.</summary>
    public byte[] Datagram { get; } = datagram;
}
