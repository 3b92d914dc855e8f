using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>An inclusive IPv4 address range, as the IKE log and session filters take it (`1.2.3.4` or `1.2.3.4-1.2.3.9`).</summary>
public readonly record struct Ipv4Range(uint Start, uint End)
{
    public static bool TryParse(string text, out Ipv4Range range)
    {
        var dash = text.IndexOf('-');
        return dash < 0
            ? TryParse(text, text, out range)
            : TryParse(text[..dash], text[(dash + 1)..], out range);
    }

    public static bool TryParse(string from, string to, out Ipv4Range range)
    {
        range = default;
        if (!TryToUInt32(from, out var start) || !TryToUInt32(to, out var end) || end < start)
        {
            return false;
        }

        range = new Ipv4Range(start, end);
        return true;
    }

    public bool Contains(uint address) => address >= Start && address <= End;

    public bool Contains(IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        var value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return value >= Start && value <= End;
    }

    public override string ToString() => Start == End ? Text(Start) : $"{Text(Start)}-{Text(End)}";

    /// <summary>One address (host byte order) in dotted form.</summary>
    public static string Text(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes).ToString();
    }

    private static bool TryToUInt32(string text, out uint value)
    {
        value = 0;
        if (!IPAddress.TryParse(text.Trim(), out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || text.Count(c => c == '.') != 3)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        value = BinaryPrimitives.ReadUInt32BigEndian(bytes);
        return true;
    }
}
