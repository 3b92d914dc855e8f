using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>A <c>set &lt;field&gt; &lt;values...&gt;</c> as written, before its values are interpreted.</summary>
/// <param name="Verb">The <c>set</c> (or <c>append</c>) word; its line is the setting's line.</param>
/// <param name="Field">The field name word.</param>
/// <param name="Values">The value words (never empty).</param>
internal sealed record RawSetting(ConfigToken Verb, ConfigToken Field, ImmutableArray<ConfigToken> Values)
{
    public string Name => Field.Text;
}
