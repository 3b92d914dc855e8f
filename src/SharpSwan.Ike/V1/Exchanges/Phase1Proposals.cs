using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.V1.Keys;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// FortiOS phase-1 proposals as IKEv1 (Oakley) transforms and back (RFC 2409 Appendix A): AES-CBC with a key length,
/// the hash named by the proposal (sha256 → SHA2-256, also the prf), the authentication method (pre-shared key, or the
/// signature method of our certificate's key), one DH group per transform, lifetime in seconds. AEAD proposals have no
/// IKEv1 phase-1 form and are left out.
/// </summary>
internal static class Phase1Proposals
{
    public const byte KeyIke = 1;
    private const ushort AesCbc = 7;
    public const ushort PreSharedKey = 1;

    /// <summary>RSA signatures (RFC 2409 Appendix A).</summary>
    public const ushort RsaSignature = 3;

    /// <summary>ECDSA with SHA-256 on P-256, SHA-384 on P-384, SHA-512 on P-521 (RFC 4754 §3).</summary>
    public const ushort EcdsaP256 = 9;

    public const ushort EcdsaP384 = 10;

    public const ushort EcdsaP521 = 11;

    /// <summary>XAUTHInitPreShared (draft-beaulieu-ike-xauth §7.2): pre-shared keys, then XAUTH of the initiator by the responder.</summary>
    public const ushort XauthInitPreShared = 65001;

    private static readonly ushort[] PskOnly = [PreSharedKey];
    private const ushort Seconds = 1;

    public static bool Expressible(IkeProposal proposal) => proposal.Encryption == EncryptionAlgorithm.AesCbc && HashOf(proposal.Integrity) != Phase1HashAlgorithm.None;

    public static Phase1HashAlgorithm HashOf(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacSha1_96 => Phase1HashAlgorithm.Sha1,
        IntegrityAlgorithm.HmacSha256_128 => Phase1HashAlgorithm.Sha256,
        IntegrityAlgorithm.HmacSha384_192 => Phase1HashAlgorithm.Sha384,
        IntegrityAlgorithm.HmacSha512_256 => Phase1HashAlgorithm.Sha512,
        _ => Phase1HashAlgorithm.None,
    };

    /// <summary>Our offer: one ISAKMP proposal whose transforms are every proposal with every DH group, in configured order.</summary>
    public static SecurityAssociationPayload Offer(Phase1Settings settings, ushort authMethod = PreSharedKey)
    {
        var transforms = new List<IsakmpTransform>();
        foreach (var proposal in settings.Proposals.Where(Expressible))
        {
            foreach (var group in settings.DhGroups)
            {
                transforms.Add(Transform((byte)(transforms.Count + 1), proposal, group, (uint)settings.KeyLifeSeconds, authMethod));
            }
        }

        return new SecurityAssociationPayload([new IsakmpProposal(1, IsakmpProposal.ProtocolIsakmp, [], transforms)]);
    }

    /// <summary>
    /// The pre-shared-key authentication method of the phase 1: XAUTHInitPreShared when XAUTH follows (we are its server,
    /// or its client and the initiator), else plain pre-shared keys.
    /// </summary>
    public static ushort AuthMethodOf(Phase1Settings settings) =>
        settings.IsXauthServer || settings.XauthType == XauthType.Client ? XauthInitPreShared : PreSharedKey;

    public static IsakmpTransform Transform(byte number, IkeProposal proposal, DiffieHellmanGroup group, uint lifetime, ushort authMethod = PreSharedKey) => new(number, KeyIke,
    [
        DataAttribute.Basic((ushort)Phase1AttributeType.EncryptionAlgorithm, AesCbc),
        DataAttribute.Basic((ushort)Phase1AttributeType.KeyLength, (ushort)proposal.KeyBits),
        DataAttribute.Basic((ushort)Phase1AttributeType.HashAlgorithm, (ushort)HashOf(proposal.Integrity)),
        DataAttribute.Basic((ushort)Phase1AttributeType.AuthenticationMethod, authMethod),
        DataAttribute.Basic((ushort)Phase1AttributeType.GroupDescription, (ushort)group),
        DataAttribute.Basic((ushort)Phase1AttributeType.LifeType, Seconds),
        DataAttribute.Integer((ushort)Phase1AttributeType.LifeDuration, lifetime),
    ]);

