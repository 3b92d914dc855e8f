namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// One ISAKMP payload (RFC 2408 §3.2). Derived records hold the decoded body; the 4-octet generic header
/// (next payload, reserved, length) is produced and consumed by <see cref="IsakmpCodec"/>.
/// </summary>
/// <remarks>
/// Byte arrays held by payload records are never mutated after construction; decoded payloads own fresh copies.
/// Every payload overrides <see cref="ToString"/> so that key material (KE values, nonces, hashes) prints as a length.
/// </remarks>
public abstract record IsakmpPayload
{
    public abstract IsakmpPayloadType Type { get; }

    /// <summary>Octets after the 4-octet generic payload header.</summary>
    internal abstract int BodyLength { get; }

    /// <summary>Writes exactly <see cref="BodyLength"/> octets.</summary>
    internal abstract void WriteBody(Span<byte> destination);

    /// <summary>The body as it goes on the wire; RFC 2409 hashes some bodies (IDii_b, SAi_b).</summary>
    public byte[] EncodeBody()
    {
        var body = new byte[BodyLength];
        WriteBody(body);
        return body;
    }

    public abstract override string ToString();
}
