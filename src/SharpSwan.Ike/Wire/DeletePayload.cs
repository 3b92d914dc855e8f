using System.Buffers.Binary;

namespace SharpSwan.Ike.Wire;

/// <summary>
/// Delete payload (RFC 7296 §3.11). For the IKE SA the SPI list is empty (SPI size 0); for ESP and AH every
/// SPI is 4 octets. The SPI arrays are never mutated.
/// </summary>
public sealed record DeletePayload(ProtocolId Protocol, IReadOnlyList<byte[]> Spis) : IkePayload
{
    private const int FixedLength = 4;
    private const int ChildSpiSize = 4;

    public override PayloadType Type => PayloadType.Delete;

    private int SpiSize => Protocol == ProtocolId.Ike ? 0 : ChildSpiSize;

    internal override int BodyLength => FixedLength + (SpiSize * Spis.Count);

    internal override void WriteBody(Span<byte> destination)
    {
        int spiSize = SpiSize;
        if (Protocol is not (ProtocolId.Ike or ProtocolId.Esp or ProtocolId.Ah))
        {
            throw new ArgumentException($"Delete is defined for IKE, ESP and AH, not {Protocol}.");
        }

        if (Spis.Count > ushort.MaxValue)
        {
            throw new ArgumentException("A Delete payload lists at most 65535 SPIs.");
        }

        foreach (byte[] spi in Spis)
        {
            if (spi.Length != spiSize)
            {
                throw new ArgumentException($"Delete for {Protocol} needs SPIs of {spiSize} octets.");
            }
        }

        destination[0] = (byte)Protocol;
        destination[1] = (byte)spiSize;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)Spis.Count);
        int offset = FixedLength;
        foreach (byte[] spi in Spis)
        {
            spi.CopyTo(destination[offset..]);
            offset += spiSize;
        }
    }

    internal static DeletePayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = "Delete payload shorter than its 4 fixed octets";
            return null;
        }

        var protocol = (ProtocolId)body[0];
        int spiSize = body[1];
        int count = BinaryPrimitives.ReadUInt16BigEndian(body[2..]);
        int expectedSpiSize = protocol switch
        {
            ProtocolId.Ike => 0,
            ProtocolId.Esp or ProtocolId.Ah => ChildSpiSize,
            _ => -1,
        };

        if (expectedSpiSize < 0)
        {
            error = $"Delete for unknown protocol {(byte)protocol}";
            return null;
        }

        if (spiSize != expectedSpiSize)
        {
            error = $"Delete for {protocol} with SPI size {spiSize}, expected {expectedSpiSize}";
            return null;
        }

        if (protocol == ProtocolId.Ike && count != 0)
        {
            error = "Delete for the IKE SA must not list SPIs";
            return null;
        }

        if (body.Length - FixedLength != spiSize * count)
        {
            error = $"Delete announces {count} SPIs of {spiSize} octets but carries {body.Length - FixedLength} octets";
            return null;
        }

        var spis = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            spis.Add(body.Slice(FixedLength + (i * spiSize), spiSize).ToArray());
        }

        error = null;
        return new DeletePayload(protocol, spis);
    }

    public override string ToString() =>
        $"D({Protocol}{(Spis.Count == 0 ? string.Empty : " " + string.Join(",", Spis.Select(Convert.ToHexStringLower)))})";
}
