using System.Collections.Immutable;
using System.Globalization;

namespace SharpSwan.Config;

/// <summary>
/// Walks the command lines through the FortiOS CLI grammar (<c>config</c>/<c>edit</c>/<c>set</c>/
/// <c>unset</c>/<c>append</c>/<c>next</c>/<c>abort</c>/<c>delete</c>/<c>purge</c>/<c>end</c>) and
/// records the result per table. Field names are checked here, as FortiOS does when a
/// <c>set</c> is typed; values are interpreted later by the table builders.
/// </summary>
internal sealed class RawConfigReader
{
    private readonly DiagnosticBag _diagnostics;
    private readonly RawDocument _document = new();

    private RawTable? _table;
    private ConfigToken _tableConfigToken;
    private RawEntry? _entry;
    private RawEntry.Snapshot? _entrySnapshot;
    private bool _entryIsNew;

    /// <summary>Depth of a block being skipped (unsupported table or nested sub-table); 0 when not skipping.</summary>
    private int _skipDepth;
    private ConfigToken _skipStart;
    private bool _skipIsNested;
    private bool _skippedContent;

    /// <summary>The kept table whose block is being skipped (its lines are recorded), else null.</summary>
    private RawKeptTable? _kept;
    /// <summary>The kept table's open blocks, innermost on top: <c>config</c> or <c>edit</c>; their count is a line's depth.</summary>
    private readonly Stack<string> _keptBlocks = new();

    private RawConfigReader(DiagnosticBag diagnostics) => _diagnostics = diagnostics;

    public static RawDocument Read(IEnumerable<ImmutableArray<ConfigToken>> lines, DiagnosticBag diagnostics)
    {
        var reader = new RawConfigReader(diagnostics);
        foreach (var line in lines)
        {
            reader.Process(line);
        }

        reader.Finish();
        return reader._document;
    }

    private void Process(ImmutableArray<ConfigToken> words)
    {
        if (_skipDepth > 0)
        {
            Skip(words);
        }
        else if (_entry is not null)
        {
            InEntry(words);
        }
        else if (_table is not null)
        {
            InTable(words);
        }
        else
        {
            AtTopLevel(words);
        }
    }

    private void AtTopLevel(ImmutableArray<ConfigToken> words)
    {
        var command = words[0];
        if (command.Text == "config")
        {
            OpenConfig(words);
            return;
        }

        _diagnostics.CommandParseError(
            command,
            command.Text is "end" or "next" or "edit" or "set" or "unset" or "append" or "abort"
                ? $"'{command.Text}' outside of a config block"
                : $"unknown command '{command.Text}' (expected config)");
    }

    private void OpenConfig(ImmutableArray<ConfigToken> words)
    {
        if (words.Length == 1)
        {
            _diagnostics.Incomplete(words[0], "config needs a path, e.g. config vpn ipsec phase1-interface");
            StartSkipping(words[0], nested: false);
            return;
        }

        // FortiOS table paths are plain words; a quoted or odd one could not be written back as it was read.
        if (words.Skip(1).FirstOrDefault(w => w.Quoted || !w.Text.All(IsTablePathChar)) is { Text: not null } odd)
        {
            _diagnostics.CommandParseError(odd, $"'{odd.Text}' is not a FortiOS table name (letters, digits, '-', '_' and '.' only)");
            StartSkipping(words[0], nested: false);
            return;
        }

        var path = string.Join(" ", words.Skip(1).Select(w => w.Text));
        var schema = SupportedTables.Find(path);
        if (schema is null)
        {
            OpenForeign(words, path);
            return;
        }

        _table = _document.OpenOrAdd(schema, words[0]);
        _tableConfigToken = words[0];
    }

    private static bool IsTablePathChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.';

    /// <summary>
    /// A table the schema does not have: an error when the path is part of a supported one or refused, otherwise its
    /// block is kept verbatim (the builder warns about it).
    /// </summary>
    private void OpenForeign(ImmutableArray<ConfigToken> words, string path)
    {
        var isPartOfSupported = SupportedTables.All.Any(t => t.Path.StartsWith(path + " ", StringComparison.Ordinal));
        if (ForeignTables.RefusalReason(path) is { } reason)
        {
            _diagnostics.CommandParseError(words[1], reason);
        }
        else if (isPartOfSupported || ForeignTables.IsOwned(path))
        {
            ReportUnsupportedPath(words);
        }
        else
        {
            StartSkipping(words[0], nested: false);
            _kept = _document.AddKept(path, words[0]);
            _keptBlocks.Clear();
            _keptBlocks.Push("config");
            return;
        }

        StartSkipping(words[0], nested: false);
    }

