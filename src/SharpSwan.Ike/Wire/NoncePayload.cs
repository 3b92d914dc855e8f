namespace SharpSwan.Ike.Wire;

/// <summary>Ni / Nr payload (RFC 7296 §3.9). <paramref name="Data"/> is never mutated and never printed.</summary>
public sealed record NoncePayload(byte[] Data) : IkePayload
{
    /// <summary>RFC 7296 §2.10: nonces are at least 16 and at most 256 octets.</summary>
    public const int MinimumLength = 16;

    public const int MaximumLength = 256;

    public override PayloadType Type => PayloadType.Nonce;

    internal override int BodyLength => Data.Length;

    internal override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    internal static NoncePayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length is < MinimumLength or > MaximumLength)
        {
            error = $"nonce of {body.Length} octets is outside 16..256";
            return null;
        }

        error = null;
        return new NoncePayload(body.ToArray());
    }

    public override string ToString() => $"Nonce({Data.Length} bytes)";
}
