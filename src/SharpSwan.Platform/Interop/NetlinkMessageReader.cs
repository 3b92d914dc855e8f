using System.Runtime.InteropServices;

namespace SharpSwan.Platform.Interop;

/// <summary>
/// Walks the netlink messages of one received datagram (each with its header, 4-byte aligned) with <c>foreach</c>; stops
/// at the first malformed header and says so in <see cref="Malformed"/>, never throwing.
/// </summary>
internal ref struct NetlinkMessageReader(ReadOnlySpan<byte> datagram)
{
    private ReadOnlySpan<byte> _rest = datagram;

    public ReadOnlySpan<byte> Current { get; private set; }

    /// <summary>True once a header claimed a length the datagram does not hold.</summary>
    public bool Malformed { get; private set; }

    public readonly NetlinkMessageReader GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_rest.Length < NetlinkMessageWriter.HeaderLength)
        {
            return false;
        }

        uint length = MemoryMarshal.Read<uint>(_rest);
        if (length < NetlinkMessageWriter.HeaderLength || length > _rest.Length)
        {
            Malformed = true;
            return false;
        }

        Current = _rest[..(int)length];
        _rest = _rest[Math.Min(NetlinkMessageWriter.Align((int)length), _rest.Length)..];
        return true;
    }
}
