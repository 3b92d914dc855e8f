using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Aggressive mode as initiator, the responder authenticated: our SIG_I over HASH_I; message 3 goes out and the ISAKMP SA
/// is up once it is back (<see cref="AggressiveModeInitiator.CompleteOwnSignature"/>). Our message 1 stays outstanding
/// meanwhile, for negotiate-timeout only.
/// </summary>
internal sealed class AggressiveModeInitiatorOwnSignatureComputation(IkeSa sa, OwnSignature signature, List<IsakmpPayload> proof, string peerIdentity, byte[] datagram)
    : OwnAuthComputation(sa, signature)
{
    /// <summary>Our ID (sent in message 1 already) and CERTs; SIG_I follows them.</summary>
    public List<IsakmpPayload> Proof { get; } = proof;

    public string PeerIdentity { get; } = peerIdentity;

    /// <summary>Message 2 as received: our message 3 is kept under it.</summary>
    public byte[] Datagram { get; } = datagram;
}
