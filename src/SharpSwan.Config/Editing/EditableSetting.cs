using System.Collections.Immutable;

namespace SharpSwan.Config.Editing;

/// <summary>One <c>set &lt;field&gt; &lt;values...&gt;</c> of an entry being edited, values unquoted.</summary>
public sealed record EditableSetting(string Field, ImmutableArray<string> Values);
