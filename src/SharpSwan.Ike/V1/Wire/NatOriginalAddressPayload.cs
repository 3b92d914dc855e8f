using System.Net;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>NAT-OA payload (RFC 3947 §5.2): the original address of a transport-mode peer; type 131 under the drafts.</summary>
public sealed record NatOriginalAddressPayload(IPAddress Address, bool Draft = false) : IsakmpPayload
{
    private const int FixedLength = 4;

    public override IsakmpPayloadType Type => Draft ? IsakmpPayloadType.NatOriginalAddressDraft : IsakmpPayloadType.NatOriginalAddress;

    private int AddressLength => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 16 : 4;

    internal override int BodyLength => FixedLength + AddressLength;

    internal override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)(AddressLength == 16 ? IsakmpIdType.Ipv6Address : IsakmpIdType.Ipv4Address);
        destination[1..FixedLength].Clear();
        if (!Address.TryWriteBytes(destination[FixedLength..], out _))
        {
            throw new ArgumentException("The NAT-OA address does not fit its payload.");
        }
    }

    internal static NatOriginalAddressPayload? TryDecode(ReadOnlySpan<byte> body, bool draft, out string? error)
    {
        int expected = body.Length > 0 && body[0] == (byte)IsakmpIdType.Ipv6Address ? 16
            : body.Length > 0 && body[0] == (byte)IsakmpIdType.Ipv4Address ? 4 : -1;
        if (expected < 0 || body.Length != FixedLength + expected)
        {
            error = $"NAT-OA body of {body.Length} octets is not an IPv4 or IPv6 address";
            return null;
        }

        error = null;
        return new NatOriginalAddressPayload(new IPAddress(body[FixedLength..]), draft);
    }

    public override string ToString() => $"NAT-OA({Address})";
}
