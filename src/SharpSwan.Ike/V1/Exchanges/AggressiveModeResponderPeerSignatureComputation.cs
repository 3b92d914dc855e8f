using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Aggressive mode as responder, message 3 arrived: the initiator's certificate chain and SIG_I; the verdict and the ISAKMP
/// SA follow once it is back (<see cref="AggressiveModeResponder.CompletePeerSignature"/>). A repeated message 3 meanwhile
/// is ignored.
/// </summary>
internal sealed class AggressiveModeResponderPeerSignatureComputation(IkeSa sa, PeerSignatureCheck check, IsakmpMessage third, byte[] nextIv)
    : PeerAuthComputation(sa, check)
{
    /// <summary>Message 3 (decrypted, or in clear), for its NAT-D payloads and INITIAL-CONTACT.</summary>
    public IsakmpMessage Third { get; } = third;

    /// <summary>The phase-1 IV after message 3.</summary>
    public byte[] NextIv { get; } = nextIv;
}
