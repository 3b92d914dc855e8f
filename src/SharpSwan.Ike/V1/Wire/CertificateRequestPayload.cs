namespace SharpSwan.Ike.V1.Wire;

/// <summary>CR payload (RFC 2408 §3.10): certificate type and an optional DER distinguished name of an acceptable CA.</summary>
public sealed record CertificateRequestPayload(byte Encoding, byte[] Authority) : IsakmpPayload
{
    public override IsakmpPayloadType Type => IsakmpPayloadType.CertificateRequest;

    internal override int BodyLength => 1 + Authority.Length;

    internal override void WriteBody(Span<byte> destination)
    {
        destination[0] = Encoding;
        Authority.CopyTo(destination[1..]);
    }

    internal static CertificateRequestPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.IsEmpty)
        {
            error = "certificate request without a certificate type";
            return null;
        }

        error = null;
        return new CertificateRequestPayload(body[0], body[1..].ToArray());
    }

    public override string ToString() => $"CR(enc={Encoding} {Authority.Length} bytes)";
}
