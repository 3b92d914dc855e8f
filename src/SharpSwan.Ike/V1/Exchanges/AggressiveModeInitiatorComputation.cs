using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Aggressive mode as initiator, message 2 arrived: g^xy with the key exchange of our message 1, and the ISAKMP SA's keys.
/// Our message 1 stays outstanding meanwhile; then HASH_R (or SIG_R) is checked and message 3 sent
/// (<see cref="AggressiveModeInitiator.CompleteSecond"/>).
/// </summary>
internal sealed class AggressiveModeInitiatorComputation(IkeSa sa, PhaseOneKeying keying, KeyExchange ours, byte[] peerPublicValue, IsakmpMessage second, IdentificationPayload peerId, HashPayload? hash, byte[] datagram)
    : PhaseOneComputation(sa, keying, ours, peerPublicValue)
{
    public IsakmpMessage Second { get; } = second;

    /// <summary>The responder's ID, which HASH_R (or SIG_R) covers.</summary>
    public IdentificationPayload PeerId { get; } = peerId;

    /// <summary>HASH_R; null with signatures.</summary>
    public HashPayload? Hash { get; } = hash;

    /// <summary>Message 2 as received: our message 3 is kept under it.</summary>
    public byte[] Datagram { get; } = datagram;
}
