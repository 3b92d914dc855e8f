using System.Runtime.InteropServices;

namespace SharpSwan.Platform.Interop;

/// <summary>
/// Walks a run of netlink attributes (host byte order headers, 4-byte aligned) with <c>foreach</c>; stops at the first
/// malformed header, so kernel data that does not parse yields fewer attributes, never an exception.
/// </summary>
internal ref struct NetlinkAttributeReader(ReadOnlySpan<byte> attributes)
{
    private const ushort TypeMask = 0x3fff; // without NLA_F_NESTED and NLA_F_NET_BYTEORDER

    private ReadOnlySpan<byte> _rest = attributes;

    public NetlinkAttribute Current { get; private set; }

    public readonly NetlinkAttributeReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < 4)
        {
            return false;
        }

        int length = MemoryMarshal.Read<ushort>(_rest);
        if (length < 4 || length > _rest.Length)
        {
            return false;
        }

        int aligned = Math.Min(NetlinkMessageWriter.Align(length), _rest.Length);
        Current = new NetlinkAttribute((ushort)(MemoryMarshal.Read<ushort>(_rest[2..]) & TypeMask), _rest[4..length], _rest[..aligned]);
        _rest = _rest[aligned..];
        return true;
    }
}
