namespace SharpSwan.Ike.Wire;

/// <summary>Vendor ID payload (RFC 7296 §3.12). <paramref name="Data"/> is never mutated.</summary>
public sealed record VendorIdPayload(byte[] Data) : IkePayload
{
    public override PayloadType Type => PayloadType.VendorId;

    internal override int BodyLength => Data.Length;

    internal override void WriteBody(Span<byte> destination) => Data.CopyTo(destination);

    internal static VendorIdPayload TryDecode(ReadOnlySpan<byte> body) => new(body.ToArray());

    // Vendor IDs are public constants (usually hashes of product names), so the hex is useful and safe.
    public override string ToString() => $"V({Convert.ToHexStringLower(Data)})";
}
