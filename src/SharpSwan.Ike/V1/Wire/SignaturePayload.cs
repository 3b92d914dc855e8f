namespace SharpSwan.Ike.V1.Wire;

/// <summary>SIG payload (RFC 2408 §3.12): SIG_I/SIG_R of signature authentication.</summary>
public sealed record SignaturePayload(byte[] Data) : IsakmpPayload
{
    public override IsakmpPayloadType Type => IsakmpPayloadType.Signature;

    internal override int BodyLength => Data.Length;

    internal override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    internal static SignaturePayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        var data = OpaquePayloadBody.TryRead(body, 1, ushort.MaxValue, "signature", out error);
        return data is null ? null : new SignaturePayload(data);
    }

    public override string ToString() => $"SIG({Data.Length} bytes)";
}