    private void ReportUnsupportedPath(ImmutableArray<ConfigToken> words)
    {
        var reason = "SharpSwan supports config " + string.Join(", config ", SupportedTables.All.Select(t => t.Path));
        for (var length = 1; length < words.Length; length++)
        {
            var prefix = words.Skip(1).Take(length).Select(w => w.Text).ToArray();
            var matchesSome = SupportedTables.All.Any(t =>
            {
                var parts = t.Path.Split(' ');
                return parts.Length >= prefix.Length && parts.Take(prefix.Length).SequenceEqual(prefix);
            });
            if (!matchesSome)
            {
                _diagnostics.CommandParseError(words[length], reason);
                return;
            }
        }

        _diagnostics.Incomplete(words[^1], $"'config {string.Join(" ", words.Skip(1).Select(w => w.Text))}' is not a complete table path; {reason}");
    }

    private void InTable(ImmutableArray<ConfigToken> words)
    {
        var table = _table!;
        var command = words[0];
        var isObject = table.Schema.Shape == TableShape.Object;
        switch (command.Text)
        {
            case "edit" when !isObject:
                OpenEdit(words);
                break;
            case "set" or "unset" or "append" when isObject:
                ChangeSetting(table.Object, words);
                break;
            case "delete" when !isObject:
                if (RequireArguments(words, 1))
                {
                    if (!table.Remove(words[1].Text))
                    {
                        _diagnostics.EntryNotFound("delete", words[1], $"there is no entry '{words[1].Text}' to delete in config {table.Schema.Path}");
                    }
                }

                break;
            case "purge" when !isObject:
                if (RequireArguments(words, 0))
                {
                    table.Clear();
                }

                break;
            case "end":
                RequireArguments(words, 0);
                _table = null;
                break;
            case "config":
                StartSkipping(command, nested: true);
                break;
            default:
                _diagnostics.CommandParseError(command, DescribeMisplaced(command.Text, table.Schema));
                break;
        }
    }

    private static string DescribeMisplaced(string command, TableSchema schema) => command switch
    {
        "edit" => $"config {schema.Path} is a single object: use set directly, without edit",
        "set" or "unset" or "append" => $"'{command}' must be inside an edit ... next block in config {schema.Path}",
        "next" => "'next' closes an edit, but no edit is open",
        "delete" or "purge" => $"config {schema.Path} is a single object; there are no entries to {command}",
        _ => $"unknown command '{command}' in config {schema.Path}",
    };

    private void OpenEdit(ImmutableArray<ConfigToken> words)
    {
        if (!RequireArguments(words, 1))
        {
            return;
        }

        var table = _table!;
        var nameToken = words[1];
        var name = nameToken.Text;
        if (table.Schema.Shape == TableShape.Numbered)
        {
            if (name.Length == 0 || !name.All(char.IsAsciiDigit)
                || !int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                _diagnostics.ValueParseError("edit", nameToken, $"entries of config {table.Schema.Path} are numbered 0-{int.MaxValue} (0 takes the next free id)");

                OpenDetached(name, nameToken);
                return;
            }

            if (id == 0)
            {
                var next = table.NextFreeId();
                if (next > int.MaxValue)
                {
                    _diagnostics.ValueParseError("edit", nameToken, $"config {table.Schema.Path} has no free id above the largest one in use");
                    OpenDetached(name, nameToken);
                    return;
                }

                name = next.ToString(CultureInfo.InvariantCulture);
            }
        }
        else if (name.Length == 0 || name.Length > table.Schema.MaxNameLength)
        {
            _diagnostics.ValueParseError(
                "name",
                nameToken,
                $"names in config {table.Schema.Path} must be 1-{table.Schema.MaxNameLength} characters");
        }
        else if (table.Schema.Path == Phase1Schema.InterfacePath && TunnelDeviceName.Problem(name) is { } problem)
        {
            // Here rather than in the validator so that the CLI refuses it at edit and rename, as it does a long name.
            _diagnostics.ValueParseError(
                "name",
                nameToken,
                $"a phase1-interface's name is also its Linux tunnel interface's name, and {problem}");
        }

        _entryIsNew = table.Find(name) is null;
        _entry = table.OpenOrAdd(name, nameToken);
        _entrySnapshot = _entry.TakeSnapshot();
    }

    /// <summary>Reads the block of a rejected <c>edit</c> into an entry outside the table, so its lines do not cascade into more errors.</summary>
    private void OpenDetached(string name, ConfigToken nameToken)
    {
        _entry = new RawEntry(name, nameToken);
        _entryIsNew = false;
        _entrySnapshot = _entry.TakeSnapshot();
    }

    private void InEntry(ImmutableArray<ConfigToken> words)
    {
        var entry = _entry!;
        var command = words[0];
        switch (command.Text)
        {
            case "set" or "unset" or "append":
                ChangeSetting(entry, words);
                break;
            case "next":
                RequireArguments(words, 0);
                CloseEntry();
                break;
            case "end":
                RequireArguments(words, 0);
                CloseEntry();
                _table = null;
                break;
            case "abort":
                RequireArguments(words, 0);
                AbortEntry();
                break;
            case "edit":
                _diagnostics.CommandParseError(
                    command,
                    $"edit \"{entry.Name}\" (line {entry.NameToken.Line}) is not closed with 'next' before this edit");
                CloseEntry();
                OpenEdit(words);
                break;
            case "config":
                StartSkipping(command, nested: true);
                break;
            default:
                _diagnostics.CommandParseError(command, $"unknown command '{command.Text}' inside edit \"{entry.Name}\"");
                break;
        }
    }

