using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// The whole configuration file, validated. Immutable: a reload produces a new instance, and
/// two instances compare by value (source line numbers excluded).
/// </summary>
public sealed record GatewayConfiguration(
    ImmutableArray<Phase1Settings> Phase1,
    ImmutableArray<Phase2Settings> Phase2,
    ImmutableArray<StaticRoute> StaticRoutes,
    GlobalSettings Global)
{
    public static GatewayConfiguration Empty { get; } = new([], [], [], GlobalSettings.Default);

    /// <summary><c>config system admin</c>: who may log in to the web GUI.</summary>
    public ImmutableArray<AdminAccount> Admins { get; init; } = [];

    /// <summary><c>config system api-user</c>: REST API clients and their bearer tokens.</summary>
    public ImmutableArray<ApiUser> ApiUsers { get; init; } = [];

    /// <summary><c>config log syslogd setting</c>: where the VPN event log is forwarded.</summary>
    public SyslogSettings Syslog { get; init; } = SyslogSettings.Default;

    /// <summary><c>config vpn certificate local</c>: the gateway's certificates and keys (phase 1 <c>set certificate</c>).</summary>
    public ImmutableArray<LocalCertificate> LocalCertificates { get; init; } = [];

    /// <summary><c>config vpn certificate ca</c>: the authorities whose peer certificates are trusted.</summary>
    public ImmutableArray<CaCertificate> CaCertificates { get; init; } = [];

    /// <summary><c>config firewall address</c>: named networks (phase 1 <c>ipv4-split-include</c>).</summary>
    public ImmutableArray<FirewallAddress> FirewallAddresses { get; init; } = [];

    /// <summary>Tables outside SharpSwan's scope (<c>router bgp</c>, <c>system interface</c>, ...), kept verbatim and not acted on.</summary>
    public ImmutableArray<KeptTable> KeptTables { get; init; } = [];

    /// <summary>The phase 1 (interface or policy mode) with this name; names are case-sensitive.</summary>
    public Phase1Settings? FindPhase1(string name)
    {
        foreach (var phase1 in Phase1)
        {
            if (string.Equals(phase1.Name, name, StringComparison.Ordinal))
            {
                return phase1;
            }
        }

        return null;
    }

    /// <summary>The phase 2 entries whose <c>phase1name</c> is <paramref name="phase1Name"/>, in file order.</summary>
    public IEnumerable<Phase2Settings> Phase2For(string phase1Name) =>
        Phase2.Where(p => string.Equals(p.Phase1Name, phase1Name, StringComparison.Ordinal));

    public bool Equals(GatewayConfiguration? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
