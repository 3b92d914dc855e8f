using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>One <c>config user peergrp</c> entry: the <c>user peer</c> entries a phase 1 with <c>peertype peergrp</c> accepts.</summary>
/// <param name="Name">The <c>edit</c> name.</param>
/// <param name="Members"><c>user peer</c> names.</param>
public sealed record UserPeerGroup(string Name, ImmutableArray<string> Members)
{
    /// <summary>FortiOS limits peer group names to 35 characters.</summary>
    public const int MaxNameLength = 35;

    /// <summary>Other FortiOS settings kept verbatim.</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(UserPeerGroup? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
