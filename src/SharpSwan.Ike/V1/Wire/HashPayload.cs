namespace SharpSwan.Ike.V1.Wire;

/// <summary>HASH payload (RFC 2408 §3.11): HASH_I/HASH_R in phase 1, HASH(1..3) in quick mode and informational.</summary>
public sealed record HashPayload(byte[] Data) : IsakmpPayload
{
    public override IsakmpPayloadType Type => IsakmpPayloadType.Hash;

    internal override int BodyLength => Data.Length;

    internal override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    internal static HashPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        var data = OpaquePayloadBody.TryRead(body, 1, ushort.MaxValue, "hash", out error);
        return data is null ? null : new HashPayload(data);
    }

    public override string ToString() => $"HASH({Data.Length} bytes)";
}
