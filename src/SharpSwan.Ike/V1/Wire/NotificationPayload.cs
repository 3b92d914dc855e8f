using System.Buffers.Binary;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// Notification payload (RFC 2408 §3.14): DOI, protocol, SPI, message type and data. Types below 16384 are
/// errors; RFC 3706 R-U-THERE (36136) and RESPONDER-LIFETIME (24576) are status types.
/// </summary>
public sealed record NotificationPayload(byte ProtocolId, ushort MessageType, byte[] Spi, byte[] Data) : IsakmpPayload
{
    private const int FixedLength = 8;

    public uint Doi { get; init; } = SecurityAssociationPayload.IpsecDoi;

    public override IsakmpPayloadType Type => IsakmpPayloadType.Notification;

    internal override int BodyLength => FixedLength + Spi.Length + Data.Length;

    internal override void WriteBody(Span<byte> destination)
    {
        if (Spi.Length > byte.MaxValue)
        {
            throw new ArgumentException("An SPI holds at most 255 octets.");
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, Doi);
        destination[4] = ProtocolId;
        destination[5] = (byte)Spi.Length;
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], MessageType);
        Spi.CopyTo(destination[FixedLength..]);
        Data.CopyTo(destination[(FixedLength + Spi.Length)..]);
    }

    internal static NotificationPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength || FixedLength + body[5] > body.Length)
        {
            error = $"notification body of {body.Length} octets cannot hold its header and SPI";
            return null;
        }

        int spiSize = body[5];
        error = null;
        return new NotificationPayload(
            body[4],
            BinaryPrimitives.ReadUInt16BigEndian(body[6..]),
            body.Slice(FixedLength, spiSize).ToArray(),
            body[(FixedLength + spiSize)..].ToArray())
        {
            Doi = BinaryPrimitives.ReadUInt32BigEndian(body),
        };
    }

    public override string ToString() => $"N(type={MessageType} proto={ProtocolId} spi={Convert.ToHexStringLower(Spi)} {Data.Length} bytes)";
}
