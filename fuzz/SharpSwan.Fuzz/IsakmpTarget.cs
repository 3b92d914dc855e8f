using System.Net;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Fuzz;

/// <summary>
/// IKEv1 (ISAKMP, RFC 2408) before and after decryption: the input is decoded as a datagram by
/// <see cref="IsakmpCodec.Decode"/>, and its tail (after one octet naming the first payload) as the decrypted body of
/// an encrypted main-mode or quick-mode message by <see cref="IsakmpCodec.DecodeDecrypted"/>.
/// </summary>
internal sealed class IsakmpTarget : IFuzzTarget
{
    public string Name => "ikev1";

    public void Run(ReadOnlySpan<byte> input)
    {
        Inspect(IsakmpCodec.Decode(input));
        if (input.Length > 0)
        {
            var header = Header(IsakmpExchangeType.QuickMode, 1) with { NextPayload = (IsakmpPayloadType)input[0], Flags = IsakmpFlags.Encryption };
            Inspect(IsakmpCodec.DecodeDecrypted(header, input[1..]));
        }
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        yield return ("main-mode-offer", IsakmpCodec.Encode(Header(IsakmpExchangeType.IdentityProtection, 0), [MainModeOffer(), new VendorIdPayload(Convert.FromHexString("4A131C81070358455C5728F20E95452F"))]));
        yield return ("main-mode-ke", IsakmpCodec.Encode(Header(IsakmpExchangeType.IdentityProtection, 0),
        [
            new KeyExchangePayload(IkeSeeds.Filled(256, 0x22)),
            new NoncePayload(IkeSeeds.Filled(32, 0x33)),
            new NatDiscoveryPayload(IkeSeeds.Filled(20, 0x66)),
            new NatDiscoveryPayload(IkeSeeds.Filled(20, 0x67)),
        ]));
        var quick = IsakmpCodec.EncodeChain(
        [
            new HashPayload(IkeSeeds.Filled(32, 0x11)),
            QuickModeOffer(),
            new NoncePayload(IkeSeeds.Filled(32, 0x33)),
            new IdentificationPayload(IsakmpIdType.Ipv4Subnet, 0, 0, [10, 1, 0, 0, 255, 255, 255, 0]),
            new IdentificationPayload(IsakmpIdType.Ipv4Subnet, 0, 0, [10, 2, 0, 0, 255, 255, 255, 0]),
        ]);
        yield return ("quick-mode-decrypted", [(byte)IsakmpPayloadType.Hash, .. quick, 0, 0, 0, 0]);
        var delete = IsakmpCodec.EncodeChain(
        [
            new HashPayload(IkeSeeds.Filled(32, 0x11)),
            new DeletePayload(3, 4, [[1, 2, 3, 4]]),
            new NotificationPayload(3, 24576, [0xc0, 0, 0, 1], [0x80, 1, 0, 1]),
            new NatOriginalAddressPayload(IPAddress.Parse("192.0.2.7")),
        ]);
        yield return ("informational-decrypted", [(byte)IsakmpPayloadType.Hash, .. delete]);
    }

    private static void Inspect(IsakmpParseResult result)
    {
        _ = result.Detail;
        if (result.Message is { } message)
        {
            foreach (var payload in message.Payloads)
            {
                _ = payload.ToString();
            }
        }
    }

    private static IsakmpHeader Header(IsakmpExchangeType exchange, uint messageId) =>
        new(0x0102030405060708, 0x1112131415161718, IsakmpPayloadType.None, exchange, IsakmpFlags.None, messageId, 0);

    private static SecurityAssociationPayload MainModeOffer() => new(
    [
        new IsakmpProposal(1, IsakmpProposal.ProtocolIsakmp, [],
        [
            new IsakmpTransform(1, 1,
            [
                DataAttribute.Basic((ushort)Phase1AttributeType.EncryptionAlgorithm, 7),
                DataAttribute.Basic((ushort)Phase1AttributeType.KeyLength, 256),
                DataAttribute.Basic((ushort)Phase1AttributeType.HashAlgorithm, 4),
                DataAttribute.Basic((ushort)Phase1AttributeType.AuthenticationMethod, 1),
                DataAttribute.Basic((ushort)Phase1AttributeType.GroupDescription, 14),
                DataAttribute.Basic((ushort)Phase1AttributeType.LifeType, 1),
                DataAttribute.Integer((ushort)Phase1AttributeType.LifeDuration, 86400),
            ]),
        ]),
    ]);

    private static SecurityAssociationPayload QuickModeOffer() => new(
    [
        new IsakmpProposal(1, IsakmpProposal.ProtocolEsp, [0xc0, 0, 0, 2],
        [
            new IsakmpTransform(1, 12, [DataAttribute.Basic(6, 128), DataAttribute.Basic(5, 2), DataAttribute.Integer(2, 3600)]),
        ]),
    ]);
}
