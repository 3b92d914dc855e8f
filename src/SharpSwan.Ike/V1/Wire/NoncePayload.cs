namespace SharpSwan.Ike.V1.Wire;

/// <summary>NONCE payload (RFC 2408 §3.13); RFC 2409 §5 asks for 8..256 octets.</summary>
public sealed record NoncePayload(byte[] Data) : IsakmpPayload
{
    public const int MinimumLength = 8;
    public const int MaximumLength = 256;

    public override IsakmpPayloadType Type => IsakmpPayloadType.Nonce;

    internal override int BodyLength => Data.Length;

    internal override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    internal static NoncePayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        var data = OpaquePayloadBody.TryRead(body, MinimumLength, MaximumLength, "nonce", out error);
        return data is null ? null : new NoncePayload(data);
    }

    public override string ToString() => $"NONCE({Data.Length} bytes)";
}
