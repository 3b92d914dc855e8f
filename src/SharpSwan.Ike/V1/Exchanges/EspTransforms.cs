using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Phase-2 proposals as IPsec DOI ESP transforms and back (RFC 2407 §4.4.4 and §4.5): ESP_AES_CBC (12) with an HMAC
/// authentication attribute, or ESP_AES_GCM_16 (20, RFC 4106); key length, lifetime, the PFS group and the encapsulation
/// mode (tunnel, or UDP-encapsulated tunnel of RFC 3947 once NAT traversal is on).
/// </summary>
internal static class EspTransforms
{
    public const ushort ModeTunnel = 1;
    public const ushort ModeUdpTunnel = 3;
    public const ushort ModeUdpTunnelDraft = 61443;
    private const byte EspAesCbc = 12;
    private const byte EspAesGcm16 = 20;
    private const ushort LifeSeconds = 1;
    private const ushort LifeKilobytes = 2;

    public static bool Expressible(EspProposal proposal) => TransformId(proposal) != 0 && (proposal.IsAead || AuthOf(proposal.Integrity) != 0);

    /// <summary>
    /// Our offer: one ESP proposal with our inbound SPI; a transform per proposal and PFS group. With UDP encapsulation the
    /// mode is RFC 3947's, or the drafts' 61443 when only a draft NAT-T was agreed (<paramref name="draftNatT"/>).
    /// </summary>
    public static SecurityAssociationPayload Offer(Phase2Settings phase2, uint inboundSpi, bool udpEncapsulation, bool draftNatT = false)
    {
        var groups = phase2.Pfs ? phase2.DhGroups.ToArray() : [DiffieHellmanGroup.None];
        var transforms = new List<IsakmpTransform>();
        foreach (var proposal in phase2.Proposals.Where(Expressible))
        {
            foreach (var group in groups)
            {
                transforms.Add(Transform((byte)(transforms.Count + 1), proposal, group, phase2, !udpEncapsulation ? ModeTunnel : draftNatT ? ModeUdpTunnelDraft : ModeUdpTunnel));
            }
        }

        return new SecurityAssociationPayload([new IsakmpProposal(1, IsakmpProposal.ProtocolEsp, Spi(inboundSpi), transforms)]);
    }

    public static IsakmpTransform Transform(byte number, EspProposal proposal, DiffieHellmanGroup group, Phase2Settings phase2, ushort mode)
    {
        var attributes = new List<DataAttribute>();
        bool bytesOnly = phase2.KeyLifeType == KeyLifeType.Kbs;
        if (!bytesOnly)
        {
            attributes.Add(DataAttribute.Basic((ushort)IpsecAttributeType.LifeType, LifeSeconds));
            attributes.Add(DataAttribute.Integer((ushort)IpsecAttributeType.LifeDuration, (uint)phase2.KeyLifeSeconds));
        }

        if (phase2.KeyLifeType != KeyLifeType.Seconds)
        {
            attributes.Add(DataAttribute.Basic((ushort)IpsecAttributeType.LifeType, LifeKilobytes));
            attributes.Add(DataAttribute.Integer((ushort)IpsecAttributeType.LifeDuration, (uint)Math.Min(phase2.KeyLifeKbs, uint.MaxValue)));
        }

        if (group != DiffieHellmanGroup.None)
        {
            attributes.Add(DataAttribute.Basic((ushort)IpsecAttributeType.GroupDescription, (ushort)group));
        }

        attributes.Add(DataAttribute.Basic((ushort)IpsecAttributeType.EncapsulationMode, mode));
        if (!proposal.IsAead)
        {
            attributes.Add(DataAttribute.Basic((ushort)IpsecAttributeType.AuthenticationAlgorithm, AuthOf(proposal.Integrity)));
        }

        attributes.Add(DataAttribute.Basic((ushort)IpsecAttributeType.KeyLength, (ushort)proposal.KeyBits));
        return new IsakmpTransform(number, TransformId(proposal), attributes);
    }

