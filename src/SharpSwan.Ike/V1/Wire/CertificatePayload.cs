namespace SharpSwan.Ike.V1.Wire;

/// <summary>CERT payload (RFC 2408 §3.9): encoding (4 = X.509 signature) and the certificate octets.</summary>
public sealed record CertificatePayload(byte Encoding, byte[] Data) : IsakmpPayload
{
    public const byte X509Signature = 4;

    public override IsakmpPayloadType Type => IsakmpPayloadType.Certificate;

    internal override int BodyLength => 1 + Data.Length;

    internal override void WriteBody(Span<byte> destination)
    {
        destination[0] = Encoding;
        Data.CopyTo(destination[1..]);
    }

    internal static CertificatePayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < 2)
        {
            error = $"certificate body of {body.Length} octets holds no certificate";
            return null;
        }

        error = null;
        return new CertificatePayload(body[0], body[1..].ToArray());
    }

    public override string ToString() => $"CERT(enc={Encoding} {Data.Length} bytes)";
}
