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
