using System.Collections.Immutable;
using System.Net;
using System.Text;

namespace SharpSwan.Config;

/// <summary>One <c>config router static</c> entry.</summary>
/// <param name="Id">The <c>edit</c> sequence number.</param>
/// <param name="Destination">Network address of <c>dst</c> (host bits cleared).</param>
/// <param name="PrefixLength">Prefix length of <c>dst</c>.</param>
/// <param name="Device">Outgoing interface: a phase1-interface tunnel or any Linux interface name.</param>
/// <param name="Gateway">Next hop; 0.0.0.0 means directly through <paramref name="Device"/>.</param>
/// <param name="Distance">Administrative distance, 1-255.</param>
/// <param name="Enabled"><c>status enable</c>.</param>
/// <param name="SourceLine">Line of the <c>edit</c> (ignored by equality).</param>
public sealed record StaticRoute(
    int Id,
    IPAddress Destination,
    int PrefixLength,
    string Device,
    IPAddress Gateway,
    int Distance,
    bool Enabled,
    [property: SourceLocation] int SourceLine)
{
    public const int DefaultDistance = 10;

    /// <summary>FortiOS's default <c>priority</c>.</summary>
    public const long DefaultPriority = 1;

    /// <summary>
    /// The largest <c>priority</c> SharpSwan takes: routes to one destination that differ in priority get the kernel metric
    /// distance × 2^23 + priority, which must fit the kernel's signed 32-bit view of it.
    /// </summary>
    public const long MaxPriority = (1 << 23) - 1;

    /// <summary><c>priority</c>: among routes of equal distance to one destination the lower one carries traffic.</summary>
    public long Priority { get; init; } = DefaultPriority;

    /// <summary><c>blackhole enable</c>: the destination is dropped (a kernel blackhole route), no device or gateway.</summary>
    public bool Blackhole { get; init; }

    /// <summary><c>dstaddr</c>: the firewall address or addrgrp that stands for the destination instead of <c>dst</c>.</summary>
    public string? DestinationAddress { get; init; }

    /// <summary>The CIDR blocks <see cref="DestinationAddress"/> stood for when the configuration was loaded.</summary>
    public ImmutableArray<AddressSelector> DestinationAddressBlocks { get; init; } = [];

    /// <summary>The destination prefixes the route installs: <c>dst</c>, or the blocks of <c>dstaddr</c>.</summary>
    public IReadOnlyList<AddressSelector> DestinationBlocks => DestinationAddress is null ? [DestinationRange] : DestinationAddressBlocks;

    /// <summary>Other FortiOS route settings we accept and keep verbatim (e.g. <c>comment</c>, <c>priority</c>).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary><c>dst</c> as a selector, e.g. 10.2.0.0-10.2.0.255.</summary>
    public AddressSelector DestinationRange => AddressSelector.FromSubnet(Destination, PrefixLength);

    public bool Equals(StaticRoute? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
