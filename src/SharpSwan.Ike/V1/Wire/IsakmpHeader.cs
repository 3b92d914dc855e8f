using System.Buffers.Binary;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// The fixed 28-octet ISAKMP header (RFC 2408 §3.1). It shares its layout with the IKEv2 header; the version
/// octet (major 1) is what tells the two protocols apart.
/// </summary>
public readonly record struct IsakmpHeader(
    ulong InitiatorCookie,
    ulong ResponderCookie,
    IsakmpPayloadType NextPayload,
    IsakmpExchangeType Exchange,
    IsakmpFlags Flags,
    uint MessageId,
    uint Length)
{
    public const int Size = 28;

    /// <summary>Version octet we send: major 1, minor 0.</summary>
    public const byte CurrentVersion = 0x10;

    /// <summary>The version octet as received; locally built headers report 1.0.</summary>
    public byte Version { get; init; } = CurrentVersion;

    public byte MajorVersion => (byte)(Version >> 4);

    public bool IsEncrypted => (Flags & IsakmpFlags.Encryption) != 0;

    /// <summary>Reads the header fields; fails only when fewer than 28 octets are present.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out IsakmpHeader header)
    {
        if (data.Length < Size)
        {
            header = default;
            return false;
        }

        header = new IsakmpHeader(
            BinaryPrimitives.ReadUInt64BigEndian(data),
            BinaryPrimitives.ReadUInt64BigEndian(data[8..]),
            (IsakmpPayloadType)data[16],
            (IsakmpExchangeType)data[18],
            (IsakmpFlags)data[19],
            BinaryPrimitives.ReadUInt32BigEndian(data[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(data[24..]))
        {
            Version = data[17],
        };
        return true;
    }

    /// <summary>Writes the 28 header octets, always with version 1.0.</summary>
    public void Write(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"An ISAKMP header needs {Size} bytes.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, InitiatorCookie);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ResponderCookie);
        destination[16] = (byte)NextPayload;
        destination[17] = CurrentVersion;
        destination[18] = (byte)Exchange;
        destination[19] = (byte)Flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], MessageId);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], Length);
    }

    public override string ToString() =>
        $"{Exchange} {InitiatorCookie:x16}/{ResponderCookie:x16} mid={MessageId:x8} len={Length} flags={Flags} v={MajorVersion}";
}
