using System.Net;
using SharpSwan.Config;

namespace SharpSwan.Web.Monitoring;

/// <summary>How selectors are written in the monitor: <c>10.1.0.0/255.255.255.0</c> for a subnet, else a range.</summary>
public static class SelectorText
{
    public static string Describe(AddressSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        return selector.PrefixLength is { } prefix
            ? $"{selector.Start}/{Mask(prefix)}"
            : $"{selector.Start}-{selector.End}";
    }

    /// <summary>A negotiated selector (a dial-up peer's narrowed range) in the same form: subnet/mask when it is one.</summary>
    public static string Describe(SharpSwan.Ike.Wire.TrafficSelector selector)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var start = ToUInt32(selector.StartAddress);
        var end = ToUInt32(selector.EndAddress);
        var size = (ulong)end - start + 1;
        if (end >= start && System.Numerics.BitOperations.IsPow2(size) && start % size == 0)
        {
            var prefix = 32 - System.Numerics.BitOperations.Log2(size);
            return $"{selector.StartAddress}/{Mask(prefix)}";
        }

        return $"{selector.StartAddress}-{selector.EndAddress}";
    }

    private static uint ToUInt32(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        return bytes.Length == 4 ? ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3] : 0;
    }

    /// <summary>A prefix length as a dotted netmask (24 → 255.255.255.0).</summary>
    public static IPAddress Mask(int prefixLength)
    {
        var bits = prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
        return new IPAddress([(byte)(bits >> 24), (byte)(bits >> 16), (byte)(bits >> 8), (byte)bits]);
    }

    /// <summary>A contiguous dotted netmask as a prefix length, or null.</summary>
    public static int? Prefix(IPAddress mask)
    {
        var bytes = mask.GetAddressBytes();
        if (bytes.Length != 4)
        {
            return null;
        }

        var bits = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        var prefix = System.Numerics.BitOperations.PopCount(bits);
        return Mask(prefix).Equals(mask) ? prefix : null;
    }
}
