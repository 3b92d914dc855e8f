using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// The check of the responder's signature in the answer to our IKE_AUTH; the SA is established, or fails, once it is
/// back (<see cref="IkeAuthExchange.CompleteResponse"/>).
/// </summary>
internal sealed class InitiatorPeerAuthComputation(IkeSa sa, PeerSignatureCheck check, IkeMessage response, AuthRequest request, string peerIdentity)
    : PeerAuthComputation(sa, check)
{
    /// <summary>The responder's IKE_AUTH answer.</summary>
    public IkeMessage Response { get; } = response;

    /// <summary>Our request it answers (with the child SA we proposed in it).</summary>
    public AuthRequest Request { get; } = request;

    public string PeerIdentity { get; } = peerIdentity;
}
