namespace SharpSwan.Cli.Grammar;

/// <summary>
/// FortiOS's one rule for keywords, used for every word of every command (commands, table paths, field names):
/// the keyword itself, or any abbreviation that only one of the choices starts with. Case counts, as on FortiOS
/// (<c>SHOW</c> is a parse error).
/// </summary>
public static class Keyword
{
    /// <summary>The choice <paramref name="word"/> names, or null when none or several do.</summary>
    public static string? Expand(string word, IEnumerable<string> choices)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentNullException.ThrowIfNull(choices);
        string? found = null;
        var ambiguous = false;
        foreach (var choice in choices)
        {
            if (choice == word)
            {
                return choice;
            }

            if (word.Length > 0 && choice.StartsWith(word, StringComparison.Ordinal))
            {
                ambiguous |= found is not null && found != choice;
                found ??= choice;
            }
        }

        return ambiguous ? null : found;
    }

    /// <summary>True when <paramref name="word"/> is <paramref name="keyword"/> or an abbreviation of it.</summary>
    public static bool Is(string word, string keyword) => Expand(word, [keyword]) is not null;
}
