using System.Net;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Fuzz;

/// <summary>IKEv2 messages as the gateway exchanges them, built with the codec: the starting corpus of the IKE targets.</summary>
internal static class IkeSeeds
{
    private const ulong InitiatorSpi = 0x0102030405060708;
    private const ulong ResponderSpi = 0x1112131415161718;

    public static IEnumerable<(string Name, byte[] Data)> PlainMessages()
    {
        yield return ("sa-init-request", Encode(ExchangeType.IkeSaInit, 0, 0, InitRequest()));
        yield return ("sa-init-cookie", Encode(ExchangeType.IkeSaInit, 0, 0, [new NotifyPayload(ProtocolId.None, [], NotifyType.Cookie, Filled(16, 0x5a)), .. InitRequest()]));
        yield return ("auth-request", Encode(ExchangeType.IkeAuth, ResponderSpi, 1, AuthRequest()));
        yield return ("udp4500-marker", [0, 0, 0, 0, .. Encode(ExchangeType.IkeSaInit, 0, 0, [.. InitRequest().Take(3)])]);
    }

    /// <summary>Inner payload chains: first octet = the first payload's type, second = suite choice, then the chain | pad length.</summary>
    public static IEnumerable<(string Name, byte[] Data)> InnerChains()
    {
        yield return ("auth-gcm", Inner(AuthRequest(), cbc: false));
        yield return ("auth-cbc", Inner(AuthRequest(), cbc: true));
        yield return ("delete-ike", Inner([new DeletePayload(ProtocolId.Ike, [])], cbc: false));
        yield return ("delete-esp", Inner([new DeletePayload(ProtocolId.Esp, [[1, 2, 3, 4], [5, 6, 7, 8]])], cbc: false));
        yield return ("rekey-child", Inner(
        [
            new NotifyPayload(ProtocolId.Esp, [0xc0, 0, 0, 1], NotifyType.RekeySa, []),
            ChildSa(),
            new NoncePayload(Filled(32, 0x44)),
            new KeyExchangePayload(DiffieHellmanGroup.Ecp256, Filled(64, 0x55)),
            .. Selectors(),
        ], cbc: false));
        yield return ("config-request", Inner([new ConfigurationPayload(ConfigurationType.Request, [new ConfigurationAttribute(1, []), new ConfigurationAttribute(3, [])])], cbc: false));
        yield return ("empty-dpd", [0, 0, 0]);
    }

    private static byte[] Inner(IReadOnlyList<IkePayload> payloads, bool cbc)
    {
        var chain = IkeMessageCodec.Encode(new IkeHeader(InitiatorSpi, ResponderSpi, PayloadType.None, ExchangeType.Informational, IkeFlags.Initiator, 2, 0), payloads);
        return [(byte)payloads[0].Type, cbc ? (byte)1 : (byte)0, .. chain.AsSpan(IkeHeader.Size), 0];
    }

    private static IReadOnlyList<IkePayload> InitRequest() =>
    [
        new SecurityAssociationPayload(
        [
            new Proposal(1, ProtocolId.Ike, [],
            [
                new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesGcm16, 256),
                new Transform(TransformType.Prf, 7, null),
                new Transform(TransformType.DiffieHellman, (ushort)DiffieHellmanGroup.Ecp256, null),
            ]),
            new Proposal(2, ProtocolId.Ike, [],
            [
                new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesCbc, 128),
                new Transform(TransformType.Prf, 5, null),
                new Transform(TransformType.Integrity, (ushort)IntegrityAlgorithm.HmacSha256_128, null),
                new Transform(TransformType.DiffieHellman, (ushort)DiffieHellmanGroup.Modp2048, null),
            ]),
        ]),
        new KeyExchangePayload(DiffieHellmanGroup.Ecp256, Filled(64, 0x22)),
        new NoncePayload(Filled(32, 0x33)),
        new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionSourceIp, Filled(20, 0x66)),
        new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionDestinationIp, Filled(20, 0x67)),
        new NotifyPayload(ProtocolId.None, [], NotifyType.SignatureHashAlgorithms, [0, 2, 0, 3, 0, 4]),
        new VendorIdPayload("sharpswan-fuzz"u8.ToArray()),
    ];

    private static IReadOnlyList<IkePayload> AuthRequest() =>
    [
        new IdentificationPayload(true, IdType.Fqdn, "gw.example"u8.ToArray()),
        new CertificateRequestPayload(4, Filled(20, 0x77)),
        new AuthenticationPayload(AuthMethod.SharedKeyMessageIntegrityCode, Filled(32, 0x88)),
        new CertificatePayload(4, Filled(40, 0x99)),
        ChildSa(),
        .. Selectors(),
        new EapPayload([1, 1, 0, 5, 1]),
    ];

    private static SecurityAssociationPayload ChildSa() => new(
    [
        new Proposal(1, ProtocolId.Esp, [0xc0, 0, 0, 2],
        [
            new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesGcm16, 128),
            new Transform(TransformType.ExtendedSequenceNumbers, 0, null),
        ]),
    ]);

    private static IEnumerable<IkePayload> Selectors() =>
    [
        new TrafficSelectorPayload(true, [new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, 6, 443, 443, IPAddress.Parse("10.1.0.0"), IPAddress.Parse("10.1.0.255"))]),
        new TrafficSelectorPayload(false, [new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, 0, 0, 65535, IPAddress.Parse("10.2.0.0"), IPAddress.Parse("10.2.0.255"))]),
    ];

    private static byte[] Encode(ExchangeType exchange, ulong responderSpi, uint messageId, IReadOnlyList<IkePayload> payloads) =>
        IkeMessageCodec.Encode(new IkeHeader(InitiatorSpi, responderSpi, PayloadType.None, exchange, IkeFlags.Initiator, messageId, 0), payloads);

    internal static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
