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

    /// <summary><c>config system accprofile</c>: the configured access profiles (the built-in ones are not listed).</summary>
    public ImmutableArray<AccessProfile> AccessProfiles { get; init; } = [];

    /// <summary>The access profile with this name, built-in or configured; null when there is none.</summary>
    public AccessProfile? FindAccessProfile(string name) =>
        AccessProfile.BuiltIn(name) ?? AccessProfiles.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));

    /// <summary><c>config system admin</c>: who may log in to the web GUI.</summary>
    public ImmutableArray<AdminAccount> Admins { get; init; } = [];

    /// <summary><c>config system api-user</c>: REST API clients and their bearer tokens.</summary>
    public ImmutableArray<ApiUser> ApiUsers { get; init; } = [];

    /// <summary><c>config user local</c>: users with a password on the gateway (XAUTH, EAP).</summary>
    public ImmutableArray<LocalUser> LocalUsers { get; init; } = [];

    /// <summary><c>config user group</c>: groups of local users (phase 1 <c>authusrgrp</c>).</summary>
    public ImmutableArray<UserGroup> UserGroups { get; init; } = [];

    /// <summary><c>config log syslogd setting</c>: where the VPN event log is forwarded.</summary>
    public SyslogSettings Syslog { get; init; } = SyslogSettings.Default;

    /// <summary><c>config vpn certificate local</c>: the gateway's certificates and keys (phase 1 <c>set certificate</c>).</summary>
    public ImmutableArray<LocalCertificate> LocalCertificates { get; init; } = [];

    /// <summary><c>config vpn certificate ca</c>: the authorities whose peer certificates are trusted.</summary>
    public ImmutableArray<CaCertificate> CaCertificates { get; init; } = [];

    /// <summary><c>config vpn certificate crl</c>: revocation lists checked when a peer authenticates with a certificate.</summary>
    public ImmutableArray<CertificateRevocationList> RevocationLists { get; init; } = [];

    /// <summary><c>config firewall address</c>: named networks (phase 1 <c>ipv4-split-include</c>).</summary>
    public ImmutableArray<FirewallAddress> FirewallAddresses { get; init; } = [];

    /// <summary><c>config user peer</c>: certificate peers a phase 1's <c>peer</c> names.</summary>
    public ImmutableArray<UserPeer> UserPeers { get; init; } = [];

    /// <summary><c>config user peergrp</c>: groups of certificate peers a phase 1's <c>peergrp</c> names.</summary>
    public ImmutableArray<UserPeerGroup> UserPeerGroups { get; init; } = [];

    /// <summary><c>config firewall addrgrp</c>: named sets of addresses that policies use.</summary>
    public ImmutableArray<FirewallAddressGroup> FirewallAddressGroups { get; init; } = [];

    /// <summary>
    /// <c>config firewall policy</c> in table order (the order policies are matched in). Empty means the configuration has
    /// no policy table: then every route into a tunnel interface may use it, as before policies existed.
    /// </summary>
    public ImmutableArray<FirewallPolicy> FirewallPolicies { get; init; } = [];

    /// <summary><c>config firewall service custom</c> in table order.</summary>
    public ImmutableArray<FirewallService> FirewallServices { get; init; } = [];

    /// <summary><c>config firewall schedule recurring</c> then <c>onetime</c>, in table order.</summary>
    public ImmutableArray<FirewallSchedule> FirewallSchedules { get; init; } = [];

    /// <summary>The schedule a policy names: an entry, else a predefined one (<c>always</c>, <c>none</c>); null for an unknown name.</summary>
    public FirewallSchedule? ResolveSchedule(string name) =>
        FirewallSchedules.FirstOrDefault(s => s.Name == name) ?? FirewallSchedule.Predefined.GetValueOrDefault(name);

    /// <summary>
    /// What a service name matches: a custom service, else a predefined one (<see cref="FirewallService.Predefined"/>).
    /// Empty for an unknown name.
    /// </summary>
    public IReadOnlyList<ServiceRange> ResolveService(string name) =>
        FirewallServices.FirstOrDefault(s => s.Name == name) is { } custom ? custom.Ranges
        : FirewallService.Predefined.TryGetValue(name, out var predefined) ? predefined
        : [];

    /// <summary>True when firewall policies govern the traffic (the configuration has a <c>config firewall policy</c> table).</summary>
    public bool HasPolicyTable => !FirewallPolicies.IsDefaultOrEmpty;

    /// <summary>
    /// The address ranges a firewall address or addrgrp name stands for (groups expanded at any depth; <c>all</c> is
    /// predefined as every IPv4 address unless the configuration defines its own). Empty for an unknown name.
    /// </summary>
    public IReadOnlyList<AddressSelector> ResolveAddress(string name)
    {
        var ranges = new List<AddressSelector>();
        CollectAddress(name, ranges, new HashSet<string>(StringComparer.Ordinal));
        return ranges;
    }

    private void CollectAddress(string name, List<AddressSelector> ranges, HashSet<string> seen)
    {
        if (!seen.Add(name))
        {
            return;
        }

        if (FirewallAddresses.FirstOrDefault(a => a.Name == name) is { } address)
        {
            ranges.Add(address.Range);
        }
        else if (FirewallAddressGroups.FirstOrDefault(g => g.Name == name) is { } group)
        {
            foreach (var member in group.Members)
            {
                CollectAddress(member, ranges, seen);
            }
        }
        else if (name == FirewallPolicyTables.AllAddress)
        {
            ranges.Add(AddressSelector.Any);
        }
    }

    /// <summary>
    /// Whether an enabled firewall policy refers to the phase 1: a policy-based one as <c>vpntunnel</c> of an ipsec policy, a
    /// route-based one as <c>srcintf</c> or <c>dstintf</c>. Without a policy table every tunnel counts as referred to
    /// (today's behaviour). FortiOS does not negotiate a tunnel no policy uses.
    /// </summary>
    public bool IsReferencedByPolicy(string phase1Name)
    {
        if (FindPhase1(phase1Name) is not { } phase1)
        {
            return false;
        }

        if (!HasPolicyTable)
        {
            return true;
        }

        return FirewallPolicies.Any(p => p.Enabled && (phase1.IsInterfaceMode
            ? p.SourceInterfaces.Contains(phase1Name) || p.DestinationInterfaces.Contains(phase1Name)
            : p.Action == PolicyAction.Ipsec && p.VpnTunnel == phase1Name));
    }

    /// <summary>Tables outside SharpSwan's scope (<c>router bgp</c>, <c>system interface</c>, ...), kept verbatim and not acted on.</summary>
    public ImmutableArray<KeptTable> KeptTables { get; init; } = [];

    /// <summary>
    /// The <c>type tunnel</c> entries of <c>config system interface</c> that name a phase1-interface: addresses and MTU for
    /// its TUN device. Read from the kept table (which saving writes back unchanged), so not written separately.
    /// </summary>
    public ImmutableArray<TunnelInterface> TunnelInterfaces { get; init; } = [];

    /// <summary>The tunnel interface settings for the phase1-interface of this name, or null when it has none.</summary>
    public TunnelInterface? FindTunnelInterface(string name) =>
        TunnelInterfaces.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

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
