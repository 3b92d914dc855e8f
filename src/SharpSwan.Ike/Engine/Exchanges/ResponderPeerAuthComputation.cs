using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// The check of the initiator's signature in its IKE_AUTH request; we sign our answer, or refuse, once it is back
/// (<see cref="Exchanges.IkeAuthExchange.CompleteRequest(ResponderPeerAuthComputation)"/>).
/// </summary>
internal sealed class ResponderPeerAuthComputation(IkeSa sa, PeerSignatureCheck check, IkeMessage request, string peerIdentity)
    : PeerAuthComputation(sa, check)
{
    /// <summary>The peer's IKE_AUTH request.</summary>
    public IkeMessage Request { get; } = request;

    public string PeerIdentity { get; } = peerIdentity;
}
