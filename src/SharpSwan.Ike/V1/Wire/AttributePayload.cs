using System.Buffers.Binary;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// Attribute payload (ISAKMP payload 14, draft-dukes-ike-mode-cfg §3.2): the body of the Transaction exchange that carries
/// XAUTH (request for a user name and password, the client's reply, the server's status) and mode-config (addresses,
/// DNS servers). Its attributes are ISAKMP data attributes, basic or variable; an empty variable one asks for a value.
/// </summary>
public sealed record AttributePayload(ModeConfigMessageType MessageType, ushort Identifier, IReadOnlyList<DataAttribute> Attributes) : IsakmpPayload
{
    private const int FixedLength = 4;

    public override IsakmpPayloadType Type => IsakmpPayloadType.Attribute;

    internal override int BodyLength => FixedLength + Attributes.Sum(a => a.EncodedLength);

    /// <summary>The first attribute of the given type, or null.</summary>
    public DataAttribute? Find(ModeConfigAttributeType type) => Attributes.FirstOrDefault(a => a.Type == (ushort)type);

    internal override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)MessageType;
        destination[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Identifier);
        int offset = FixedLength;
        foreach (var attribute in Attributes)
        {
            attribute.Write(destination[offset..]);
            offset += attribute.EncodedLength;
        }
    }

    internal static AttributePayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = $"attribute payload body of {body.Length} octets is shorter than its {FixedLength}-octet header";
            return null;
        }

        if (body[0] is < (byte)ModeConfigMessageType.Request or > (byte)ModeConfigMessageType.Ack)
        {
            error = $"attribute payload type {body[0]} is none of REQUEST, REPLY, SET, ACK";
            return null;
        }

        var attributes = DataAttribute.TryReadAll(body[FixedLength..], out error);
        return attributes is null ? null : new AttributePayload((ModeConfigMessageType)body[0], BinaryPrimitives.ReadUInt16BigEndian(body[2..]), attributes);
    }

    public override string ToString() => $"ATTR({MessageType} #{Identifier}: {string.Join(", ", Attributes)})";
}
