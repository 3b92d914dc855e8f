namespace SharpSwan.Ike.V1.Wire;

/// <summary>KE payload (RFC 2408 §3.7): the public Diffie-Hellman value, never printed.</summary>
public sealed record KeyExchangePayload(byte[] Data) : IsakmpPayload
{
    public override IsakmpPayloadType Type => IsakmpPayloadType.KeyExchange;

    internal override int BodyLength => Data.Length;

    internal override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    internal static KeyExchangePayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        var data = OpaquePayloadBody.TryRead(body, 1, ushort.MaxValue, "key exchange data", out error);
        return data is null ? null : new KeyExchangePayload(data);
    }

    public override string ToString() => $"KE({Data.Length} bytes)";
}
