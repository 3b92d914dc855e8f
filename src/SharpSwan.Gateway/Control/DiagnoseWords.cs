namespace SharpSwan.Gateway.Control;

/// <summary>Word matching for the diagnose toolbox, with FortiOS's unambiguous abbreviations (`diag deb app ike -1`).</summary>
internal static class DiagnoseWords
{
    public static bool Matches(IReadOnlyList<string> words, params string[] prefix)
    {
        if (words.Count < prefix.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (!Is(words[i], prefix[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="word"/> is <paramref name="keyword"/> or an abbreviation of at least three letters.</summary>
    public static bool Is(string word, string keyword) =>
        keyword.StartsWith(word, StringComparison.OrdinalIgnoreCase) && word.Length >= Math.Min(3, keyword.Length);
}
