using System.Buffers.Binary;
using System.Text;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// Writes captured frames as pcapng (the IETF pcapng draft's section header, interface description and enhanced packet
/// blocks, little-endian): one interface block per (interface, link type) so Ethernet and TUN captures share a file,
/// with the interface name and each packet's direction kept. Timestamps are microseconds, the format's default.
/// </summary>
public sealed class PcapNgWriter : IDisposable
{
    private const uint SectionHeaderType = 0x0A0D0D0A;
    private const uint InterfaceDescriptionType = 0x00000001;
    private const uint EnhancedPacketType = 0x00000006;
    private const uint ByteOrderMagic = 0x1A2B3C4D;
    private const ushort OptionEnd = 0;
    private const ushort OptionUserApplication = 4;
    private const ushort OptionInterfaceName = 2;
    private const ushort OptionPacketFlags = 2;

    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly int _snapLength;
    private readonly Dictionary<(string Interface, int LinkType), uint> _interfaceIds = [];

    public PcapNgWriter(Stream stream, int snapLength, bool ownsStream = true)
    {
        this._stream = stream;
        this._snapLength = snapLength;
        this._ownsStream = ownsStream;
        WriteSectionHeader();
    }

    public int PacketsWritten { get; private set; }

    public void Write(CapturedFrame frame)
    {
        var interfaceId = InterfaceId(frame.Interface, frame.LinkType);
        var microseconds = (frame.Timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;
        var data = frame.Data;

        // Fixed part 28 bytes + padded data + epb_flags option (8) + end of options (4) + trailing length (4).
        var length = 28 + Pad(data.Length) + 8 + 4 + 4;
        var block = new byte[length];
        var span = block.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, EnhancedPacketType);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], interfaceId);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)((ulong)microseconds >> 32));
        BinaryPrimitives.WriteUInt32LittleEndian(span[16..], (uint)microseconds);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[24..], (uint)Math.Max(frame.OriginalLength, data.Length));
        data.CopyTo(span[28..]);
        var options = span[(28 + Pad(data.Length))..];

        // epb_flags bits 0-1: 01 inbound, 10 outbound.
        BinaryPrimitives.WriteUInt16LittleEndian(options, OptionPacketFlags);
        BinaryPrimitives.WriteUInt16LittleEndian(options[2..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(options[4..], frame.Direction == SnifferDirection.In ? 1u : 2u);
        BinaryPrimitives.WriteUInt16LittleEndian(options[8..], OptionEnd);
        BinaryPrimitives.WriteUInt16LittleEndian(options[10..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[^4..], (uint)length);
        _stream.Write(block);
        PacketsWritten++;
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        _stream.Flush();
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    private static int Pad(int length) => (length + 3) & ~3;

    private uint InterfaceId(string name, int linkType)
    {
        if (_interfaceIds.TryGetValue((name, linkType), out var id))
        {
            return id;
        }

        id = (uint)_interfaceIds.Count;
        _interfaceIds[(name, linkType)] = id;
        var nameBytes = Encoding.UTF8.GetBytes(name);

        // Fixed part 16 bytes + if_name option (4 + padded name) + end of options (4) + trailing length (4).
        var length = 16 + 4 + Pad(nameBytes.Length) + 4 + 4;
        var block = new byte[length];
        var span = block.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, InterfaceDescriptionType);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[8..], (ushort)linkType);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], (uint)_snapLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], OptionInterfaceName);
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], (ushort)nameBytes.Length);
        nameBytes.CopyTo(span[20..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[^4..], (uint)length);
        _stream.Write(block);
        return id;
    }

    private void WriteSectionHeader()
    {
        var application = Encoding.UTF8.GetBytes("SharpSwan diagnose sniffer packet");

        // Fixed part 24 bytes + shb_userappl option (4 + padded text) + end of options (4) + trailing length (4).
        var length = 24 + 4 + Pad(application.Length) + 4 + 4;
        var block = new byte[length];
        var span = block.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, SectionHeaderType);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], ByteOrderMagic);
        BinaryPrimitives.WriteUInt16LittleEndian(span[12..], 1);
        BinaryPrimitives.WriteUInt16LittleEndian(span[14..], 0);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], -1); // section length not known
        BinaryPrimitives.WriteUInt16LittleEndian(span[24..], OptionUserApplication);
        BinaryPrimitives.WriteUInt16LittleEndian(span[26..], (ushort)application.Length);
        application.CopyTo(span[28..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[^4..], (uint)length);
        _stream.Write(block);
    }
}
