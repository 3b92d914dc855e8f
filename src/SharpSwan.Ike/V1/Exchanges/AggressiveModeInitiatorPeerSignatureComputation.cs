using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Aggressive mode as initiator, keyed after message 2: the responder's certificate chain and SIG_R; the verdict, its ID and
/// our message 3 follow once it is back (<see cref="AggressiveModeInitiator.CompletePeerSignature"/>). Our message 1 stays
/// outstanding meanwhile, for negotiate-timeout only.
/// </summary>
internal sealed class AggressiveModeInitiatorPeerSignatureComputation(IkeSa sa, PeerSignatureCheck check, IsakmpMessage second, IdentificationPayload peerId, byte[] datagram)
    : PeerAuthComputation(sa, check)
{
    /// <summary>Message 2, for its NAT-D payloads.</summary>
    public IsakmpMessage Second { get; } = second;

    /// <summary>The responder's ID, which SIG_R covers.</summary>
    public IdentificationPayload PeerId { get; } = peerId;

    /// <summary>Message 2 as received: our message 3 is kept under it.</summary>
    public byte[] Datagram { get; } = datagram;
}
