using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Our key pair for the IKE SA rekey we send; the request goes out once it is back
/// (<see cref="Exchanges.IkeRekeyExchange.CompleteKeyPair"/>).
/// </summary>
internal sealed class InitiatorIkeRekeyKeyPairComputation(IkeSa sa, DiffieHellmanGroup group, ulong newSpi, byte[] nonce, byte[] privateKey)
    : KeyExchangeComputation(sa, group, privateKey)
{
    public DiffieHellmanGroup Group { get; } = group;

    /// <summary>The new IKE SA's SPI and our nonce, drawn before the key pair.</summary>
    public ulong NewSpi { get; } = newSpi;

    public byte[] Nonce { get; } = nonce;
}
