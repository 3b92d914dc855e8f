using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>One <c>config firewall addrgrp</c> entry: a named set of addresses and groups (nesting allowed).</summary>
/// <param name="Name">The <c>edit</c> name.</param>
/// <param name="Members">Address or group names, as written.</param>
public sealed record FirewallAddressGroup(string Name, ImmutableArray<string> Members)
{
    /// <summary>FortiOS limits group names to 79 characters.</summary>
    public const int MaxNameLength = 79;

    /// <summary>Other FortiOS settings we accept and keep verbatim (<c>comment</c>, <c>color</c>, ...).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(FirewallAddressGroup? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
