using SharpSwan.Config.Editing;

namespace SharpSwan.Cli.Grammar;

/// <summary>
/// The commands beyond configuration editing (<c>diagnose</c>, <c>execute</c>, the <c>get</c> reports) as one tree of
/// <see cref="CommandNode"/>s. <see cref="DispatchAsync"/>, <see cref="OptionsAfter"/> (Tab completion and <c>?</c>
/// help) and the parse errors all walk it the same way, so a command that runs is one that completes, and a word the
/// tree does not know is the one the error names.
/// </summary>
public sealed class CommandTree(IReadOnlyList<CommandNode> roots)
{
    public IReadOnlyList<CommandNode> Roots { get; } = roots;

    /// <summary>True when the first word is one of the tree's commands.</summary>
    public bool Starts(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        return words.Count > 0 && Find(Roots, words[0]) is not null;
    }

    /// <summary>Follows the keywords of <paramref name="words"/> as far as the tree knows them.</summary>
    public CommandMatch Match(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var path = new List<CommandNode>();
        IReadOnlyList<CommandNode> level = Roots;
        foreach (var word in words)
        {
            if (Find(level, word) is not { } node)
            {
                break;
            }

            path.Add(node);
            level = node.Children;
        }

        return new CommandMatch(words, path);
    }

    /// <summary>
    /// Runs the command <paramref name="words"/> names: the handler of the deepest keyword that has one, with the rest
    /// of the words as its arguments. Without one, prints FortiOS's parse error naming the first word the tree does not
    /// know (or the last word, when the command stops short) and returns false.
    /// </summary>
    /// <param name="json">Run the command's <see cref="CommandNode.JsonHandler"/>; a command without one is refused.</param>
    public async Task<bool> DispatchAsync(IReadOnlyList<string> words, TextWriter output, object context, CancellationToken cancellation, bool json = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        var match = Match(words);
        if (match.Command is not { Handler: { } handler } command)
        {
            await output.WriteAsync(ParseError(match.ErrorWord)).ConfigureAwait(false);
            return false;
        }

        var keywords = match.Path.Take(match.Path.ToList().IndexOf(command) + 1).Select(n => n.Word).ToList();
        if (!command.FreeArguments && MisplacedArgument(command, [.. words.Skip(keywords.Count)]) is { } wrong)
        {
            await output.WriteAsync(ParseError(wrong)).ConfigureAwait(false);
            return false;
        }

        if (json && command.JsonHandler is null)
        {
            await output.WriteAsync(NoJsonForm(string.Join(' ', keywords))).ConfigureAwait(false);
            return false;
        }

        await (json ? command.JsonHandler! : handler)(new CommandCall(words, keywords, output, context, cancellation)).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The word at which <paramref name="arguments"/> leave what <paramref name="command"/>'s children describe (a keyword
    /// or abbreviation, or any word for a placeholder), or the last word when the line stops where a value must follow;
    /// null when they fit.
    /// </summary>
    public static string? MisplacedArgument(CommandNode command, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(arguments);
        var at = command;
        foreach (var word in arguments)
        {
            if ((Find(at.Children, word) ?? at.Children.FirstOrDefault(n => n.IsPlaceholder)) is not { } next)
            {
                return word;
            }

            at = next;
        }

        return at.CanEnd ? null : arguments[^1];
    }

    /// <summary>The commands that answer in JSON, as typed (for the refusal of the others).</summary>
    public IEnumerable<string> JsonCommands() =>
        Commands().Where(c => c.Node.JsonHandler is not null && !c.Node.Hidden).Select(c => string.Join(' ', c.Keywords));

    /// <summary>The answer to <c>--json</c> with a command that has no JSON form: what it is, and which commands have one.</summary>
    public string NoJsonForm(string command) =>
        $"{command}: no JSON form; --json answers {string.Join(", ", JsonCommands())}\n{EditError.FailurePrefix}{EditError.ParseError}\n";

    /// <summary>
    /// What may follow <paramref name="words"/> (all complete): the children of the node they lead to, placeholders
    /// included, hidden nodes left out. Empty when a word is unknown.
    /// </summary>
    public IReadOnlyList<CommandNode> OptionsAfter(IReadOnlyList<string> words) => OptionsAfter(Roots, words);

    /// <summary>
    /// As <see cref="OptionsAfter(IReadOnlyList{string})"/> from <paramref name="level"/>; a placeholder takes any word,
    /// and a node's <see cref="CommandNode.Continuations"/> answer for the words after it.
    /// </summary>
    public static IReadOnlyList<CommandNode> OptionsAfter(IReadOnlyList<CommandNode> level, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(level);
        ArgumentNullException.ThrowIfNull(words);
        for (var i = 0; i < words.Count; i++)
        {
            if ((Find(level, words[i]) ?? level.FirstOrDefault(n => n.IsPlaceholder)) is not { } match)
            {
                return [];
            }

            if (match.Continuations is { } more)
            {
                var rest = words.Skip(i + 1).ToList();
                return [.. more(rest), .. OptionsAfter(match.Children, rest)];
            }

            level = match.Children;
        }

        return [.. level.Where(n => !n.Hidden)];
    }

    /// <summary>The keyword of <paramref name="level"/> that <paramref name="word"/> names (see <see cref="Keyword"/>), or null.</summary>
    public static CommandNode? Find(IReadOnlyList<CommandNode> level, string word)
    {
        ArgumentNullException.ThrowIfNull(level);
        return Keyword.Expand(word, level.Where(n => !n.IsPlaceholder).Select(n => n.Word)) is { } keyword
            ? level.First(n => !n.IsPlaceholder && n.Word == keyword)
            : null;
    }

    /// <summary>Every command that can run, with its keywords; for checks that the tree is consistent.</summary>
    public IEnumerable<(IReadOnlyList<string> Keywords, CommandNode Node)> Commands()
    {
        var pending = new Stack<(List<string> Keywords, CommandNode Node)>(Roots.Reverse().Select(r => (new List<string> { r.Word }, r)));
        while (pending.TryPop(out var item))
        {
            if (item.Node.Handler is not null)
            {
                yield return (item.Keywords, item.Node);
            }

            foreach (var child in item.Node.Children.Reverse().Where(c => !c.IsPlaceholder))
            {
                pending.Push(([.. item.Keywords, child.Word], child));
            }
        }
    }

    /// <summary>FortiOS's answer to a word it cannot place.</summary>
    public static string ParseError(string word) =>
        $"command parse error before '{word}'\n{EditError.FailurePrefix}{EditError.ParseError}\n";
}
