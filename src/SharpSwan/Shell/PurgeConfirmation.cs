using SharpSwan.Cli.Grammar;

namespace SharpSwan.Shell;

/// <summary>
/// FortiOS asks before <c>purge</c> empties a table; the interactive shell does the same, on the administrator's side,
/// and only sends the command on <c>y</c>. Scripts (<c>-c</c>, standard input) are not asked: like FortiOS configuration
/// scripts they proceed.
/// </summary>
public static class PurgeConfirmation
{
    public const string Warning = "This operation will clear all table!";
    public const string Question = "Do you want to continue? (y/n)";

    /// <summary>Whether <paramref name="line"/> is <c>purge</c> (or an abbreviation of it, as FortiOS accepts) inside a table.</summary>
    public static bool Applies(string line, string prompt)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(prompt);
        // The words as the gateway will read them (quotes and escapes resolved), and FortiOS's keyword rule.
        return CliTokenizer.Words(line, out _) is [var word, ..] && Keyword.Is(word, "purge") && ScriptRunner.IsInsideConfig(prompt);
    }

    /// <summary>Prints FortiOS's question and reads one key: true only for y.</summary>
    public static bool Ask(IKeySource keys, TextWriter screen)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(screen);
        screen.Write(Warning + "\n" + Question);
        screen.Flush();
        var answer = keys.ReadKey().KeyChar;
        screen.Write((char.IsControl(answer) ? "" : answer.ToString()) + "\n");
        screen.Flush();
        return answer is 'y' or 'Y';
    }
}