    private void ChangeSetting(RawEntry entry, ImmutableArray<ConfigToken> words)
    {
        words = SettingAliases.Apply(_table!.Schema.Path, words, _diagnostics);
        var verb = words[0];
        if (words.Length < 2)
        {
            _diagnostics.Incomplete(verb, $"{verb.Text} needs a field name");
            return;
        }

        var field = words[1];
        var schema = _table!.Schema;
        if (schema.RejectField(field.Text) is { } reason)
        {
            _diagnostics.CommandParseError(field, reason);
            return;
        }

        if (verb.Text == "unset")
        {
            if (words.Length > 2)
            {
                _diagnostics.CommandParseError(words[2], $"unset takes only the field name");
                return;
            }

            entry.Unset(field.Text);
            return;
        }

        if (words.Length == 2)
        {
            _diagnostics.Incomplete(field, $"{verb.Text} {field.Text} needs a value");
            return;
        }

        var setting = new RawSetting(verb, field, words[2..]);
        if (verb.Text == "append")
        {
            entry.Append(setting);
        }
        else
        {
            entry.Set(setting);
        }
    }

    private void CloseEntry()
    {
        _entry = null;
        _entrySnapshot = null;
    }

    private void AbortEntry()
    {
        if (_entryIsNew)
        {
            _table!.Remove(_entry!.Name);
        }
        else
        {
            _entry!.Restore(_entrySnapshot!);
        }

        CloseEntry();
    }

    private void StartSkipping(ConfigToken start, bool nested)
    {
        _skipDepth = 1;
        _skipStart = start;
        _skipIsNested = nested;
        _skippedContent = false;
    }

    /// <summary>
    /// Skips an unsupported block up to its matching <c>end</c>. A nested sub-table (such as
    /// phase 1 <c>config ipv4-exclude-range</c>) is accepted only when empty, since we cannot keep its rows.
    /// </summary>
    private void Skip(ImmutableArray<ConfigToken> words)
    {
        Record(words);
        switch (words[0].Text)
        {
            case "config":
                _skipDepth++;
                _skippedContent = true;
                break;
            case "end":
                _skipDepth--;
                break;
            default:
                _skippedContent = true;
                break;
        }

        if (_skipDepth == 0 && _skipIsNested && _skippedContent)
        {
            _diagnostics.CommandParseError(
                _skipStart,
                "nested config tables inside an edit are not supported by SharpSwan (only an empty one is accepted)");
        }
    }

    /// <summary>Records a line of a kept table at its nesting depth; its closing <c>end</c> is not recorded.</summary>
    private void Record(ImmutableArray<ConfigToken> words)
    {
        if (_kept is null)
        {
            return;
        }

        var command = words[0].Text;
        if (command == "next" && _keptBlocks.TryPeek(out var innermost) && innermost == "edit")
        {
            _keptBlocks.Pop();
        }
        else if (command == "end")
        {
            // 'end' closes the innermost config block and any edit still open in it (FortiOS needs no 'next' first),
            // as Skip counts it: recording it one level deeper would write an 'end' outside any block.
            while (_keptBlocks.TryPop(out var block) && block != "config")
            {
            }
        }

        if (_keptBlocks.Count == 0)
        {
            _kept = null;
            return;
        }

        _kept.Add(_keptBlocks.Count, words);
        if (command is "config" or "edit")
        {
            _keptBlocks.Push(command);
        }
    }

    private bool RequireArguments(ImmutableArray<ConfigToken> words, int count)
    {
        if (words.Length - 1 < count)
        {
            _diagnostics.Incomplete(words[^1], $"{words[0].Text} needs {count} argument(s)");
            return false;
        }

        if (words.Length - 1 > count)
        {
            _diagnostics.CommandParseError(
                words[count + 1],
                count == 0 ? $"{words[0].Text} takes no arguments" : $"{words[0].Text} takes {count} argument(s); quote names that contain spaces");
            return false;
        }

        return true;
    }

    private void Finish()
    {
        if (_skipDepth > 0)
        {
            _diagnostics.Add(_skipStart.Line, _skipStart.Column, "missing 'end'", $"the config block opened at line {_skipStart.Line} is not closed with 'end'");
        }

        if (_table is { } table)
        {
            var open = _entry is { } entry ? $"; edit \"{entry.Name}\" (line {entry.NameToken.Line}) also lacks 'next'" : "";
            _diagnostics.Add(
                _tableConfigToken.Line,
                _tableConfigToken.Column,
                "missing 'end'",
                $"config {table.Schema.Path} (line {_tableConfigToken.Line}) is not closed with 'end'{open}");
        }
    }
}
