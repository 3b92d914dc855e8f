using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config system accprofile</c> entry: what an administrator or API user holding it may read and change. The groups
/// SharpSwan acts on are <c>vpngrp</c> (IPsec tunnels, certificates, tunnel up/down), <c>fwgrp</c> (firewall policies and
/// addresses), <c>netgrp</c> (static routes) and <c>sysgrp</c> (system status, metrics); the other FortiOS groups name
/// features SharpSwan does not have, so they are kept and change nothing. A group that is not set is <c>none</c>, as in FortiOS.
/// </summary>
public sealed record AccessProfile
{
    public const int MaxNameLength = 35;

    /// <summary>The built-in profile with every right.</summary>
    public const string SuperAdmin = "super_admin";

    /// <summary>The built-in profile that may read everything and change nothing.</summary>
    public const string SuperAdminReadOnly = "super_admin_readonly";

    /// <summary>The groups whose level SharpSwan enforces.</summary>
    public static readonly ImmutableArray<string> EnforcedGroups = ["sysgrp", "netgrp", "fwgrp", "vpngrp"];

    /// <summary>FortiOS groups of features SharpSwan does not have: accepted and kept, they govern nothing here.</summary>
    public static readonly ImmutableArray<string> KeptGroups = ["secfabgrp", "ftviewgrp", "authgrp", "loggrp", "utmgrp", "wanoptgrp", "wifi"];

    public required string Name { get; init; }

    /// <summary>Every setting as written (the groups, <c>comments</c>, <c>scope</c>); <see cref="Level"/> reads the groups from here.</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    /// <summary>The level this profile gives on <paramref name="group"/> (<c>none</c> when unset).</summary>
    public AccessLevel Level(string group) =>
        OtherSettings.FirstOrDefault(s => s.Name == group) is { Values: [var value] } ? ParseLevel(value) ?? AccessLevel.None : AccessLevel.None;

    /// <summary>The built-in profiles, which exist without being configured (as in FortiOS).</summary>
    public static AccessProfile? BuiltIn(string name) => name switch
    {
        SuperAdmin => AllGroups(name, "read-write"),
        SuperAdminReadOnly => AllGroups(name, "read"),
        _ => null,
    };

    public static AccessLevel? ParseLevel(string text) => text switch
    {
        "none" => AccessLevel.None,
        "read" => AccessLevel.Read,
        "read-write" => AccessLevel.ReadWrite,
        _ => null,
    };

    public bool Equals(AccessProfile? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private static AccessProfile AllGroups(string name, string level) =>
        new() { Name = name, OtherSettings = [.. EnforcedGroups.Select(g => new ConfigSetting(g, [level], 0))] };

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
