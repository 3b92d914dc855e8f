using System.Text;
using SharpSwan.Cli.Grammar;
using SharpSwan.Config.Editing;
using SharpSwan.Config;

namespace SharpSwan.Cli.Editing;

/// <summary>
/// The editor's commands at each level (top, table, entry, object) as <see cref="CommandNode"/>s: the same node
/// dispatches a line, describes itself to <c>?</c> and completes its arguments for Tab.
/// </summary>
public sealed partial class ConfigEditor
{
    private readonly IReadOnlyList<CommandNode> _topCommands;
    private readonly IReadOnlyList<CommandNode> _tableCommands;
    private readonly IReadOnlyList<CommandNode> _entryCommands;
    private readonly IReadOnlyList<CommandNode> _objectCommands;

    /// <summary>The commands a line may start with where the session is now.</summary>
    private IReadOnlyList<CommandNode> CommandsHere() =>
        _table is null ? _topCommands
        : _table.Shape == TableShape.Object ? _objectCommands
        : _entry is null ? _tableCommands
        : _entryCommands;

    /// <summary>What Tab and <c>?</c> offer first: at the top, the operational commands beside the editor's own.</summary>
    private IReadOnlyList<CommandNode> CompletionLevel() =>
        _table is null ? [.. _topCommands, .. _otherCommands.Roots.Where(c => c.Word != "get")] : CommandsHere();

    private List<CommandNode> TopCommands()
    {
        var otherGet = _otherCommands.Roots.FirstOrDefault(c => c.Word == "get")?.Children ?? [];
        return
        [
            Command("config", (words, _) => OpenConfig(words), rest => PathOptions(rest, withEntries: false)),
            Command("show", (words, answer) => Show(words, 1, answer, topLevel: true), ShowOptions),

            // `get` of a table is the editor's; the tunnel reports under it (get vpn ipsec tunnel ...) are the tree's.
            Command("get", (words, answer) => GetTable(words, answer), rest => PathOptions(rest, withEntries: true)) with { Children = otherGet },
        ];
    }

    private List<CommandNode> TableCommands() =>
    [
        Command("edit", (words, answer) => Edit(words, answer), rest => rest.Count == 0 ? EditOptions() : []),
        Command("delete", (words, _) => Arguments(words, 1) ?? Delete(words[1]), rest => rest.Count == 0 ? EntryNames() : []),
        Command("purge", (words, _) => Arguments(words, 0) ?? Purge()),
        Command("rename", (words, _) => RenameOrClone(words, rename: true), RenameOptions),
        Command("clone", (words, _) => RenameOrClone(words, rename: false), RenameOptions),
        Command("move", (words, _) => Move(words), MoveOptions),
        Command("show", (words, answer) => Show(words, 1, answer, topLevel: false), rest => rest.Count == 0 ? [Describe("full-configuration"), .. EntryNames()] : []),
        Command("get", (words, answer) => Get(_table!, words.Skip(1).ToList(), answer), rest => rest.Count == 0 ? EntryNames() : []),
        Command("end", (words, answer, cancellation) => Arguments(words, 0) is { } wrong ? Task.FromResult(wrong) : End(answer, cancellation)),
        Command("abort", (words, _) => Arguments(words, 0) ?? AbortAll()),
    ];

    /// <summary>Inside an entry (<paramref name="withNext"/>) or an object such as <c>system global</c>.</summary>
    private List<CommandNode> EntryCommands(bool withNext) =>
    [
        Command("set", (words, answer) => Change("set", words, answer), rest => rest.Count == 0 ? FieldOptions(_table!, listsOnly: false) : ValueOptions(rest)),
        Command("unset", (words, answer) => Change("unset", words, answer), rest => rest.Count == 0 ? FieldOptions(_table!, listsOnly: false) : []),
        Command("append", (words, answer) => Change("append", words, answer), rest => rest.Count == 0 ? FieldOptions(_table!, listsOnly: true) : ValueOptions(rest)),
        Command("select", (words, answer) => Change("select", words, answer), rest => rest.Count == 0 ? FieldOptions(_table!, listsOnly: true) : ValueOptions(rest)),
        Command("unselect", (words, answer) => Change("unselect", words, answer), rest => rest.Count == 0 ? FieldOptions(_table!, listsOnly: true) : UnselectOptions(rest[0])),
        Command("show", (words, answer) => Show(words, 1, answer, topLevel: false), rest => rest.Count == 0 ? [Describe("full-configuration")] : []),
        Command("get", (words, answer) => Arguments(words, 0) ?? Get(_table!, _table!.Shape == TableShape.Object ? [] : [_entry!], answer)),
        .. withNext ? [Command("next", (words, _) => Arguments(words, 0) ?? Next())] : Array.Empty<CommandNode>(),
        Command("end", (words, answer, cancellation) => Arguments(words, 0) is { } wrong ? Task.FromResult(wrong) : End(answer, cancellation)),
        Command("abort", (words, _) => AbortEntry(words)),
    ];

