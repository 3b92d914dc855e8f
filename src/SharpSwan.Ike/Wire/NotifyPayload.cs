using System.Buffers.Binary;

namespace SharpSwan.Ike.Wire;

/// <summary>
/// Notify payload (RFC 7296 §3.10). <paramref name="Spi"/> is empty when the notification concerns the IKE SA
/// itself. Byte arrays are never mutated; <see cref="ToString"/> prints the data length only because some
/// notifications (cookies, NAT detection hashes) are derived from secrets.
/// </summary>
public sealed record NotifyPayload(ProtocolId Protocol, byte[] Spi, NotifyType NotifyType, byte[] Data) : IkePayload
{
    private const int FixedLength = 4;

    /// <summary>Notify types at or above this value are status notifications, below it errors.</summary>
    public const ushort FirstStatusType = 16384;

    public override PayloadType Type => PayloadType.Notify;

    public bool IsError => (ushort)NotifyType < FirstStatusType;

    internal override int BodyLength => FixedLength + Spi.Length + Data.Length;

    internal override void WriteBody(Span<byte> destination)
    {
        if (Spi.Length > byte.MaxValue)
        {
            throw new ArgumentException("A notify SPI is at most 255 octets.");
        }

        destination[0] = (byte)Protocol;
        destination[1] = (byte)Spi.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)NotifyType);
        Spi.CopyTo(destination[FixedLength..]);
        Data.CopyTo(destination[(FixedLength + Spi.Length)..]);
    }

    internal static NotifyPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = "Notify payload shorter than its 4 fixed octets";
            return null;
        }

        int spiSize = body[1];
        if (FixedLength + spiSize > body.Length)
        {
            error = $"Notify SPI size {spiSize} overruns the payload";
            return null;
        }

        error = null;
        return new NotifyPayload(
            (ProtocolId)body[0],
            body.Slice(FixedLength, spiSize).ToArray(),
            (NotifyType)BinaryPrimitives.ReadUInt16BigEndian(body[2..]),
            body[(FixedLength + spiSize)..].ToArray());
    }

    public override string ToString()
    {
        string spi = Spi.Length == 0 ? string.Empty : $" {Protocol} spi={Convert.ToHexStringLower(Spi)}";
        return $"N({NotifyType}{spi}, {Data.Length} bytes)";
    }
}
