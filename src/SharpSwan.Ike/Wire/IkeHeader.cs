using System.Buffers.Binary;

namespace SharpSwan.Ike.Wire;

/// <summary>
/// The fixed 28-octet IKE header (RFC 7296 §3.1).
/// </summary>
/// <remarks>
/// <see cref="Write"/> always emits version 2.0. A header read from the wire keeps the version octet it
/// arrived with so that the engine can answer INVALID_MAJOR_VERSION instead of silently treating it as IKEv2.
/// </remarks>
public readonly record struct IkeHeader(
    ulong InitiatorSpi,
    ulong ResponderSpi,
    PayloadType NextPayload,
    ExchangeType Exchange,
    IkeFlags Flags,
    uint MessageId,
    uint Length)
{
    public const int Size = 28;

    /// <summary>Version octet we send: major 2, minor 0.</summary>
    public const byte CurrentVersion = 0x20;

    // Stored as the XOR with CurrentVersion so that default/locally built headers (0) mean 2.0 and a
    // parsed 2.0 header compares equal to a locally built one.
    private byte ReceivedVersionDelta { get; init; }

    /// <summary>The version octet: 0x20 unless this header was read from a datagram carrying another version.</summary>
    public byte Version => (byte)(CurrentVersion ^ ReceivedVersionDelta);

    public byte MajorVersion => (byte)(Version >> 4);

    public byte MinorVersion => (byte)(Version & 0x0F);

    public bool IsResponse => (Flags & IkeFlags.Response) != 0;

    /// <summary>True when the sender is the original initiator of the IKE SA (the I flag).</summary>
    public bool IsInitiatorFlag => (Flags & IkeFlags.Initiator) != 0;

    /// <summary>
    /// Reads the header fields. Fails only when fewer than 28 octets are present; the major version and
    /// the length field are reported as they are and checked by <see cref="IkeMessageCodec.Decode"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IkeHeader header)
    {
        if (data.Length < Size)
        {
            header = default;
            return false;
        }

        header = new IkeHeader(
            BinaryPrimitives.ReadUInt64BigEndian(data),
            BinaryPrimitives.ReadUInt64BigEndian(data[8..]),
            (PayloadType)data[16],
            (ExchangeType)data[18],
            (IkeFlags)data[19],
            BinaryPrimitives.ReadUInt32BigEndian(data[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[24..]))
        {
            ReceivedVersionDelta = (byte)(data[17] ^ CurrentVersion),
        };
        return true;
    }

    /// <summary>Writes the 28 header octets, always with version 2.0.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"An IKE header needs {Size} bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, InitiatorSpi);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ResponderSpi);
        destination[16] = (byte)NextPayload;
        destination[17] = CurrentVersion;
        destination[18] = (byte)Exchange;
        destination[19] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], MessageId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], Length);
    }

    public override string ToString() =>
        $"{Exchange} {(IsResponse ? "response" : "request")} {InitiatorSpi:x16}/{ResponderSpi:x16} mid={MessageId} len={Length} flags={Flags} v={MajorVersion}.{MinorVersion}";
}
