using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace SharpSwan.Config;

/// <summary>Strict IPv4 helpers: FortiOS only accepts dotted quads, unlike <see cref="IPAddress.TryParse(string?, out IPAddress?)"/>.</summary>
internal static class Ipv4
{
    public static bool TryParse(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || !part.All(char.IsAsciiDigit))
            {
                return false;
            }

            var value = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
            if (value > 255)
            {
                return false;
            }

            bytes[i] = (byte)value;
        }

        address = new IPAddress(bytes);
        return true;
    }

    public static bool IsIpv4(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork;

    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[4];
        if (!IsIpv4(address) || !address.TryWriteBytes(bytes, out _))
        {
            throw new ArgumentException("Not an IPv4 address.", nameof(address));
        }

        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    public static uint PrefixToMask(int prefixLength) =>
        prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);

    public static IPAddress PrefixToMaskAddress(int prefixLength) => FromUInt32(PrefixToMask(prefixLength));

    /// <summary>The prefix length of a contiguous netmask such as 255.255.255.0; false for 255.0.255.0.</summary>
    public static bool TryMaskToPrefix(IPAddress mask, out int prefixLength)
    {
        var value = ToUInt32(mask);
        prefixLength = System.Numerics.BitOperations.PopCount(value);
        return PrefixToMask(prefixLength) == value;
    }

    public static IPAddress Zero => new(0u);
}
