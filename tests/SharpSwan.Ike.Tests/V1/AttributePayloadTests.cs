using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.Tests.V1;

/// <summary>The Attribute payload of the Transaction exchange (XAUTH, mode-config): octets, round trip and malformed bodies.</summary>
public sealed class AttributePayloadTests
{
    [Fact]
    public void Xauth_request_octets_are_type_reserved_identifier_then_the_attributes()
    {
        var request = new AttributePayload(ModeConfigMessageType.Request, 0x1234,
        [
            DataAttribute.Basic((ushort)ModeConfigAttributeType.XauthType, 0),
            DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserName, []),
            DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserPassword, []),
        ]);

        byte[] encoded = IsakmpCodec.Encode(IsakmpTestData.Header(IsakmpExchangeType.Transaction, 7), [request]);

        // Generic payload header (next 0, length 20), REQUEST, reserved, identifier, XAUTH-TYPE TV=0, USER-NAME and PASSWORD TLV empty.
        Assert.Equal("00000014" + "01" + "00" + "1234" + "c0880000" + "40890000" + "408a0000", Convert.ToHexStringLower(encoded[28..]));
    }

    [Fact]
    public void Reply_with_values_survives_encode_and_decode()
    {
        var reply = new AttributePayload(ModeConfigMessageType.Reply, 9,
        [
            DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserName, "alice"u8.ToArray()),
            DataAttribute.Variable((ushort)ModeConfigAttributeType.InternalIp4Address, [10, 8, 0, 1]),
        ]);
        byte[] encoded = IsakmpCodec.Encode(IsakmpTestData.Header(IsakmpExchangeType.Transaction, 7), [reply]);

        var decoded = Assert.IsType<AttributePayload>(Assert.Single(IsakmpCodec.Decode(encoded).Message!.Payloads));

        Assert.Equal(ModeConfigMessageType.Reply, decoded.MessageType);
        Assert.Equal(9, decoded.Identifier);
        Assert.Equal("alice"u8.ToArray(), decoded.Find(ModeConfigAttributeType.XauthUserName)!.VariableValue);
        Assert.Equal(new byte[] { 10, 8, 0, 1 }, decoded.Find(ModeConfigAttributeType.InternalIp4Address)!.VariableValue);
        Assert.Null(decoded.Find(ModeConfigAttributeType.XauthStatus));
        Assert.Equal(encoded, IsakmpCodec.Encode(IsakmpTestData.Header(IsakmpExchangeType.Transaction, 7), [decoded]));
    }

    [Theory]
    [InlineData("000000060100")]
    [InlineData("0000000805000000")]
    [InlineData("0000000c02000001408a0009")]
    public void Malformed_bodies_are_errors_not_exceptions(string payloadHex)
    {
        byte[] payload = Convert.FromHexString(payloadHex);
        byte[] header = IsakmpCodec.Encode(IsakmpTestData.Header(IsakmpExchangeType.Transaction, 7), []);
        byte[] message = [.. header, .. payload];
        message[16] = (byte)IsakmpPayloadType.Attribute;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(24), (uint)message.Length);

        var result = IsakmpCodec.Decode(message);

        Assert.False(result.Success);
    }
}
