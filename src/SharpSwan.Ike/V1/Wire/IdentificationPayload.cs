namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// ID payload in the IPsec DOI (RFC 2407 §4.6.2): type, IP protocol, port and data. In phase 1 it names the peer;
/// in quick mode IDci/IDcr carry the proxy IDs (subnets, ranges, addresses, protocol and port).
/// </summary>
public sealed record IdentificationPayload(IsakmpIdType IdType, byte Protocol, ushort Port, byte[] Data) : IsakmpPayload
{
    private const int FixedLength = 4;

    public override IsakmpPayloadType Type => IsakmpPayloadType.Identification;

    internal override int BodyLength => FixedLength + Data.Length;

    internal override void WriteBody(Span<byte> destination)
    {
        destination[0] = (byte)IdType;
        destination[1] = Protocol;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Port);
        Data.CopyTo(destination[FixedLength..]);
    }

    internal static IdentificationPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = $"ID body of {body.Length} octets is shorter than 4";
            return null;
        }

        var type = (IsakmpIdType)body[0];
        int dataLength = body.Length - FixedLength;
        int? expected = type switch
        {
            IsakmpIdType.Ipv4Address => 4,
            IsakmpIdType.Ipv4Subnet or IsakmpIdType.Ipv4Range => 8,
            IsakmpIdType.Ipv6Address => 16,
            IsakmpIdType.Ipv6Subnet or IsakmpIdType.Ipv6Range => 32,
            _ => null,
        };
        if (expected is int length ? dataLength != length : dataLength == 0)
        {
            error = $"ID type {body[0]} with {dataLength} octets of data";
            return null;
        }

        error = null;
        return new IdentificationPayload(type, body[1], System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(body[2..]), body[FixedLength..].ToArray());
    }

    public override string ToString() => $"ID({IdType} proto={Protocol} port={Port} {Data.Length} bytes)";
}
