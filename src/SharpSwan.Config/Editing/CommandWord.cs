namespace SharpSwan.Config.Editing;

/// <summary>
/// A word of a command the CLI knows beyond configuration (e.g. <c>diagnose</c>), for Tab completion and <c>?</c>
/// help. A word in angle brackets (<c>&lt;name&gt;</c>) is a placeholder for a value.
/// </summary>
public sealed record CommandWord(string Word, string Description, IReadOnlyList<CommandWord> Next)
{
    public CommandWord(string word, string description)
        : this(word, description, [])
    {
    }

    public bool IsPlaceholder => Word.StartsWith('<');
}
