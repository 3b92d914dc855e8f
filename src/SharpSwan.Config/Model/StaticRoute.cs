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

    /// <summary>Other FortiOS route settings we accept and keep verbatim (e.g. <c>comment</c>, <c>priority</c>).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary><c>dst</c> as a selector, e.g. 10.2.0.0-10.2.0.255.</summary>
    public AddressSelector DestinationRange => AddressSelector.FromSubnet(Destination, PrefixLength);

    public bool Equals(StaticRoute? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
