using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// The PFS key exchange of our CREATE_CHILD_SA with the responder's answer: only the shared secret is computed here; the
/// answer is checked and the child SA keyed and installed on the engine thread
/// (<see cref="CreateChildExchange.CompleteResponse"/>).
/// </summary>
internal sealed class InitiatorChildComputation(IkeSa sa, KeyExchange ours, byte[] peerPublicValue, CreateChildRequest request, IkeMessage response)
    : KeyExchangeComputation(sa, ours, peerPublicValue)
{
    public CreateChildRequest Request { get; } = request;

    public IkeMessage Response { get; } = response;
}
