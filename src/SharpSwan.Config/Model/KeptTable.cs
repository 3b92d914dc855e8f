using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// A FortiOS table outside SharpSwan's scope (<c>router bgp</c>, <c>system interface</c>, ...), kept as the file wrote
/// it so that saving and <c>show</c> give it back, and reported as a warning because SharpSwan does not act on it.
/// </summary>
/// <param name="Path">The path after <c>config</c>, e.g. <c>router bgp</c>.</param>
/// <param name="Lines">The block's command lines after <c>config &lt;path&gt;</c> up to its <c>end</c>, nested ones included.</param>
/// <param name="Line">Line of the <c>config</c> word (ignored by equality).</param>
public sealed record KeptTable(string Path, ImmutableArray<KeptLine> Lines, [property: SourceLocation] int Line)
{
    public bool Equals(KeptTable? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
