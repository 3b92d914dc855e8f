using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using SharpSwan.Cli.Grammar;
using SharpSwan.Config;
using SharpSwan.Config.Editing;

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

    // ---------------------------------------------------------------------------------------------- table level

    private static string DescribeMisplaced(string command, TableSchema table) => command switch
    {
        "set" or "unset" or "append" or "select" or "unselect" => $"'{command}' needs an entry: edit one first (config {table.Path})",
        "next" => "'next' closes an edit, but no edit is open",
        "config" => "end this config block first",
        _ => $"unknown command '{command}' in config {table.Path}",
    };

    private List<EditError> Edit(List<string> words, StringBuilder answer)
    {
        if (Arguments(words, 1) is { } wrong)
        {
            return wrong;
        }

        var table = _table!;
        var name = words[1];
        var inForce = InForce();
        var working = Working(inForce);
        if (NameError(table, name) is { } invalid)
        {
            return [invalid];
        }

        if (table.Shape == TableShape.Numbered && long.Parse(name, CultureInfo.InvariantCulture) == 0)
        {
            // FortiOS: edit 0 takes the next free id.
            name = (working.Entries(table.Path).Select(e => long.Parse(e.Name, CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max() + 1)
                .ToString(CultureInfo.InvariantCulture);
        }
        else if (table.Shape == TableShape.Numbered)
        {
            name = long.Parse(name, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }

        _entrySnapshot = _change.Snapshot(table.Path, name);
        if (working.Find(table.Path, name) is null)
        {
            _change.Touch(inForce, table.Path, name);
            _change.SetWorking(table.Path, name, new EditableEntry(name));
            answer.Append(CultureInfo.InvariantCulture, $"new entry '{name}' added\n");
        }
        else
        {
            _change.Open(inForce, table.Path, name);
        }

        _entry = name;
        return [];
    }

    private List<EditError> Delete(string name)
    {
        var table = _table!;
        var inForce = InForce();
        var working = Working(inForce);
        if (working.Find(table.Path, name) is null)
        {
            return [NotFound(name, table)];
        }

        if (InUse(working, table, [name]) is { } used)
        {
            return [used];
        }

        _change.Touch(inForce, table.Path, name);
        _change.SetWorking(table.Path, name, null);
        return [];
    }

    private List<EditError> Purge()
    {
        var table = _table!;
        var inForce = InForce();
        var working = Working(inForce);
        var names = working.Entries(table.Path).Select(e => e.Name).ToList();
        if (InUse(working, table, names) is { } used)
        {
            return [used];
        }

        foreach (var name in names)
        {
            _change.Touch(inForce, table.Path, name);
            _change.SetWorking(table.Path, name, null);
        }

        return [];
    }

    private List<EditError> RenameOrClone(List<string> words, bool rename)
    {
        var table = _table!;
        var verb = rename ? "rename" : "clone";
        if (words.Count < 4)
        {
            return [Incomplete($"{verb} <entry> to <new name>")];
        }

        if (Keyword.Expand(words[2], ["to"]) is null)
        {
            return [ParseError(words[2], $"{verb} <entry> to <new name>")];
        }

        if (words.Count > 4)
        {
            return [ParseError(words[4], $"{verb} takes <entry> to <new name>; quote names that contain spaces")];
        }

        var (source, target) = (words[1], words[3]);
        var inForce = InForce();
        var working = Working(inForce);
        if (working.Find(table.Path, source) is not { } original)
        {
            return [NotFound(source, table)];
        }

        if (NameError(table, target) is { } invalid)
        {
            return [invalid];
        }

        if (working.Find(table.Path, target) is not null)
        {
            return [new EditError($"entry '{target}' already exists in config {table.Path}", EditError.Duplicate)];
        }

        _change.Touch(inForce, table.Path, target);
        _change.SetWorking(table.Path, target, original.Clone(target));
        if (!rename)
        {
            return [];
        }

        _change.Touch(inForce, table.Path, source);
        _change.SetWorking(table.Path, source, null);

        // FortiOS renames references with the object: phase 2 entries and routes keep pointing at the phase 1.
        foreach (var (path, entry, field) in References(working, table, [source]))
        {
            var updated = entry.Clone();
            updated.Set(field, [target]);
            _change.Touch(inForce, path, entry.Name);
            _change.SetWorking(path, entry.Name, updated);
        }

        return [];
    }

    private List<EditError> AbortAll()
    {
        _change = new ConfigurationChange();
        _table = null;
        _entry = null;
        _entrySnapshot = null;
        return [];
    }

    private async Task<List<EditError>> End(StringBuilder answer, CancellationToken cancellation)
    {
        if (!_change.IsEmpty)
        {
            var result = await _committer.CommitAsync(_change, cancellation).ConfigureAwait(false);
            if (!result.Applied)
            {
                return [.. result.Errors];
            }

            foreach (var note in result.Notes)
            {
                answer.Append(note).Append('\n');
            }
        }

        return AbortAll();
    }

    // ---------------------------------------------------------------------------------------------- entry level

    /// <summary><c>abort</c> inside an entry: the entry back to how <c>edit</c> found it; inside an object, the whole block.</summary>
    private List<EditError> AbortEntry(List<string> words)
    {
        if (Arguments(words, 0) is { } wrong)
        {
            return wrong;
        }

        var table = _table!;
        if (table.Shape == TableShape.Object)
        {
            return AbortAll();
        }

        _change.Restore(table.Path, _entry!, _entrySnapshot);
        if (!_change.IsTouched(table.Path, _entry!))
        {
            _change.Close(table.Path, _entry!);
        }

        _entry = null;
        return [];
    }

    /// <summary>The parse error for a word that is not a command here, with why.</summary>
    private EditError Unknown(string word)
    {
        if (_table is not { } table)
        {
            return ParseError(word, $"unknown command '{word}'");
        }

        if (_entry is null && table.Shape != TableShape.Object)
        {
            return ParseError(word, DescribeMisplaced(word, table));
        }

        var isObject = table.Shape == TableShape.Object;
        var reason = word == "edit"
            ? $"edit \"{_entry}\" is still open: close it with 'next' first"
            : $"unknown command '{word}' inside {(isObject ? $"config {table.Path}" : $"edit \"{_entry}\"")}";
        return ParseError(word, reason);
    }

    private List<EditError> Change(string verb, List<string> words)
    {
        var table = _table!;
        var name = _entry ?? "";
        if (words.Count < 2)
        {
            return [Incomplete($"{verb} needs a field name")];
        }

        var fields = FieldHelpCatalog.FieldNames(table.Path);

        // A table the help catalogue does not list yet still takes every field its schema accepts, spelled out.
        if ((Keyword.Expand(words[1], fields) ?? (table.RejectField(words[1]) is null ? words[1] : null)) is not { } field)
        {
            var reason = table.RejectField(words[1]) ?? $"'{words[1]}' is ambiguous: {string.Join(" ", fields.Where(f => f.StartsWith(words[1], StringComparison.Ordinal)))}";
            return [ParseError(words[1], reason)];
        }

        var values = words.Skip(2).ToImmutableArray();
        if (verb == "unset" && values.Length > 0)
        {
            return [ParseError(values[0], "unset takes only the field name")];
        }

        if (verb != "unset" && values.Length == 0)
        {
            return [Incomplete($"{verb} {field} needs a value")];
        }

        var help = FieldHelpCatalog.Find(table.Path, field);
        if (verb is "append" or "select" or "unselect" && !help.IsList)
        {
            return [ParseError(words[0], $"{field} takes a single value, not a list: use set")];
        }

        var inForce = InForce();
        if (_change.StaleError(inForce, table.Path, name) is { } stale)
        {
            return [stale];
        }

        var working = Working(inForce);
        var entry = working.Find(table.Path, name)!.Clone();
        if (verb == "unset")
        {
            entry.Unset(field);
        }
        else
        {
            var now = verb == "set" ? [] : EffectiveValues(working, table, name, field);
            var result = verb switch
            {
                "append" => now.AddRange(values),
                "select" => now.AddRange(values.Where(v => !now.Contains(v)).Distinct()),
                "unselect" => now.RemoveAll(values.Contains),
                _ => values,
            };
            if (result.IsEmpty)
            {
                entry.Unset(field);
            }
            else
            {
                entry.Set(field, result);
            }

            // Judge the new value as the file loader would, in the whole configuration (references included).
            working.Put(table.Path, entry);
            var errors = CandidateCheck.Check(working).Errors
                .Where(e => e.Origin is { } o && o.Path == table.Path && o.Entry == name && o.Field == field)
                .Select(e => EditError.From(e.Error, null))
                .ToList();
            if (errors.Count > 0)
            {
                return errors;
            }
        }

        _change.Touch(inForce, table.Path, name);
        _change.SetWorking(table.Path, name, entry);
        return [];
    }

    private List<EditError> Next()
    {
        var table = _table!;
        var inForce = InForce();

        // Only a change is refused for being stale; closing an entry the session merely looked at is not.
        if (_change.IsTouched(table.Path, _entry!) && _change.StaleError(inForce, table.Path, _entry!) is { } stale)
        {
            return [stale];
        }

        // FortiOS checks the entry when it is closed ("Attribute 'x' MUST be set.") and keeps it open if it fails.
        var errors = CandidateCheck.Check(Working(inForce)).Errors
            .Where(e => e.Origin is { } o && o.Path == table.Path && o.Entry == _entry)
            .Select(e => EditError.From(e.Error, null))
            .ToList();
        if (errors.Count > 0)
        {
            return errors;
        }

        if (!_change.IsTouched(table.Path, _entry!))
        {
            _change.Close(table.Path, _entry!);
        }

        _entry = null;
        _entrySnapshot = null;
        return [];
    }

    // ---------------------------------------------------------------------------------------------- show and get

    private List<EditError> Show(List<string> words, int start, StringBuilder answer, bool topLevel)
    {
        var full = false;
        if (words.Count > start && IsFullConfiguration(words[start]))
        {
            full = true;
            start++;
        }

        TableSchema? table = _table;
        string? entry = _entry;
        if (topLevel)
        {
            table = null;
            entry = null;
            if (words.Count > start)
            {
                if (ResolvePath(words, start, out table, out var consumed) is { } error)
                {
                    return [error];
                }

                start += consumed;
            }
        }

        if (table is not null && table.Shape != TableShape.Object && entry is null && words.Count > start)
        {
            entry = words[start++];
            if (Working(InForce()).Find(table.Path, entry) is null)
            {
                return [NotFound(entry, table)];
            }
        }

        if (words.Count > start)
        {
            return [ParseError(words[start], "show [full-configuration] [<path> [<entry>]]")];
        }

        var text = ConfigurationWriter.Write(CandidateCheck.Check(Working(InForce())).Configuration, full);
        answer.Append(table is null ? text : entry is null ? Block(text, table) : EntryBlock(text, table, entry));
        return [];
    }

    private List<EditError> Get(TableSchema table, List<string> rest, StringBuilder answer)
    {
        var working = Working(InForce());
        var text = ConfigurationWriter.Write(CandidateCheck.Check(working).Configuration, fullConfiguration: true);
        if (table.Shape == TableShape.Object)
        {
            if (rest.Count > 0)
            {
                return [ParseError(rest[0], $"get {table.Path} takes no entry name")];
            }

            answer.Append(FieldLines(Block(text, table), includeName: null));
            return [];
        }

        if (rest.Count > 1)
        {
            return [ParseError(rest[1], "get <path> [<entry>]")];
        }

        if (rest.Count == 0)
        {
            foreach (var entry in working.Entries(table.Path))
            {
                answer.Append(CultureInfo.InvariantCulture, $"== [ {entry.Name} ]\nname: {entry.Name}\n");
            }

            return [];
        }

        if (working.Find(table.Path, rest[0]) is null)
        {
            return [NotFound(rest[0], table)];
        }

        answer.Append(FieldLines(EntryBlock(text, table, rest[0]), includeName: rest[0]));
        return [];
    }

    /// <summary>The <c>config &lt;path&gt;</c> ... <c>end</c> block of <paramref name="table"/> in writer output.</summary>
    private static string Block(string text, TableSchema table)
    {
        var lines = text.Split('\n');
        var start = Array.IndexOf(lines, $"config {table.Path}");
        if (start < 0)
        {
            return $"config {table.Path}\nend\n";
        }

        var end = Array.IndexOf(lines, "end", start);
        return string.Join("\n", lines[start..(end + 1)]) + "\n";
    }

    private static string EntryBlock(string text, TableSchema table, string name)
    {
        var lines = Block(text, table).Split('\n');
        var start = Array.IndexOf(lines, $"    edit {EditableDocument.RenderName(table, name)}");
        if (start < 0)
        {
            return $"config {table.Path}\nend\n";
        }

        var end = Array.IndexOf(lines, "    next", start);
        return $"config {table.Path}\n{string.Join("\n", lines[start..(end + 1)])}\nend\n";
    }

    /// <summary>FortiOS <c>get</c> layout: <c>field : value</c>, values unquoted.</summary>
    private static string FieldLines(string block, string? includeName)
    {
        var pairs = new List<(string Field, string Value)>();
        if (includeName is not null)
        {
            pairs.Add(("name", includeName));
        }

        var document = EditableDocument.FromText(block);
        var path = block[7..block.IndexOf('\n', StringComparison.Ordinal)];
        var entry = includeName is null ? document.Entries(path)[0] : document.Find(path, includeName);
        foreach (var setting in entry?.Settings ?? [])
        {
            pairs.Add((setting.Field, string.Join(" ", setting.Values)));
        }

        var width = Math.Max(20, pairs.Select(p => p.Field.Length + 1).DefaultIfEmpty(0).Max());
        var text = new StringBuilder();
        foreach (var (field, value) in pairs)
        {
            text.Append(field.PadRight(width)).Append(": ").Append(value).Append('\n');
        }

        return text.ToString();
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

    /// <summary>Entries (in other tables) that name one of <paramref name="names"/> of <paramref name="table"/>.</summary>
    private static IEnumerable<(string Path, EditableEntry Entry, string Field)> References(EditableDocument working, TableSchema table, IReadOnlyCollection<string> names)
    {
        foreach (var reference in DialUpReferences(working, table, names))
        {
            yield return reference;
        }

        if (table.Path is not (Phase1Schema.InterfacePath or Phase1Schema.PolicyPath))
        {
            yield break;
        }

        var phase2Path = table.Path == Phase1Schema.InterfacePath ? Phase2Schema.InterfacePath : Phase2Schema.PolicyPath;
        foreach (var entry in working.Entries(phase2Path))
        {
            if (entry.Find("phase1name")?.Values is [var target] && names.Contains(target))
            {
                yield return (phase2Path, entry, "phase1name");
            }
        }

        if (table.Path == Phase1Schema.InterfacePath)
        {
            foreach (var entry in working.Entries(StaticRouteSchema.Path))
            {
                if (entry.Find("device")?.Values is [var device] && names.Contains(device))
                {
                    yield return (StaticRouteSchema.Path, entry, "device");
                }
            }
        }
    }

    private static EditError? InUse(EditableDocument working, TableSchema table, IReadOnlyCollection<string> names)
    {
        var users = References(working, table, names).ToList();
        if (users.Count == 0)
        {
            return null;
        }

        var list = string.Join(", ", users.Select(u => $"{u.Path} {EditableDocument.RenderName(EditableDocument.Schema(u.Path), u.Entry.Name)} ({u.Field})"));
        return new EditError($"entry is used by {users.Count} other entr{(users.Count == 1 ? "y" : "ies")}: {list}", EditError.InUse);
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
                return ParseError(words[i], "SharpSwan supports config " + string.Join(", config ", SupportedTables.All.Select(t => t.Path)));
            }

            prefix.Add(word);
            consumed++;
            if (SupportedTables.Find(string.Join(" ", prefix)) is { } found)
            {
                schema = found;
                return null;
            }
        }

        return Incomplete($"'{string.Join(" ", prefix)}' is not a complete path; SharpSwan supports config " + string.Join(", config ", SupportedTables.All.Select(t => t.Path)));
    }

    private static List<string> NextPathWords(IReadOnlyList<string> prefix) =>
        [.. SupportedTables.All
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
