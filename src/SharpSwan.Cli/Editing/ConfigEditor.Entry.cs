using System.Collections.Immutable;
using System.Text;
using SharpSwan.Cli.Grammar;
using SharpSwan.Config.Editing;
using SharpSwan.Config;

namespace SharpSwan.Cli.Editing;

/// <summary>Entry level: <c>set</c>, <c>unset</c>, <c>append</c>, <c>select</c>, <c>unselect</c>, <c>next</c> and <c>abort</c> of one entry.</summary>
public sealed partial class ConfigEditor
{
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

    private List<EditError> Change(string verb, List<string> words, StringBuilder answer)
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

        if (IsTunnelTable(table) && TunnelInterfaceEdits.FieldError(field, values) is { } typeError)
        {
            return [typeError];
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
        else if (SetValues(working, entry, verb, field, values) is { Count: > 0 } errors)
        {
            return errors;
        }

        _change.Touch(inForce, table.Path, name);
        _change.SetWorking(table.Path, name, entry);
        if (IsTunnelTable(table))
        {
            NotApplied(Working(inForce), name, field, answer);
        }

        return [];
    }

    /// <summary>Puts the new values of <paramref name="field"/> into <paramref name="entry"/> and judges them as the file loader would.</summary>
    private List<EditError> SetValues(EditableDocument working, EditableEntry entry, string verb, string field, ImmutableArray<string> values)
    {
        var table = _table!;
        var now = verb == "set" ? [] : EffectiveValues(working, table, entry.Name, field);
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

        return Refusals(working, table, entry, field);
    }

    /// <summary>
    /// Puts <paramref name="entry"/> into <paramref name="working"/> and judges <paramref name="field"/> as the file loader
    /// would, in the whole configuration (references included). A refusal that depends on another field of this entry
    /// waits for next/end: the administrator may be about to change that field.
    /// </summary>
    private static List<EditError> Refusals(EditableDocument working, TableSchema table, EditableEntry entry, string field)
    {
        working.Put(table.Path, entry);
        return [.. CandidateCheck.Check(working).Errors
            .Where(e => !e.Error.CrossField && e.Origin is { } o && o.Path == table.Path && o.Entry == entry.Name && o.Field == field)
            .Select(e => EditError.From(e.Error, null))];
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
}
