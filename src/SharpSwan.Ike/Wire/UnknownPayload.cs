namespace SharpSwan.Ike.Wire;

/// <summary>
/// A payload of a type this implementation does not know, received without the critical bit and therefore
/// skipped as RFC 7296 §2.5 requires. Kept so that the payload order stays visible. <paramref name="Body"/> is never mutated.
/// </summary>
public sealed record UnknownPayload(PayloadType RawType, byte[] Body) : IkePayload
{
    public override PayloadType Type => RawType;

    internal override int BodyLength => Body.Length;

    internal override void WriteBody(Span<byte> destination) => Body.CopyTo(destination);

    public override string ToString() => $"Unknown({(byte)RawType}, {Body.Length} bytes{(Critical ? ", critical" : string.Empty)})";
}
