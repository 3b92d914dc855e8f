using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// A FortiOS setting SharpSwan accepts but does not interpret, kept verbatim so that nothing
/// in the file is silently dropped and the writer can print it back.
/// </summary>
/// <param name="Name">Field name, e.g. <c>fragmentation</c>.</param>
/// <param name="Values">The values after the field name, unquoted.</param>
/// <param name="Line">Line of the <c>set</c> (ignored by equality).</param>
public sealed record ConfigSetting(string Name, ImmutableArray<string> Values, [property: SourceLocation] int Line)
{
    public bool Equals(ConfigSetting? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
