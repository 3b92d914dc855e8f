namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// NAT-D payload (RFC 3947 §3.2): HASH(CKY-I | CKY-R | IP | port). <paramref name="Draft"/> selects payload type 130,
/// which peers negotiating a NAT-T draft VID use instead of 20.
/// </summary>
public sealed record NatDiscoveryPayload(byte[] Hash, bool Draft = false) : IsakmpPayload
{
    public override IsakmpPayloadType Type => Draft ? IsakmpPayloadType.NatDiscoveryDraft : IsakmpPayloadType.NatDiscovery;

    internal override int BodyLength => Hash.Length;

    internal override void WriteBody(Span<byte> destination) => Hash.CopyTo(destination);

    internal static NatDiscoveryPayload? TryDecode(ReadOnlySpan<byte> body, bool draft, out string? error)
    {
        var data = OpaquePayloadBody.TryRead(body, 1, ushort.MaxValue, "NAT-D hash", out error);
        return data is null ? null : new NatDiscoveryPayload(data, draft);
    }

    public override string ToString() => $"NAT-D({Hash.Length} bytes)";
}
