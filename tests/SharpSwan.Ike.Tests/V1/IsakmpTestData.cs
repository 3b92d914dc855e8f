using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.Tests.V1;

/// <summary>Messages and payloads shared by the IKEv1 wire tests.</summary>
internal static class IsakmpTestData
{
    public static IsakmpHeader Header(IsakmpExchangeType exchange = IsakmpExchangeType.IdentityProtection, uint messageId = 0) =>
        new(0x0102030405060708, 0x1112131415161718, IsakmpPayloadType.None, exchange, IsakmpFlags.None, messageId, 0);

    /// <summary>A main-mode offer as FortiOS makes it: AES-128/SHA-256/PSK/MODP-2048 and AES-256/SHA-1, lifetime 86400 s.</summary>
    public static SecurityAssociationPayload MainModeOffer() => new(
    [
        new IsakmpProposal(1, IsakmpProposal.ProtocolIsakmp, [],
        [
            Phase1Transform(1, keyBits: 128, hash: 4),
            Phase1Transform(2, keyBits: 256, hash: 2),
        ]),
    ]);

    public static IsakmpTransform Phase1Transform(byte number, ushort keyBits, ushort hash) => new(number, 1,
    [
        DataAttribute.Basic((ushort)Phase1AttributeType.EncryptionAlgorithm, 7),
        DataAttribute.Basic((ushort)Phase1AttributeType.KeyLength, keyBits),
        DataAttribute.Basic((ushort)Phase1AttributeType.HashAlgorithm, hash),
        DataAttribute.Basic((ushort)Phase1AttributeType.AuthenticationMethod, 1),
        DataAttribute.Basic((ushort)Phase1AttributeType.GroupDescription, 14),
        DataAttribute.Basic((ushort)Phase1AttributeType.LifeType, 1),
        DataAttribute.Integer((ushort)Phase1AttributeType.LifeDuration, 86400),
    ]);

    public static IReadOnlyList<IsakmpPayload> EveryPayloadType() =>
    [
        new HashPayload(Filled(32, 0x11)),
        MainModeOffer(),
        new KeyExchangePayload(Filled(256, 0x22)),
        new NoncePayload(Filled(32, 0x33)),
        new IdentificationPayload(IsakmpIdType.Ipv4Subnet, 0, 0, [10, 1, 0, 0, 255, 255, 0, 0]),
        new IdentificationPayload(IsakmpIdType.Fqdn, 17, 500, "gw.example"u8.ToArray()),
        new CertificatePayload(CertificatePayload.X509Signature, Filled(40, 0x44)),
        new CertificateRequestPayload(CertificatePayload.X509Signature, []),
        new SignaturePayload(Filled(64, 0x55)),
        new NotificationPayload(3, 24576, [0xC0, 0, 0, 1], [0x80, 1, 0, 1]),
        new DeletePayload(3, 4, [[1, 2, 3, 4], [5, 6, 7, 8]]),
        new VendorIdPayload(Convert.FromHexString("4A131C81070358455C5728F20E95452F")),
        new NatDiscoveryPayload(Filled(20, 0x66)),
        new NatDiscoveryPayload(Filled(20, 0x67), Draft: true),
        new NatOriginalAddressPayload(System.Net.IPAddress.Parse("192.0.2.7")),
        new UnknownIsakmpPayload((IsakmpPayloadType)132, [1, 2, 3]),
    ];

    public static byte[] Filled(int length, byte value)
    {
        var data = new byte[length];
        Array.Fill(data, value);
        return data;
    }
}
