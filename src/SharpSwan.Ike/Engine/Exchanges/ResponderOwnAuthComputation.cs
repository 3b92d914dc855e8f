using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// The signature of our answer to the peer's IKE_AUTH, whose own AUTH checked out; the SA is established and answered once
/// it is back (<see cref="Exchanges.IkeAuthExchange.CompleteAnswer"/>).
/// </summary>
internal sealed class ResponderOwnAuthComputation(IkeSa sa, OwnSignature signature, IkeMessage request, string peerIdentity, List<IkePayload> payloads)
    : OwnAuthComputation(sa, signature)
{
    /// <summary>The peer's IKE_AUTH request.</summary>
    public IkeMessage Request { get; } = request;

    public string PeerIdentity { get; } = peerIdentity;

    /// <summary>The answer's payloads before AUTH (ID, CERT).</summary>
    public List<IkePayload> Payloads { get; } = payloads;
}
