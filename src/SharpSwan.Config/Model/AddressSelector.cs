using System.Net;

namespace SharpSwan.Config;

/// <summary>
/// A phase 2 source or destination selector: an inclusive IPv4 range. FortiOS's <c>subnet</c>,
/// <c>range</c> and <c>ip</c> address types all reduce to this.
/// </summary>
/// <param name="Start">First address (inclusive).</param>
/// <param name="End">Last address (inclusive).</param>
public sealed record AddressSelector(IPAddress Start, IPAddress End)
{
    /// <summary>0.0.0.0-255.255.255.255, FortiOS's <c>0.0.0.0 0.0.0.0</c> default.</summary>
    public static AddressSelector Any { get; } = FromSubnet(Ipv4.Zero, 0);

    public bool IsAny => Equals(Any);

    /// <summary>The prefix length when the range is exactly one CIDR block, else null.</summary>
    public int? PrefixLength
    {
        get
        {
            if (!Ipv4.IsIpv4(Start) || !Ipv4.IsIpv4(End))
            {
                return null;
            }

            var start = Ipv4.ToUInt32(Start);
            var end = Ipv4.ToUInt32(End);
            if (end < start)
            {
                return null;
            }

            // A CIDR block: start and end share the prefix, start has all host bits clear, end all set.
            var prefix = System.Numerics.BitOperations.LeadingZeroCount(start ^ end);
            var mask = Ipv4.PrefixToMask(prefix);
            return (start & ~mask) == 0 && (end | mask) == uint.MaxValue ? prefix : null;
        }
    }

    /// <summary>The block containing <paramref name="address"/>; host bits are cleared as FortiOS does.</summary>
    public static AddressSelector FromSubnet(IPAddress address, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, 32);
        var mask = Ipv4.PrefixToMask(prefixLength);
        var network = Ipv4.ToUInt32(address) & mask;
        return new AddressSelector(Ipv4.FromUInt32(network), Ipv4.FromUInt32(network | ~mask));
    }

    public static AddressSelector Single(IPAddress address) => new(address, address);

    public bool Contains(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!Ipv4.IsIpv4(address) || !Ipv4.IsIpv4(Start) || !Ipv4.IsIpv4(End))
        {
            return false;
        }

        var value = Ipv4.ToUInt32(address);
        return value >= Ipv4.ToUInt32(Start) && value <= Ipv4.ToUInt32(End);
    }

    /// <summary>
    /// The fewest CIDR blocks that cover exactly this range, lowest first (10.0.0.1-10.0.0.6 is .1/32, .2/31, .4/31, .6/32):
    /// what a route to an iprange installs. An empty list when the range is not IPv4 or runs backwards.
    /// </summary>
    public IReadOnlyList<AddressSelector> Blocks()
    {
        var blocks = new List<AddressSelector>();
        if (!Ipv4.IsIpv4(Start) || !Ipv4.IsIpv4(End) || Ipv4.ToUInt32(End) < Ipv4.ToUInt32(Start))
        {
            return blocks;
        }

        ulong next = Ipv4.ToUInt32(Start);
        ulong last = Ipv4.ToUInt32(End);
        while (next <= last)
        {
            // The largest block aligned at next that does not run past last.
            var size = next == 0 ? 1UL << 32 : next & (~next + 1);
            while (next + size - 1 > last)
            {
                size >>= 1;
            }

            var prefix = 32 - System.Numerics.BitOperations.Log2(size);
            blocks.Add(FromSubnet(Ipv4.FromUInt32((uint)next), (int)prefix));
            next += size;
        }

        return blocks;
    }

    public override string ToString() => $"{Start}-{End}";
}
