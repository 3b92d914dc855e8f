using SharpSwan.Crypto;

namespace SharpSwan.Ike.Keys;

/// <summary>
/// ESP keys for both directions (RFC 7296 §2.17): KEYMAT = prf+(SK_d, [g^ir] | Ni | Nr), taken in the order
/// encryption then integrity for initiator→responder, then the same for responder→initiator.
/// </summary>
public sealed class ChildSaKeys
{
    private ChildSaKeys(byte[] encI, byte[] integI, byte[] encR, byte[] integR)
    {
        EncryptionInitiatorToResponder = encI;
        IntegrityInitiatorToResponder = integI;
        EncryptionResponderToInitiator = encR;
        IntegrityResponderToInitiator = integR;
    }

    public byte[] EncryptionInitiatorToResponder { get; }

    public byte[] IntegrityInitiatorToResponder { get; }

    public byte[] EncryptionResponderToInitiator { get; }

    public byte[] IntegrityResponderToInitiator { get; }

    public static ChildSaKeys Derive(
        PseudoRandomFunction prfId,
        ReadOnlySpan<byte> skD,
        ChildSuite suite,
        ReadOnlySpan<byte> sharedSecret,
        ReadOnlySpan<byte> nonceInitiator,
        ReadOnlySpan<byte> nonceResponder)
    {
        var prf = Prf.Create(prfId);
        var seed = new byte[sharedSecret.Length + nonceInitiator.Length + nonceResponder.Length];
        sharedSecret.CopyTo(seed);
        nonceInitiator.CopyTo(seed.AsSpan(sharedSecret.Length));
        nonceResponder.CopyTo(seed.AsSpan(sharedSecret.Length + nonceInitiator.Length));
        var encSize = PacketProtector.EncryptionKeyMaterialLength(suite.Encryption, suite.KeyBits);
        var integSize = suite.Integrity == IntegrityAlgorithm.None ? 0 : PacketProtector.IntegrityKeyLength(suite.Integrity);
        var stream = prf.Expand(skD, seed, 2 * (encSize + integSize));
        var keys = new ChildSaKeys(
            stream.AsSpan(0, encSize).ToArray(),
            stream.AsSpan(encSize, integSize).ToArray(),
            stream.AsSpan(encSize + integSize, encSize).ToArray(),
            stream.AsSpan((2 * encSize) + integSize, integSize).ToArray());
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(stream);
        return keys;
    }

    /// <summary>Keys derived elsewhere (IKEv1 KEYMAT is computed per SA, not as one stream), named by direction.</summary>
    internal static ChildSaKeys FromDirections(byte[] encI, byte[] integI, byte[] encR, byte[] integR) => new(encI, integI, encR, integR);

    public override string ToString() => "ChildSaKeys(hidden)";
}
