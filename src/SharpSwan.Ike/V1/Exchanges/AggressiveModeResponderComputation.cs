using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Aggressive mode as responder, message 1 arrived (the SA is half-open already, so a repeat finds it and waits): our DH
/// value, g^xy and the ISAKMP SA's keys; then message 2 with HASH_R (or SIG_R) goes out
/// (<see cref="AggressiveModeResponder.CompleteFirst"/>).
/// </summary>
internal sealed class AggressiveModeResponderComputation(IkeSa sa, PhaseOneKeying keying, DiffieHellmanGroup group, byte[] privateKey, byte[] peerPublicValue, List<IsakmpPayload> answer, string peerIdentity, byte[] datagram)
    : PhaseOneComputation(sa, keying, group, privateKey, peerPublicValue)
{
    /// <summary>Message 2 so far: the chosen transform.</summary>
    public List<IsakmpPayload> Answer { get; } = answer;

    /// <summary>The initiator's ID (message 1), accepted by the phase 1; the SA takes it once keyed.</summary>
    public string PeerIdentity { get; } = peerIdentity;

    /// <summary>Message 1 as received: message 2 is kept under it.</summary>
    public byte[] Datagram { get; } = datagram;
}
