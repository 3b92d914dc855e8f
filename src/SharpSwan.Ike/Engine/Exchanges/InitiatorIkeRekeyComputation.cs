using SharpSwan.Ike.Keys;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// The key exchange of our IKE SA rekey with the responder's answer: only the shared secret is computed here; the new IKE
/// SA is keyed from it and the old SA's SK_d, and takes over, on the engine thread
/// (<see cref="IkeRekeyExchange.CompleteResponse"/>).
/// </summary>
internal sealed class InitiatorIkeRekeyComputation(IkeSa old, IkeRekeyRequest request, byte[] peerPublicValue, IkeSuite suite, ulong peerSpi, byte[] nonceResponder)
    : KeyExchangeComputation(old, request.KeyExchange, peerPublicValue)
{
    public IkeRekeyRequest Request { get; } = request;

    public IkeSuite Suite { get; } = suite;

    public ulong PeerSpi { get; } = peerSpi;

    public byte[] NonceResponder { get; } = nonceResponder;
}
