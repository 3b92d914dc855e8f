namespace SharpSwan.Ike.V1.Wire;

/// <summary>Vendor ID payload (RFC 2408 §3.16): NAT-T, DPD, fragmentation and vendor markers.</summary>
public sealed record VendorIdPayload(byte[] Data) : IsakmpPayload
{
    public override IsakmpPayloadType Type => IsakmpPayloadType.VendorId;

    internal override int BodyLength => Data.Length;

    internal override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    internal static VendorIdPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        var data = OpaquePayloadBody.TryRead(body, 1, ushort.MaxValue, "vendor ID", out error);
        return data is null ? null : new VendorIdPayload(data);
    }

    public override string ToString() => $"VID({Convert.ToHexString(Data)})";
}
