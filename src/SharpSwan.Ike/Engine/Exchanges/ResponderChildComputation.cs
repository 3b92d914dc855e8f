using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// The PFS key exchange of a peer's CREATE_CHILD_SA we answer: our DH value (from the private key drawn on the engine
/// thread) and the shared secret. The child SA is keyed, installed and answered on the engine thread
/// (<see cref="Exchanges.CreateChildExchange.CompleteRequest"/>).
/// </summary>
internal sealed class ResponderChildComputation(IkeSa sa, ChildAnswer answer, byte[] privateKey, IkeHeader request, List<IkePayload> payloads, ChildSa? rekeyOf)
    : KeyExchangeComputation(sa, answer.Choice.Suite.Group, privateKey, answer.PeerPublicValue)
{
    public ChildAnswer Answer { get; } = answer;

    /// <summary>The header of the peer's request, answered once the keys are done.</summary>
    public IkeHeader Request { get; } = request;

    /// <summary>The answer's payloads so far (notifies added while negotiating).</summary>
    public List<IkePayload> Payloads { get; } = payloads;

    public ChildSa? RekeyOf { get; } = rekeyOf;
}
