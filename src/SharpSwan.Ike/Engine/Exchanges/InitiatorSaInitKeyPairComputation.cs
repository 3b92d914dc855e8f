using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Our key pair for the IKE_SA_INIT we send (expensive for MODP groups); the request goes out once it is back
/// (<see cref="Exchanges.IkeSaInitExchange.CompleteKeyPair"/>).
/// </summary>
internal sealed class InitiatorSaInitKeyPairComputation(IkeSa sa, DiffieHellmanGroup group, byte[] privateKey)
    : KeyExchangeComputation(sa, group, privateKey)
{
    public DiffieHellmanGroup Group { get; } = group;
}