    /// <summary>
    /// The first offered transform we accept (its authentication method one of <paramref name="authMethods"/>, pre-shared
    /// key when not given), with the suite it means; null when none fits.
    /// </summary>
    public static (IsakmpTransform Transform, IkeSuite Suite, uint Lifetime, ushort AuthMethod)? Choose(SecurityAssociationPayload offer, Phase1Settings settings, IReadOnlyCollection<ushort>? authMethods = null)
    {
        if (offer.Proposals is not [{ ProtocolId: IsakmpProposal.ProtocolIsakmp } proposal])
        {
            return null;
        }

        foreach (var transform in proposal.Transforms.Where(t => t.TransformId == KeyIke))
        {
            if (Read(transform) is not { } read || !(authMethods ?? PskOnly).Contains(read.AuthMethod))
            {
                continue;
            }

            var mine = settings.Proposals.FirstOrDefault(p => Expressible(p) && p.KeyBits == read.KeyBits && HashOf(p.Integrity) == read.Hash);
            if (mine is not null && settings.DhGroups.Contains(read.Group))
            {
                var suite = new IkeSuite(EncryptionAlgorithm.AesCbc, mine.KeyBits, mine.Integrity, mine.Prf, read.Group);
                return (transform, suite, read.Lifetime, read.AuthMethod);
            }
        }

        return null;
    }

    /// <summary>The attributes of one transform as we understand them; null for anything we do not implement.</summary>
    public static (int KeyBits, Phase1HashAlgorithm Hash, DiffieHellmanGroup Group, uint Lifetime, ushort AuthMethod)? Read(IsakmpTransform transform)
    {
        ushort Value(Phase1AttributeType type) => transform.Find((ushort)type) is { IsBasic: true } a ? a.BasicValue : (ushort)0;
        var hash = (Phase1HashAlgorithm)Value(Phase1AttributeType.HashAlgorithm);
        var group = (DiffieHellmanGroup)Value(Phase1AttributeType.GroupDescription);
        int bits = Value(Phase1AttributeType.KeyLength);
        if (Value(Phase1AttributeType.EncryptionAlgorithm) != AesCbc || bits is not (128 or 192 or 256) || !Phase1Hash.IsSupported(hash) ||
            !IsKnownAuthMethod(Value(Phase1AttributeType.AuthenticationMethod)) || !KeyExchange.IsSupported(group) || transform.Find((ushort)Phase1AttributeType.Prf) is not null)
        {
            return null;
        }

        ulong life = 0;
        if (transform.Find((ushort)Phase1AttributeType.LifeType) is { BasicValue: Seconds } && transform.Find((ushort)Phase1AttributeType.LifeDuration) is { } duration)
        {
            duration.TryGetInteger(out life);
        }

        return (bits, hash, group, (uint)Math.Min(life, uint.MaxValue), Value(Phase1AttributeType.AuthenticationMethod));
    }

    public static bool IsSignature(ushort authMethod) => authMethod is RsaSignature or EcdsaP256 or EcdsaP384 or EcdsaP521;

    /// <summary>
    /// The hash whose HMAC computes HASH_I/HASH_R for an ECDSA method (RFC 4754: the method names the hash, and strongSwan
    /// keys that prf with SKEYID rather than the negotiated one); None for the others, which use the negotiated prf.
    /// </summary>
    public static Phase1HashAlgorithm AuthHashOf(ushort authMethod) => authMethod switch
    {
        EcdsaP256 => Phase1HashAlgorithm.Sha256,
        EcdsaP384 => Phase1HashAlgorithm.Sha384,
        EcdsaP521 => Phase1HashAlgorithm.Sha512,
        _ => Phase1HashAlgorithm.None,
    };

    private static bool IsKnownAuthMethod(ushort authMethod) => authMethod is PreSharedKey or XauthInitPreShared || IsSignature(authMethod);
}
