namespace SharpSwan.Platform.Interop;

/// <summary>One netlink attribute: its type without the nested and byte-order flags, its value, and the whole attribute as sent (header, value, padding).</summary>
internal readonly ref struct NetlinkAttribute(ushort type, ReadOnlySpan<byte> value, ReadOnlySpan<byte> whole)
{
    public ushort Type { get; } = type;

    public ReadOnlySpan<byte> Value { get; } = value;

    public ReadOnlySpan<byte> Whole { get; } = whole;
}
