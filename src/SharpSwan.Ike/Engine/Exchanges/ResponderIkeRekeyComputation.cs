using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// The key exchange of a peer's IKE SA rekey we answer: our DH value (from the private key drawn on the engine thread)
/// and the shared secret. The answer and the new IKE SA follow on the engine thread
/// (<see cref="IkeRekeyExchange.CompleteRequest"/>).
/// </summary>
internal sealed class ResponderIkeRekeyComputation(IkeSa old, IkeHeader request, ProposalSelector.IkeChoice choice, byte[] privateKey, byte[] peerPublicValue, byte[] nonceInitiator)
    : KeyExchangeComputation(old, choice.Suite.Group, privateKey, peerPublicValue)
{
    /// <summary>The header of the peer's request, answered once the keys are done.</summary>
    public IkeHeader Request { get; } = request;

    public ProposalSelector.IkeChoice Choice { get; } = choice;

    public byte[] NonceInitiator { get; } = nonceInitiator;
}
