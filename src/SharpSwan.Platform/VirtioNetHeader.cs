using System.Buffers.Binary;

namespace SharpSwan.Platform;

/// <summary>
/// The 10-byte struct virtio_net_hdr that precedes every packet on a TUN device opened with IFF_VNET_HDR. With offloads
/// on, the kernel uses it to hand over TCP super-packets (GSO) and packets whose checksum is still to be finished; on
/// write it lets us hand the kernel a coalesced super-packet. TUN uses little-endian fields on every host we run on.
/// </summary>
public readonly record struct VirtioNetHeader(
    byte Flags,
    byte GsoType,
    ushort HeaderLength,
    ushort GsoSize,
    ushort ChecksumStart,
    ushort ChecksumOffset)
{
    public const int Size = 10;

    /// <summary>VIRTIO_NET_HDR_F_NEEDS_CSUM: the checksum at ChecksumStart+ChecksumOffset holds only the pseudo-header sum.</summary>
    public const byte FlagNeedsChecksum = 1;

    /// <summary>VIRTIO_NET_HDR_F_DATA_VALID: the checksum was already verified.</summary>
    public const byte FlagDataValid = 2;

    public const byte GsoNone = 0;
    public const byte GsoTcpV4 = 1;
    public const byte GsoUdp = 3;
    public const byte GsoTcpV6 = 4;
    public const byte GsoUdpL4 = 5;

    /// <summary>Or'ed into the GSO type when the TCP stream uses ECN (CWR only on the first segment).</summary>
    public const byte GsoEcnBit = 0x80;

    public bool NeedsChecksum => (Flags & FlagNeedsChecksum) != 0;

    /// <summary>The GSO type without the ECN bit.</summary>
    public byte GsoKind => (byte)(GsoType & ~GsoEcnBit);

    /// <summary>Reads a header; <paramref name="source"/> must hold at least <see cref="Size"/> bytes.</summary>
    public static VirtioNetHeader Read(ReadOnlySpan<byte> source) => new(
        source[0],
        source[1],
        BinaryPrimitives.ReadUInt16LittleEndian(source[2..]),
        BinaryPrimitives.ReadUInt16LittleEndian(source[4..]),
        BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
        BinaryPrimitives.ReadUInt16LittleEndian(source[8..]));

    public void Write(Span<byte> destination)
    {
        destination[0] = Flags;
        destination[1] = GsoType;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[2..], HeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], GsoSize);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], ChecksumStart);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[8..], ChecksumOffset);
    }
}
