using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// The signature of our IKE_AUTH request; the request (AUTH, then the rest) goes out once it is back
/// (<see cref="Exchanges.IkeAuthExchange.CompleteRequest(InitiatorOwnAuthComputation)"/>).
/// </summary>
internal sealed class InitiatorOwnAuthComputation(IkeSa sa, OwnSignature signature, List<IkePayload> payloads)
    : OwnAuthComputation(sa, signature)
{
    /// <summary>The request's payloads before AUTH (ID, notifies, CERTREQ, CERT).</summary>
    public List<IkePayload> Payloads { get; } = payloads;
}
