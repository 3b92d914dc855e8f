namespace SharpSwan.Ike.V1.Wire;

/// <summary>A payload type the codec does not decode (mode-config attributes, fragments, private types), kept as octets.</summary>
public sealed record UnknownIsakmpPayload(IsakmpPayloadType RawType, byte[] Body) : IsakmpPayload
{
    public override IsakmpPayloadType Type => RawType;

    internal override int BodyLength => Body.Length;

    internal override void WriteBody(Span<byte> destination) => Body.CopyTo(destination);

    public override string ToString() => $"payload {(byte)RawType} ({Body.Length} bytes)";
}
