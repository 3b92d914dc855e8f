namespace SharpSwan.Ike.Wire;

/// <summary>
/// One IKEv2 payload (RFC 7296 §3.2). Derived records hold the decoded body; the generic payload header
/// (next payload, critical bit, length) is produced and consumed by <see cref="IkeMessageCodec"/>.
/// </summary>
/// <remarks>
/// Byte arrays held by payload records are treated as immutable: neither the codec nor the engine mutates
/// them after construction, and callers that build payloads must hand over arrays they no longer change.
/// Decoded payloads always own fresh copies, never views into the received datagram.
/// Record equality compares those arrays (and payload lists) by reference, so compare fields or encoded bytes instead.
/// Every payload overrides <see cref="ToString"/> so that key material (nonces, KE values, AUTH data)
/// shows up in logs as a length only.
/// </remarks>
public abstract record IkePayload
{
    public abstract PayloadType Type { get; }

    /// <summary>The critical bit of the generic payload header; only meaningful for payload types the receiver does not know.</summary>
    public bool Critical { get; init; }

    /// <summary>Octets after the 4-octet generic payload header.</summary>
    internal abstract int BodyLength { get; }

    /// <summary>Writes exactly <see cref="BodyLength"/> octets.</summary>
    internal abstract void WriteBody(Span<byte> destination);

    public abstract override string ToString();
}
