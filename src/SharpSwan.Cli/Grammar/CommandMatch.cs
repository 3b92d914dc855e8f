namespace SharpSwan.Cli.Grammar;

/// <summary>How far a command line's words follow the tree.</summary>
/// <param name="Words">The line's words.</param>
/// <param name="Path">The nodes the leading words matched, in order.</param>
public sealed record CommandMatch(IReadOnlyList<string> Words, IReadOnlyList<CommandNode> Path)
{
    /// <summary>The deepest matched node that can run, or null.</summary>
    public CommandNode? Command => Path.LastOrDefault(n => n.Handler is not null);

    /// <summary>The word a parse error names: the first one the tree does not know, else the last one.</summary>
    public string ErrorWord => Path.Count < Words.Count ? Words[Path.Count] : Words.Count > 0 ? Words[^1] : "";
}
