using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Main mode as responder, message 5 arrived: the initiator's certificate chain and SIG_I; the verdict, its ID and our
/// message 6 follow once it is back (<see cref="MainModeResponder.CompletePeerSignature"/>). A repeated message 5 meanwhile
/// is ignored.
/// </summary>
internal sealed class MainModeResponderPeerSignatureComputation(IkeSa sa, PeerSignatureCheck check, IsakmpMessage fifth, IdentificationPayload peerId, byte[] nextIv, byte[] datagram)
    : PeerAuthComputation(sa, check)
{
    /// <summary>Message 5, decrypted (for its INITIAL-CONTACT).</summary>
    public IsakmpMessage Fifth { get; } = fifth;

    /// <summary>The initiator's ID in message 5.</summary>
    public IdentificationPayload PeerId { get; } = peerId;

    /// <summary>The phase-1 IV after message 5.</summary>
    public byte[] NextIv { get; } = nextIv;

    /// <summary>Message 5 as received: message 6 is kept under it.</summary>
    public byte[] Datagram { get; } = datagram;
}
