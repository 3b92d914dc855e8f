using System.Buffers.Binary;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// Delete payload (RFC 2408 §3.15): one protocol and its SPIs, all of one size (16 octets of cookies for ISAKMP,
/// 4 for ESP).
/// </summary>
public sealed record DeletePayload(byte ProtocolId, byte SpiSize, IReadOnlyList<byte[]> Spis) : IsakmpPayload
{
    private const int FixedLength = 8;

    public uint Doi { get; init; } = SecurityAssociationPayload.IpsecDoi;

    public override IsakmpPayloadType Type => IsakmpPayloadType.Delete;

    internal override int BodyLength => FixedLength + (SpiSize * Spis.Count);

    internal override void WriteBody(Span<byte> destination)
    {
        if (Spis.Count > ushort.MaxValue)
        {
            throw new ArgumentException("A delete payload holds at most 65535 SPIs.");
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Doi);
        destination[4] = ProtocolId;
        destination[5] = SpiSize;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], (ushort)Spis.Count);
        int offset = FixedLength;
        foreach (var spi in Spis)
        {
            if (spi.Length != SpiSize)
            {
                throw new ArgumentException($"Every SPI of this delete payload must be {SpiSize} octets.");
            }

            spi.CopyTo(destination[offset..]);
            offset += SpiSize;
        }
    }

    internal static DeletePayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = $"delete body of {body.Length} octets is shorter than 8";
            return null;
        }

        int spiSize = body[5];
        int count = BinaryPrimitives.ReadUInt16BigEndian(body[6..]);
        if (spiSize == 0 || count == 0 || body.Length != FixedLength + (spiSize * count))
        {
            error = $"delete of {count} SPIs of {spiSize} octets in a body of {body.Length}";
            return null;
        }

        var spis = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            spis.Add(body.Slice(FixedLength + (i * spiSize), spiSize).ToArray());
        }

        error = null;
        return new DeletePayload(body[4], (byte)spiSize, spis) { Doi = BinaryPrimitives.ReadUInt32BigEndian(body) };
    }

    public override string ToString() => $"D(proto={ProtocolId} {Spis.Count}x{SpiSize} octets)";
}
