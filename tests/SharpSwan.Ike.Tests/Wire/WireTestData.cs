using System.Net;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Wire;

/// <summary>Byte strings and message builders shared by the Wire tests.</summary>
internal static class WireTestData
{
    /// <summary>
    /// An IKE_SA_INIT request published as the test fixture of a public TypeScript IKEv2 parser project (the
    /// client that produced it is not stated there): SA (AES-GCM-16/256, PRF-HMAC-SHA256, ECP-256), KE, Ni,
    /// four Vendor IDs and the IKEV2_FRAGMENTATION_SUPPORTED, REDIRECT_SUPPORTED and SIGNATURE_HASH_ALGORITHMS
    /// notifications. Built independently of this codec, so decoding it checks us against another implementation.
    /// </summary>
    public const string ParserFixtureIkeSaInitHex =
        "89922c915f35570e000000000000000021202208000000000000012c" +
        "2200002800000024010100030300000c01000014800e0100030000080200000500000008040000132800004800130000db253178" +
        "440ce776a794133cb8b69e5eb074733536570c64d7b630549c899c0712d828b37168500885e051024578afc75c101f73b8943cad" +
        "62d74a30f2be1fca2b00002c09cb538b2c3dbd4d0bb0eec8d318cb801a9b4715b207828d9b5ff1f4ec64ed58863707bcf14ccf05" +
        "2b000014eb4c1b788afd4a9cb7730a68d56c53212b000014c61baca1f1a60cc108000000000000002b0000184048b7d56ebce885" +
        "25e7de7f00d6c2d3c0000000290000144048b7d56ebce88525e7de7f00d6c2d3290000080000402e290000080000401600000010" +
        "0000402f0001000200030004";

    /// <summary>
    /// An IKE_SA_INIT request published in the Android IKE library's message tests (IkeMessageTest): SA (AES-CBC-128,
    /// HMAC-SHA1-96, MODP-1024, PRF-HMAC-SHA1), KE, Ni, both NAT detection notifications and a Vendor ID.
    /// </summary>
    public const string AndroidIkeSaInitHex =
        "8f54bf6d8b48e6e10000000000000000212022080000000000000150" +
        "220000300000002c010100040300000c0100000c800e008003000008030000020300000804000002000000080200000228000088" +
        "00020000b4a2faf4bb54878ae21d638512ece55d9236fc5046ab6cef82220f421f3ce6361faf36564ecb6d28798a94aad7b2b4b6" +
        "03ddeaaa5630adb9ece8ac37534036040610ebdd92f46bef84f0be7db860351843858f8acf87056e272377f70c9f2d81e29c7b0c" +
        "e4f291a3a72476bb0b278fd4b7b0a4c26bbeb08214c707137607958729000024c39b7f368f4681b89fa9b7be6465abd7c5f68b6e" +
        "d5d3b4c72cb4240eb5c464122900001c00004004e54f73b7d83f6beb881eab2051d8663f421d10b02b00001c00004005d915368c" +
        "a036004cb578ae3e3fb268509aeab19000000020699369228741c6d4ca094c93e242c9de19e7b7c60000000500000500";

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    public static IkeHeader RequestHeader(ExchangeType exchange, uint messageId = 0) =>
        new(0x0102030405060708, exchange == ExchangeType.IkeSaInit ? 0UL : 0x1112131415161718, PayloadType.None, exchange, IkeFlags.Initiator, messageId, 0);

    /// <summary>A datagram made of a correct header (length filled in) followed by a hand-written payload chain.</summary>
    public static byte[] RawMessage(PayloadType first, string chainHex, ExchangeType exchange = ExchangeType.Informational)
    {
        byte[] chain = Hex(chainHex);
        var datagram = new byte[IkeHeader.Size + chain.Length];
        (RequestHeader(exchange) with { NextPayload = first, Length = (uint)datagram.Length }).Write(datagram);
        chain.CopyTo(datagram, IkeHeader.Size);
        return datagram;
    }

    public static byte[] Bytes(int length, byte seed)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(seed + (i * 7));
        }

        return data;
    }

    public static SecurityAssociationPayload IkeProposals() => new(
    [
        new Proposal(1, ProtocolId.Ike, [],
        [
            new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesCbc, 256),
            new Transform(TransformType.Integrity, (ushort)IntegrityAlgorithm.HmacSha256_128, null),
            new Transform(TransformType.Prf, (ushort)PseudoRandomFunction.HmacSha256, null),
            new Transform(TransformType.DiffieHellman, (ushort)DiffieHellmanGroup.Ecp256, null),
        ]),
        new Proposal(2, ProtocolId.Ike, [],
        [
            new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesGcm16, 128),
            new Transform(TransformType.Prf, (ushort)PseudoRandomFunction.HmacSha384, null),
            new Transform(TransformType.DiffieHellman, (ushort)DiffieHellmanGroup.Curve25519, null),
        ]),
    ]);

    public static TrafficSelector Ipv4Range(string start, string end, byte protocol = 0, ushort startPort = 0, ushort endPort = ushort.MaxValue) =>
        new(TrafficSelectorType.Ipv4AddressRange, protocol, startPort, endPort, IPAddress.Parse(start), IPAddress.Parse(end));

    /// <summary>One payload of every type the codec models, in an order no real exchange uses.</summary>
    public static IReadOnlyList<IkePayload> EveryPayloadType() =>
    [
        IkeProposals(),
        new KeyExchangePayload(DiffieHellmanGroup.Ecp256, Bytes(64, 1)),
        new NoncePayload(Bytes(32, 2)),
        new NotifyPayload(ProtocolId.None, [], NotifyType.NatDetectionSourceIp, Bytes(20, 3)),
        new IdentificationPayload(true, IdType.Fqdn, "initiator.example"u8.ToArray()),
        new IdentificationPayload(false, IdType.Ipv4Address, [192, 0, 2, 1]),
        new CertificatePayload(4, Bytes(300, 4)),
        new CertificateRequestPayload(4, Bytes(40, 5)),
        new AuthenticationPayload(AuthMethod.SharedKeyMessageIntegrityCode, Bytes(32, 6)),
        new DeletePayload(ProtocolId.Esp, [[0xc1, 0x00, 0x00, 0x01], [0xc1, 0x00, 0x00, 0x02]]),
        new VendorIdPayload(Bytes(16, 7)),
        new TrafficSelectorPayload(true, [Ipv4Range("10.1.0.0", "10.1.0.255")]),
        new TrafficSelectorPayload(false,
        [
            Ipv4Range("10.2.0.0", "10.2.255.255", 6, 443, 443),
            new TrafficSelector(TrafficSelectorType.Ipv6AddressRange, 17, 500, 4500, IPAddress.Parse("2001:db8::"), IPAddress.Parse("2001:db8::ffff")),
        ]),
        new ConfigurationPayload(ConfigurationType.Reply, [new ConfigurationAttribute(1, [10, 9, 0, 2]), new ConfigurationAttribute(3, [])]),
        new EapPayload([1, 7, 0, 6, 1, 0x41]),
        new UnknownPayload((PayloadType)200, Bytes(5, 8)),
    ];
}