    /// <summary>A command node whose handler records the step's errors in the call's context and prints into its output.</summary>
    private static CommandNode Command(
        string word,
        Func<List<string>, StringBuilder, CancellationToken, Task<List<EditError>>> run,
        Func<IReadOnlyList<string>, IReadOnlyList<CommandNode>>? continuations = null) =>
        new(word, CommandDescriptions[word])
        {
            Continuations = continuations,
            Handler = async call =>
            {
                var answer = ((StringWriter)call.Output).GetStringBuilder();
                ((List<EditError>)call.Context).AddRange(await run([.. call.Words], answer, call.Cancellation).ConfigureAwait(false));
            },
        };

    private static CommandNode Command(
        string word,
        Func<List<string>, StringBuilder, List<EditError>> run,
        Func<IReadOnlyList<string>, IReadOnlyList<CommandNode>>? continuations = null) =>
        Command(word, (words, answer, _) => Task.FromResult(run(words, answer)), continuations);

    private List<CommandNode> ShowOptions(IReadOnlyList<string> rest)
    {
        // system interface is both an editable table and a kept one: offered once.
        if (rest.Count > 0 && IsFullConfiguration(rest[0]))
        {
            return [.. PathOptions([.. rest.Skip(1)], withEntries: true).Concat(KeptPathOptions([.. rest.Skip(1)])).DistinctBy(o => o.Word)];
        }

        return [.. (rest.Count == 0 ? [Describe("full-configuration")] : Array.Empty<CommandNode>()).Concat(PathOptions(rest, withEntries: true)).Concat(KeptPathOptions(rest)).DistinctBy(o => o.Word)];
    }

    /// <summary>What <c>show</c> may take next among the kept tables: their path words, then their entries.</summary>
    private List<CommandNode> KeptPathOptions(IReadOnlyList<string> rest)
    {
        var options = new List<CommandNode>();
        foreach (var kept in Working(InForce()).KeptTables)
        {
            var parts = kept.Path.Split(' ');
            if (rest.Count < parts.Length && parts.Take(rest.Count).SequenceEqual(rest, StringComparer.Ordinal))
            {
                options.Add(new CommandNode(parts[rest.Count], "kept as written (SharpSwan shows it, the CLI does not edit it)", []));
            }
            else if (rest.Count == parts.Length && parts.SequenceEqual(rest, StringComparer.Ordinal))
            {
                options.AddRange(kept.Lines
                    .Where(l => l.Depth == 1 && l.Text.StartsWith("edit ", StringComparison.Ordinal))
                    .Select(l => new CommandNode(l.Text[5..].Trim('"'), "existing entry", [])));
            }
        }

        return [.. options.DistinctBy(o => o.Word)];
    }

    private List<CommandNode> EditOptions()
    {
        var table = _table!;
        if (IsTunnelTable(table))
        {
            // Only a phase1-interface's entry may be edited: offer those names, with or without an entry yet.
            var working = Working(InForce());
            return [.. working.Entries(Phase1Schema.InterfacePath).Select(p => new CommandNode(
                p.Name, working.Find(table.Path, p.Name) is null ? "phase1-interface tunnel (new entry)" : "existing entry"))];
        }

        return [.. EntryNames(), table.Shape == TableShape.Numbered
            ? new CommandNode("<id>", "entry number; 0 takes the next free one")
            : new CommandNode("<name>", $"a new or existing entry (1-{table.MaxNameLength} characters)")];
    }

    private List<CommandNode> RenameOptions(IReadOnlyList<string> rest) => rest.Count switch
    {
        0 => EntryNames(),
        1 => [Describe("to")],
        2 => [new CommandNode("<new name>", $"1-{_table!.MaxNameLength} characters")],
        _ => [],
    };

    private List<CommandNode> MoveOptions(IReadOnlyList<string> rest) => rest.Count switch
    {
        0 or 2 => EntryNames(),
        1 => [Describe("before"), Describe("after")],
        _ => [],
    };

    private List<CommandNode> ValueOptions(IReadOnlyList<string> rest) => ValueOptions(Working(InForce()), _table!, rest[0], rest.Count - 1);

    private List<CommandNode> UnselectOptions(string fieldWord) =>
        Keyword.Expand(fieldWord, FieldHelpCatalog.FieldNames(_table!.Path)) is { } field
            ? [.. EffectiveValues(Working(InForce()), _table, _entry ?? "", field).Select(v => new CommandNode(v, "remove this value"))]
            : [];

    private List<CommandNode> EntryNames() => EntryNames(Working(InForce()), _table!);

    /// <summary><c>show f...</c>: two letters at least, since <c>f</c> alone may begin <c>firewall</c>.</summary>
    private static bool IsFullConfiguration(string word) =>
        word.Length >= 2 && "full-configuration".StartsWith(word, StringComparison.Ordinal);
}
