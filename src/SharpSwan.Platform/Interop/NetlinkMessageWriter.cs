using System.Runtime.InteropServices;

namespace SharpSwan.Platform.Interop;

/// <summary>
/// Builds one rtnetlink request in a caller-supplied buffer: a 16-byte nlmsghdr, a fixed family header
/// (ifinfomsg, ifaddrmsg, rtmsg) and 4-byte aligned attributes. Netlink uses host byte order throughout.
/// </summary>
internal ref struct NetlinkMessageWriter
{
    public const int HeaderLength = 16;
    private const int AttributeHeaderLength = 4;

    private readonly Span<byte> _buffer;
    private int _length;

    public NetlinkMessageWriter(Span<byte> buffer, ushort messageType, ushort flags, uint sequence)
    {
        _buffer = buffer;
        _buffer.Clear();
        MemoryMarshal.Write(_buffer[4..], in messageType);
        MemoryMarshal.Write(_buffer[6..], in flags);
        MemoryMarshal.Write(_buffer[8..], in sequence);
        _length = HeaderLength;
    }

    /// <summary>Reserves a zeroed, aligned block for the family header and returns it for the caller to fill.</summary>
    public Span<byte> AppendFixedHeader(int size)
    {
        Span<byte> block = _buffer.Slice(_length, size);
        _length += Align(size);
        return block;
    }

    public void AddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        ushort attributeLength = (ushort)(AttributeHeaderLength + value.Length);
        MemoryMarshal.Write(_buffer[_length..], in attributeLength);
        MemoryMarshal.Write(_buffer[(_length + 2)..], in type);
        value.CopyTo(_buffer[(_length + AttributeHeaderLength)..]);
        _length += Align(attributeLength);
    }

    public void AddAttribute(ushort type, uint value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        MemoryMarshal.Write(bytes, in value);
        AddAttribute(type, bytes);
    }

    /// <summary>Appends attributes already in wire form (e.g. copied from a kernel message), padding included.</summary>
    public void AppendAttributes(scoped ReadOnlySpan<byte> attributes)
    {
        attributes.CopyTo(_buffer[_length..]);
        _length += Align(attributes.Length);
    }

    /// <summary>Writes the total length into nlmsghdr and returns the finished message.</summary>
    public readonly ReadOnlySpan<byte> Complete()
    {
        uint total = (uint)_length;
        MemoryMarshal.Write(_buffer, in total);
        return _buffer[.._length];
    }

    public static int Align(int length) => (length + 3) & ~3;
}
