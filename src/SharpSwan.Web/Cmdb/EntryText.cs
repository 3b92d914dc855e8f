using SharpSwan.Cli.Grammar;
using SharpSwan.Config.Editing;

namespace SharpSwan.Web.Cmdb;

/// <summary>
/// The web's view of an entry of the one editable model (<see cref="EditableDocument"/>): a field's value as the CLI
/// text that follows <c>set &lt;field&gt;</c>, read and written through the one CLI tokenizer.
/// </summary>
internal static class EntryText
{
    /// <summary>The CLI text after <c>set &lt;field&gt;</c>, or null when the field is not set.</summary>
    public static string? Raw(this EditableEntry entry, string field) =>
        entry.Find(field) is { } setting ? EditableDocument.RenderValues(setting.Values) : null;

    /// <summary>Sets the field from CLI text (words, quotes, escapes), as <c>set &lt;field&gt; &lt;raw&gt;</c> would.</summary>
    /// <exception cref="ArgumentException">The text is not one CLI value list (an unmatched quote).</exception>
    public static void SetRaw(this EditableEntry entry, string field, string raw)
    {
        var words = CliTokenizer.Words(raw, out var error);
        if (error is not null)
        {
            throw new ArgumentException($"not a CLI value for {field}: {error.Text}", nameof(raw));
        }

        entry.Set(field, [.. words]);
    }

    /// <summary>The words of a field's CLI text; empty when it is not set.</summary>
    public static IReadOnlyList<CliWord> Words(this EditableEntry entry, string field) =>
        entry.Raw(field) is { } raw ? CliTokenizer.Split(raw, out _) : [];
}
