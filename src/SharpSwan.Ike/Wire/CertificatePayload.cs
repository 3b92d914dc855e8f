namespace SharpSwan.Ike.Wire;

/// <summary>CERT payload (RFC 7296 §3.6); <paramref name="Encoding"/> 4 is an X.509 signature certificate. <paramref name="Data"/> is never mutated.</summary>
public sealed record CertificatePayload(byte Encoding, byte[] Data) : IkePayload
{
    public override PayloadType Type => PayloadType.Certificate;

    internal override int BodyLength => 1 + Data.Length;

    internal override void WriteBody(Span<byte> destination)
    {
        destination[0] = Encoding;
        Data.CopyTo(destination[1..]);
    }

    internal static CertificatePayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.IsEmpty)
        {
            error = "CERT payload without an encoding octet";
            return null;
        }

        error = null;
        return new CertificatePayload(body[0], body[1..].ToArray());
    }

    public override string ToString() => $"CERT(encoding {Encoding}, {Data.Length} bytes)";
}
