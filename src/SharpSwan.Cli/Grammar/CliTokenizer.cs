using SharpSwan.Config;
using SharpSwan.Config.Editing;

namespace SharpSwan.Cli.Grammar;

/// <summary>
/// Command lines split into words by the one FortiOS tokenizer, the configuration file's own: spaces separate,
/// <c>"..."</c> and <c>'...'</c> group (and must be closed), a backslash escapes the next character inside quotes
/// and out (a space, a quote, a backslash), and a backslash before a line break continues the line.
/// </summary>
public static class CliTokenizer
{
    /// <summary>The words of <paramref name="line"/>; on a quoting error, none and FortiOS's error.</summary>
    public static IReadOnlyList<CliWord> Split(string line, out EditError? error)
    {
        ArgumentNullException.ThrowIfNull(line);
        var diagnostics = new DiagnosticBag("cli");

        // Line breaks stay: inside quotes they belong to a multi-line value (a pasted PEM); elsewhere they separate words.
        var words = ConfigTokenizer.Tokenize(line, diagnostics).SelectMany(l => l).Select(t => new CliWord(t.Text, t.Column, t.Quoted)).ToList();
        error = diagnostics.HasErrors ? EditError.From(diagnostics.ToSortedArray()[0], null) : null;
        return error is null ? words : [];
    }

    /// <summary>The words' texts; on a quoting error, none and FortiOS's error.</summary>
    public static IReadOnlyList<string> Words(string line, out EditError? error) => [.. Split(line, out error).Select(w => w.Text)];

    /// <summary>
    /// A line being typed, for Tab and <c>?</c>: its complete words and the partial last word (empty after a space).
    /// A quote still open counts as closed, so a quoted name can be completed while it is typed.
    /// </summary>
    public static (IReadOnlyList<string> Words, string Partial) SplitPartial(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var trimmed = line.TrimStart();
        var words = Words(trimmed, out var error);
        if (error is not null)
        {
            var quote = trimmed.Count(c => c == '"') % 2 == 1 ? "\"" : "'";
            var closed = Words(trimmed + quote, out _);
            return closed.Count == 0 ? ([], "") : ([.. closed.Take(closed.Count - 1)], closed[^1]);
        }

        if (words.Count == 0 || trimmed.Length == 0 || char.IsWhiteSpace(trimmed[^1]) && !trimmed.EndsWith("\\ ", StringComparison.Ordinal))
        {
            return (words, "");
        }

        return ([.. words.Take(words.Count - 1)], words[^1]);
    }
}
