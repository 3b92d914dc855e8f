using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Main mode as initiator, message 6 arrived: the responder's certificate chain and SIG_R; the verdict, its ID and the
/// ISAKMP SA follow once it is back (<see cref="MainModeInitiator.CompletePeerSignature"/>). Our message 5 stays outstanding
/// meanwhile, for negotiate-timeout only.
/// </summary>
internal sealed class MainModeInitiatorPeerSignatureComputation(IkeSa sa, PeerSignatureCheck check, IdentificationPayload peerId, byte[] nextIv)
    : PeerAuthComputation(sa, check)
{
    /// <summary>The responder's ID in message 6.</summary>
    public IdentificationPayload PeerId { get; } = peerId;

    /// <summary>The phase-1 IV after message 6, taken once the SA is up.</summary>
    public byte[] NextIv { get; } = nextIv;
}
