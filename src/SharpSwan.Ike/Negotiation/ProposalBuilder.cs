using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Negotiation;

/// <summary>Turns configured FortiOS proposals into IKEv2 SA payload proposals.</summary>
public static class ProposalBuilder
{
    public static SecurityAssociationPayload ForIke(IReadOnlyList<IkeProposal> proposals, IReadOnlyList<DiffieHellmanGroup> groups, byte[] spi)
    {
        var result = new List<Proposal>();
        byte number = 1;
        foreach (var proposal in proposals)
        {
            var transforms = new List<Transform> { Encryption(proposal.Encryption, proposal.KeyBits) };
            transforms.Add(new Transform(TransformType.Prf, (ushort)proposal.Prf, null));
            if (proposal.Integrity != IntegrityAlgorithm.None)
            {
                transforms.Add(new Transform(TransformType.Integrity, (ushort)proposal.Integrity, null));
            }

            foreach (var group in groups)
            {
                transforms.Add(new Transform(TransformType.DiffieHellman, (ushort)group, null));
            }

            result.Add(new Proposal(number++, ProtocolId.Ike, spi, transforms));
        }

        return new SecurityAssociationPayload(result);
    }

    /// <summary>
    /// ESP proposals; groups is empty when no key exchange is wanted (IKE_AUTH, or PFS off). Each proposal carries the
    /// ESN transforms <paramref name="esn"/> permits: require only ESN, allow ESN then no ESN (preferred first, as FortiOS
    /// offers them), disable only no ESN.
    /// </summary>
    public static SecurityAssociationPayload ForEsp(IReadOnlyList<EspProposal> proposals, IReadOnlyList<DiffieHellmanGroup> groups, uint spi, EsnMode esn = EsnMode.Disable)
    {
        var spiBytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(spiBytes, spi);
        var result = new List<Proposal>();
        byte number = 1;
        foreach (var proposal in proposals)
        {
            var transforms = new List<Transform> { Encryption(proposal.Encryption, proposal.KeyBits) };
            if (proposal.Integrity != IntegrityAlgorithm.None)
            {
                transforms.Add(new Transform(TransformType.Integrity, (ushort)proposal.Integrity, null));
            }

            foreach (var group in groups)
            {
                transforms.Add(new Transform(TransformType.DiffieHellman, (ushort)group, null));
            }

            if (esn != EsnMode.Disable)
            {
                transforms.Add(new Transform(TransformType.ExtendedSequenceNumbers, EsnTransform.Extended, null));
            }

            if (esn != EsnMode.Require)
            {
                transforms.Add(new Transform(TransformType.ExtendedSequenceNumbers, EsnTransform.None, null));
            }

            result.Add(new Proposal(number++, ProtocolId.Esp, spiBytes, transforms));
        }

        return new SecurityAssociationPayload(result);
    }

    // Only the variable-length ciphers (AES) carry a Key Length attribute (RFC 7296 §3.3.5); ChaCha20-Poly1305, 3DES,
    // DES and NULL have one key length and must not.
    private static Transform Encryption(EncryptionAlgorithm algorithm, int keyBits) =>
        algorithm is EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.AesGcm16
            ? new Transform(TransformType.Encryption, (ushort)algorithm, (ushort)keyBits)
            : new Transform(TransformType.Encryption, (ushort)algorithm, null);
}
