using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary><c>config system global</c>: a single object, not a table.</summary>
/// <param name="Hostname"><c>set hostname</c>.</param>
/// <param name="AdminPort"><c>set admin-port</c> (HTTP admin), null when not configured.</param>
/// <param name="AdminSport"><c>set admin-sport</c> (HTTPS admin), null when not configured.</param>
/// <param name="OtherSettings">Other FortiOS global settings, kept verbatim.</param>
public sealed record GlobalSettings(string Hostname, int? AdminPort, int? AdminSport, ImmutableArray<ConfigSetting> OtherSettings)
{
    public const string DefaultHostname = "SharpSwan";

    public static GlobalSettings Default { get; } = new(DefaultHostname, null, null, []);

    /// <summary>The IKE_SA_INIT flood defences (<c>ike-cookie-threshold</c>, <c>ike-embryonic-limit</c>, <c>ike-embryonic-limit-per-source</c>).</summary>
    public IkeInitLimits IkeLimits { get; init; } = IkeInitLimits.Default;

    public bool Equals(GlobalSettings? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
