using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Main mode as responder, the initiator authenticated: our SIG_R over HASH_R; message 6 goes out and the ISAKMP SA is up
/// once it is back (<see cref="MainModeResponder.CompleteOwnSignature"/>).
/// </summary>
internal sealed class MainModeResponderOwnSignatureComputation(IkeSa sa, OwnSignature signature, List<IsakmpPayload> proof, string peerIdentity, bool initialContact, byte[] datagram)
    : OwnAuthComputation(sa, signature)
{
    /// <summary>Message 6 so far: our ID and CERTs; SIG_R follows them.</summary>
    public List<IsakmpPayload> Proof { get; } = proof;

    public string PeerIdentity { get; } = peerIdentity;

    /// <summary>Message 5 carried INITIAL-CONTACT.</summary>
    public bool InitialContact { get; } = initialContact;

    /// <summary>Message 5 as received: message 6 is kept under it.</summary>
    public byte[] Datagram { get; } = datagram;
}