    /// <summary>What one received ESP transform asks for; null when we do not implement it.</summary>
    public static (ChildSuite Suite, ushort Mode, uint? LifeSeconds)? Read(IsakmpTransform transform)
    {
        ushort Value(IpsecAttributeType type) => transform.Find((ushort)type) is { IsBasic: true } a ? a.BasicValue : (ushort)0;
        var encryption = transform.TransformId switch
        {
            EspAesCbc => EncryptionAlgorithm.AesCbc,
            EspAesGcm16 => EncryptionAlgorithm.AesGcm16,
            _ => EncryptionAlgorithm.None,
        };
        var integrity = Value(IpsecAttributeType.AuthenticationAlgorithm) switch
        {
            2 => IntegrityAlgorithm.HmacSha1_96,
            5 => IntegrityAlgorithm.HmacSha256_128,
            6 => IntegrityAlgorithm.HmacSha384_192,
            7 => IntegrityAlgorithm.HmacSha512_256,
            _ => IntegrityAlgorithm.None,
        };
        ushort mode = Value(IpsecAttributeType.EncapsulationMode);
        bool authOk = encryption == EncryptionAlgorithm.AesGcm16 ? Value(IpsecAttributeType.AuthenticationAlgorithm) == 0 : integrity != IntegrityAlgorithm.None;
        if (encryption == EncryptionAlgorithm.None || !authOk || mode is not (ModeTunnel or ModeUdpTunnel or ModeUdpTunnelDraft) ||
            transform.Find((ushort)IpsecAttributeType.ExtendedSequenceNumber) is not null)
        {
            return null;
        }

        var suite = new ChildSuite(encryption, Value(IpsecAttributeType.KeyLength), integrity, (DiffieHellmanGroup)Value(IpsecAttributeType.GroupDescription));
        return (suite, mode, LifeSecondsOf(transform));
    }

    /// <summary>The seconds lifetime: the Life Duration that follows a Life Type of seconds.</summary>
    public static uint? LifeSecondsOf(IsakmpTransform transform)
    {
        var attributes = transform.Attributes;
        for (int i = 0; i + 1 < attributes.Count; i++)
        {
            if (attributes[i] is { Type: (ushort)IpsecAttributeType.LifeType, BasicValue: LifeSeconds } &&
                attributes[i + 1].Type == (ushort)IpsecAttributeType.LifeDuration && attributes[i + 1].TryGetInteger(out ulong value))
            {
                return (uint)Math.Min(value, uint.MaxValue);
            }
        }

        return null;
    }

    /// <summary>The same transform with its seconds lifetime replaced (the responder's shorter lifetime).</summary>
    public static IsakmpTransform WithLifeSeconds(IsakmpTransform transform, uint seconds)
    {
        var attributes = transform.Attributes.ToList();
        for (int i = 0; i + 1 < attributes.Count; i++)
        {
            if (attributes[i] is { Type: (ushort)IpsecAttributeType.LifeType, BasicValue: LifeSeconds } && attributes[i + 1].Type == (ushort)IpsecAttributeType.LifeDuration)
            {
                attributes[i + 1] = DataAttribute.Integer((ushort)IpsecAttributeType.LifeDuration, seconds);
            }
        }

        return transform with { Attributes = attributes };
    }

    public static byte[] Spi(uint spi)
    {
        var octets = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(octets, spi);
        return octets;
    }

    private static byte TransformId(EspProposal proposal) => proposal.Encryption switch
    {
        EncryptionAlgorithm.AesCbc => EspAesCbc,
        EncryptionAlgorithm.AesGcm16 => EspAesGcm16,
        _ => 0,
    };

    private static ushort AuthOf(IntegrityAlgorithm integrity) => integrity switch
    {
        IntegrityAlgorithm.HmacSha1_96 => 2,
        IntegrityAlgorithm.HmacSha256_128 => 5,
        IntegrityAlgorithm.HmacSha384_192 => 6,
        IntegrityAlgorithm.HmacSha512_256 => 7,
        _ => 0,
    };
}
