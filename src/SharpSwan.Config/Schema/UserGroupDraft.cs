using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>A <c>user group</c> entry while its settings are applied.</summary>
internal sealed class UserGroupDraft(RawEntry entry)
{
    public RawEntry Entry { get; } = entry;

    public ImmutableArray<string> Members { get; set; } = [];
}
