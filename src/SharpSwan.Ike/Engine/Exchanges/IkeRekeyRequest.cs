using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Our CREATE_CHILD_SA rekeying the IKE SA: the new SA's SPI, our nonce and key exchange.</summary>
internal sealed record IkeRekeyRequest(ulong NewSpi, byte[] Nonce, KeyExchange KeyExchange, DiffieHellmanGroup Group) : SentRequest;
