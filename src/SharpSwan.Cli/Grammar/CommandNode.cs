namespace SharpSwan.Cli.Grammar;

/// <summary>
/// One word of the command tree. Parsing, dispatch, Tab completion and <c>?</c> help all walk the same nodes: a node
/// with a <see cref="Handler"/> is a command that can run, its <see cref="Description"/> is its help line, and its
/// <see cref="Children"/> are what may follow. A word in angle brackets (<c>&lt;name&gt;</c>) is a placeholder for a value:
/// help shows it, completion does not offer it, dispatch leaves it to the handler as an argument.
/// </summary>
public sealed record CommandNode(string Word, string Description, IReadOnlyList<CommandNode> Children)
{
    public CommandNode(string word, string description)
        : this(word, description, [])
    {
    }

    /// <summary>What runs when the command ends at this word (the words after it are its arguments); null when it cannot end here.</summary>
    public CommandHandler? Handler { get; init; }

    /// <summary>
    /// What runs instead of <see cref="Handler"/> when the answer is asked for in JSON (<c>sharpswan cli --json</c>): the
    /// monitor commands, answering with the REST monitor's fields. Null when the command has no JSON form.
    /// </summary>
    public CommandHandler? JsonHandler { get; init; }

    /// <summary>
    /// What may follow this word that the tree cannot list in advance (table paths, entry and field names, values),
    /// from the words typed after it; listed before the <see cref="Children"/>.
    /// </summary>
    public Func<IReadOnlyList<string>, IReadOnlyList<CommandNode>>? Continuations { get; init; }

    /// <summary>
    /// Runs but is not offered by Tab or listed by <c>?</c>: FortiOS's older aliases and SharpSwan's own additions,
    /// so that completion and help list the words a FortiOS administrator expects.
    /// </summary>
    public bool Hidden { get; init; }

    private readonly bool? _optional;

    /// <summary>
    /// May be left out: the word before it can end the line. A keyword is an option unless told otherwise; a placeholder
    /// is a value that must be given unless told otherwise (<c>diagnose vpn tunnel up &lt;phase2&gt; [&lt;phase1&gt;]</c>).
    /// </summary>
    public bool Optional
    {
        get => _optional ?? !IsPlaceholder;
        init => _optional = value;
    }

    /// <summary>
    /// The handler reads the words after this command itself (a capture filter, a list of values): dispatch does not
    /// hold them to <see cref="Children"/>. Every other command takes exactly what its children describe, and nothing
    /// when it has none, so a stray word is a parse error rather than silently ignored.
    /// </summary>
    public bool FreeArguments { get; init; }

    public bool IsPlaceholder => Word.StartsWith('<');

    /// <summary>True when a line may end at this word: it runs, or nothing that must follow it is missing.</summary>
    public bool CanEnd => Handler is not null || Children.All(c => c.Optional);
}
