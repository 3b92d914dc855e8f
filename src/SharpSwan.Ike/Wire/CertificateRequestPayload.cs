namespace SharpSwan.Ike.Wire;

/// <summary>CERTREQ payload (RFC 7296 §3.7): an encoding and, for X.509, concatenated SHA-1 hashes of trusted CA keys. <paramref name="Data"/> is never mutated.</summary>
public sealed record CertificateRequestPayload(byte Encoding, byte[] Data) : IkePayload
{
    public override PayloadType Type => PayloadType.CertificateRequest;

    internal override int BodyLength => 1 + Data.Length;

    internal override void WriteBody(Span<byte> destination)
    {
        destination[0] = Encoding;
        Data.CopyTo(destination[1..]);
    }

    internal static CertificateRequestPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.IsEmpty)
        {
            error = "CERTREQ payload without an encoding octet";
            return null;
        }

        error = null;
        return new CertificateRequestPayload(body[0], body[1..].ToArray());
    }

    public override string ToString() => $"CERTREQ(encoding {Encoding}, {Data.Length} bytes)";
}
