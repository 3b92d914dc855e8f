using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>One <c>config user group</c> entry (<c>group-type firewall</c>): a named set of <c>user local</c> entries.</summary>
/// <param name="Name">The <c>edit</c> name.</param>
/// <param name="Members">Local user names, as written.</param>
public sealed record UserGroup(string Name, ImmutableArray<string> Members)
{
    /// <summary>FortiOS limits user group names to 35 characters.</summary>
    public const int MaxNameLength = 35;

    /// <summary>Other FortiOS settings we accept and keep verbatim.</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(UserGroup? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
