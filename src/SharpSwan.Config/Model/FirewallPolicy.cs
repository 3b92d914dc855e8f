using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config firewall policy</c> entry. Policies are matched top-down in table order (not by id); the first
/// enabled one that matches decides, and traffic no policy matches is denied (FortiOS's implicit policy 0).
/// </summary>
public sealed record FirewallPolicy
{
    /// <summary>FortiOS limits policy names to 35 characters.</summary>
    public const int MaxNameLength = 35;

    /// <summary>The interface name that matches every interface.</summary>
    public const string AnyInterface = "any";

    /// <summary>The <c>edit</c> id; it names the policy and never changes when the policy is moved.</summary>
    public required long Id { get; init; }

    public string? Name { get; init; }

    /// <summary>Enabled by default; a disabled policy is skipped in matching.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>srcintf</c>: interface names, phase1-interface tunnel names or <c>any</c>.</summary>
    public ImmutableArray<string> SourceInterfaces { get; init; } = [];

    /// <summary><c>dstintf</c>: interface names, phase1-interface tunnel names or <c>any</c>.</summary>
    public ImmutableArray<string> DestinationInterfaces { get; init; } = [];

    /// <summary><c>srcaddr</c>: firewall address or addrgrp names (<c>all</c> is predefined).</summary>
    public ImmutableArray<string> SourceAddresses { get; init; } = [];

    /// <summary><c>dstaddr</c>: firewall address or addrgrp names.</summary>
    public ImmutableArray<string> DestinationAddresses { get; init; } = [];

    /// <summary><c>service</c>: firewall service names (<c>config firewall service custom</c> or predefined, e.g. <c>ALL</c>).</summary>
    public ImmutableArray<string> Services { get; init; } = [];

    /// <summary><c>schedule</c>: a recurring or one-time schedule name (predefined <c>always</c> and <c>none</c>).</summary>
    public string Schedule { get; init; } = FirewallPolicySchema.AlwaysSchedule;

    /// <summary>FortiOS default: deny.</summary>
    public PolicyAction Action { get; init; } = PolicyAction.Deny;

    /// <summary><c>vpntunnel</c>: the policy-based phase 1 of an <c>action ipsec</c> policy.</summary>
    public string? VpnTunnel { get; init; }

    /// <summary><c>inbound</c> (default disable): the remote network may start connections through the tunnel.</summary>
    public bool Inbound { get; init; }

    /// <summary><c>outbound</c> (default enable): the local network may start connections through the tunnel.</summary>
    public bool Outbound { get; init; } = true;

    /// <summary>Other FortiOS settings we accept and keep verbatim (<c>comments</c>, <c>uuid</c>, ...).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(FirewallPolicy? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
