using System.Collections.Immutable;
using System.Text;
using SharpSwan.Cli.Grammar;
using SharpSwan.Config.Editing;
using SharpSwan.Config;

namespace SharpSwan.Cli.Editing;

/// <summary>
/// One administrator's FortiOS configuration session: <c>config</c>, <c>edit</c>, <c>set</c>, <c>unset</c>,
/// <c>append</c>, <c>select</c>, <c>unselect</c>, <c>delete</c>, <c>purge</c>, <c>rename</c>, <c>clone</c>,
/// <c>next</c>, <c>end</c>, <c>abort</c>, <c>show</c> and <c>get</c>. Every change is judged by the configuration
/// file's own parser and validator (the candidate configuration is rendered to text and loaded), so the CLI accepts
/// exactly what a file would, with the same messages. <c>end</c> hands the change to the committer.
/// Not thread-safe: one session is one client, one command at a time.
/// </summary>
public sealed partial class ConfigEditor
{
    public const string DefaultPromptName = "sharpswan";

    /// <summary>The schema's tables, and the tunnel entries of the kept <c>system interface</c> table.</summary>
    private static readonly ImmutableArray<TableSchema> EditableTables = [.. SupportedTables.All, SupportedTables.TunnelInterfaces];

    private readonly IConfigurationCommitter _committer;
    private readonly CommandTree _otherCommands;

    private TableSchema? _table;
    private string? _entry;
    private TouchedEntry? _entrySnapshot;
    private ConfigurationChange _change = new();

    /// <param name="committer">Reads the configuration in force and applies finished changes.</param>
    /// <param name="otherCommands">Top-level commands handled elsewhere (diagnose, execute, ...), for completion and help.</param>
    public ConfigEditor(IConfigurationCommitter committer, CommandTree? otherCommands = null)
    {
        ArgumentNullException.ThrowIfNull(committer);
        _committer = committer;
        _otherCommands = otherCommands ?? new CommandTree([]);
        _topCommands = TopCommands();
        _tableCommands = TableCommands();
        _entryCommands = EntryCommands(withNext: true);
        _objectCommands = EntryCommands(withNext: false);
    }

    /// <summary>True inside a <c>config</c> block: every line belongs to the editor until <c>end</c> or <c>abort</c>.</summary>
    public bool IsEditing => _table is not null;

    /// <summary>FortiOS prompt: <c>sharpswan # </c>, <c>sharpswan (phase2-interface) # </c>, <c>sharpswan (to-branch-p2) # </c>.</summary>
    public string Prompt
    {
        get
        {
            var hostname = _committer.Current.Global.Hostname;
            var name = hostname == GlobalSettings.DefaultHostname ? DefaultPromptName : hostname;
            if (_table is null)
            {
                return $"{name} # ";
            }

            var scope = _entry ?? _table.Path[(_table.Path.LastIndexOf(' ') + 1)..];
            return $"{name} ({scope}) # ";
        }
    }

    /// <summary>Whether <paramref name="line"/> is the editor's: any line while editing; config, show, or get of a configuration table otherwise.</summary>
    public bool Handles(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (IsEditing)
        {
            return true;
        }

        if (!TrySplit(line, out var words, out _) || words.Count == 0)
        {
            return false;
        }

        var command = Keyword.Expand(words[0], [.. _topCommands.Select(c => c.Word), .. _otherCommands.Roots.Select(c => c.Word)]);
        return command switch
        {
            "config" or "show" => true,
            "get" => words.Count > 1 && ResolvePath(words, 1, out _, out _) is null,
            _ => false,
        };
    }

    /// <summary>Runs one command line; prints its answer (ending in <c>Command fail. Return code n</c> on failure).</summary>
    /// <returns>0, or the FortiOS return code of the failure.</returns>
    public async Task<int> ExecuteAsync(string line, TextWriter output, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(output);
        if (!TrySplit(line, out var words, out var splitError))
        {
            return await Fail(output, splitError!).ConfigureAwait(false);
        }

        if (words.Count == 0)
        {
            return 0;
        }

        var answer = new StringWriter { NewLine = "\n" };
        var errors = new List<EditError>();
        if (CommandTree.Find(CommandsHere(), words[0]) is { Handler: { } handler } command)
        {
            await handler(new CommandCall(words, [command.Word], answer, errors, cancellation)).ConfigureAwait(false);
        }
        else
        {
            errors.Add(Unknown(words[0]));
        }

        await output.WriteAsync(answer.ToString()).ConfigureAwait(false);
        if (errors.Count > 0)
        {
            await EditError.WriteAsync(output, errors).ConfigureAwait(false);
            return errors[0].ReturnCode;
        }

        return 0;
    }

    private static async Task<int> Fail(TextWriter output, EditError error)
    {
        await EditError.WriteAsync(output, [error]).ConfigureAwait(false);
        return error.ReturnCode;
    }

    // ---------------------------------------------------------------------------------------------- top level

