using System.Collections.Immutable;
using System.Net;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config firewall address</c> entry of <c>type ipmask</c> or <c>type iprange</c>: what firewall policies, address
/// groups, named phase 2 selectors and a dial-up phase 1's <c>ipv4-split-include</c> (ipmask only) refer to.
/// </summary>
/// <param name="Name">The <c>edit</c> name.</param>
/// <param name="Address">Network address of <c>subnet</c> (host bits cleared).</param>
/// <param name="PrefixLength">Prefix length of <c>subnet</c>; the FortiOS default 0.0.0.0/0 means every address.</param>
public sealed record FirewallAddress(string Name, IPAddress Address, int PrefixLength)
{
    /// <summary>FortiOS limits address names to 79 characters.</summary>
    public const int MaxNameLength = 79;

    /// <summary>Other FortiOS settings we accept and keep verbatim (<c>comment</c>, <c>color</c>, ...).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    /// <summary><c>type iprange</c>: <c>start-ip</c>-<c>end-ip</c>; null for <c>type ipmask</c> (then <c>subnet</c> applies).</summary>
    public AddressSelector? IpRange { get; init; }

    /// <summary>The addresses it stands for: the iprange, else <c>subnet</c> as a range (e.g. 10.1.0.0-10.1.0.255).</summary>
    public AddressSelector Range => IpRange ?? AddressSelector.FromSubnet(Address, PrefixLength);

    public bool Equals(FirewallAddress? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