    private List<EditError> GetTable(List<string> words, StringBuilder answer)
    {
        if (words.Count == 1)
        {
            return [Incomplete("get needs what to get, e.g. get vpn ipsec phase1-interface")];
        }

        if (ResolvePath(words, 1, out var schema, out var consumed) is { } pathError)
        {
            return [pathError];
        }

        return Get(schema!, words.Skip(1 + consumed).ToList(), answer);
    }

    private List<EditError> OpenConfig(List<string> words)
    {
        if (words.Count == 1)
        {
            return [Incomplete("config needs a path, e.g. config vpn ipsec phase1-interface")];
        }

        if (ResolvePath(words, 1, out var schema, out var consumed) is { } error)
        {
            return [error];
        }

        if (words.Count > 1 + consumed)
        {
            return [ParseError(words[1 + consumed], $"config {schema!.Path} takes no more words")];
        }

        _table = schema;
        _entry = null;
        _entrySnapshot = null;
        _change = new ConfigurationChange();
        if (schema!.Shape == TableShape.Object)
        {
            _change.Open(InForce(), schema.Path, "");
        }

        return [];
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private EditableDocument InForce() => EditableDocument.FromConfiguration(_committer.Current);

    private EditableDocument Working(EditableDocument inForce) => _change.ApplyTo(inForce);

    /// <summary>A field's values as in force: the explicit ones, else the default the model prints in full.</summary>
    private static ImmutableArray<string> EffectiveValues(EditableDocument working, TableSchema table, string name, string field)
    {
        if (working.Find(table.Path, name)?.Find(field) is { } explicitSetting)
        {
            return explicitSetting.Values;
        }

        var full = ConfigurationWriter.Write(CandidateCheck.Check(working).Configuration, fullConfiguration: true);
        var values = EditableDocument.FromText(full).Find(table.Path, name)?.Find(field)?.Values ?? [];
        return values is [""] ? [] : values;
    }

    /// <summary>The file grammar's verdict on an <c>edit</c> name (length, or a number for numbered tables).</summary>
    private static EditError? NameError(TableSchema table, string name)
    {
        var text = $"config {table.Path}\n    edit {EditableDocument.RenderName(table, name)}\n    next\nend\n";
        var diagnostics = new DiagnosticBag("cli");
        RawConfigReader.Read(ConfigTokenizer.Tokenize(text, diagnostics), diagnostics);
        var error = diagnostics.ToSortedArray().FirstOrDefault(e => e.Line == 2);
        return error is null ? null : EditError.From(error, null);
    }

    private static EditError NotFound(string name, TableSchema table) =>
        new($"entry not found in datasource\nthere is no entry '{name}' in config {table.Path}", EditError.NotFound);

    private static EditError ParseError(string word, string reason) =>
        new($"command parse error before '{word}'\n{reason}", EditError.ParseError);

    private static EditError Incomplete(string reason) => new(reason, EditError.Incomplete);

    /// <summary>Null when <paramref name="words"/> has exactly <paramref name="count"/> arguments, else the error.</summary>
    private static List<EditError>? Arguments(List<string> words, int count)
    {
        if (words.Count - 1 < count)
        {
            return [Incomplete($"{words[0]} needs {count} argument(s)")];
        }

        if (words.Count - 1 > count)
        {
            return [ParseError(words[count + 1], count == 0 ? $"{words[0]} takes no arguments" : $"{words[0]} takes {count} argument(s); quote names that contain spaces")];
        }

        return null;
    }

    /// <summary>Resolves a table path starting at <paramref name="start"/>, accepting abbreviations of each word.</summary>
    private static EditError? ResolvePath(List<string> words, int start, out TableSchema? schema, out int consumed)
    {
        schema = null;
        consumed = 0;
        var prefix = new List<string>();
        for (var i = start; i < words.Count; i++)
        {
            var next = NextPathWords(prefix);
            if (Keyword.Expand(words[i], next) is not { } word)
            {
                return ParseError(words[i], "SharpSwan supports config " + string.Join(", config ", EditableTables.Select(t => t.Path)));
            }

            prefix.Add(word);
            consumed++;
            if (SupportedTables.FindEditable(string.Join(" ", prefix)) is { } found)
            {
                schema = found;
                return null;
            }
        }

        return Incomplete($"'{string.Join(" ", prefix)}' is not a complete path; SharpSwan supports config " + string.Join(", config ", EditableTables.Select(t => t.Path)));
    }

    private static List<string> NextPathWords(IReadOnlyList<string> prefix) =>
        [.. EditableTables
            .Select(t => t.Path.Split(' '))
            .Where(p => p.Length > prefix.Count && p.Take(prefix.Count).SequenceEqual(prefix))
            .Select(p => p[prefix.Count])
            .Distinct()];

    private static bool TrySplit(string line, out List<string> words, out EditError? error)
    {
        words = [.. CliTokenizer.Words(line, out error)];
        return error is null;
    }
}
