using System.Globalization;
using System.Text;
using SharpSwan.Cli.Grammar;
using SharpSwan.Config.Editing;
using SharpSwan.Config;

namespace SharpSwan.Cli.Editing;

/// <summary>Table level: <c>edit</c>, <c>delete</c>, <c>purge</c>, <c>rename</c>, <c>clone</c>, and <c>end</c> or <c>abort</c> of the block.</summary>
public sealed partial class ConfigEditor
{
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

        if (IsTunnelTable(table) && TunnelInterfaceEdits.EntryError(working, name) is { } notTunnel)
        {
            return [notTunnel];
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
            _change.SetWorking(table.Path, name, IsTunnelTable(table) ? TunnelInterfaceEdits.NewEntry(working, name) : new EditableEntry(name));
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

        if (IsTunnelTable(table) && TunnelInterfaceEdits.EntryError(working, name) is { } notTunnel)
        {
            return [notTunnel];
        }

        if (InUse(working, table, [name]) is { } used)
        {
            return [used];
        }

        // Deleted alone, the entry would stay behind and a later phase1-interface of this name would pick up its addresses.
        if (KeptTunnelInterfaceInUse(working, table, [name], "deleted") is { } kept)
        {
            return [kept];
        }

        _change.Touch(inForce, table.Path, name);
        _change.SetWorking(table.Path, name, null);
        return [];
    }

    private List<EditError> Purge()
    {
        var table = _table!;
        if (IsTunnelTable(table))
        {
            return NotInTunnelTable("purge");
        }

        var inForce = InForce();
        var working = Working(inForce);
        var names = working.Entries(table.Path).Select(e => e.Name).ToList();
        if (InUse(working, table, names) is { } used)
        {
            return [used];
        }

        if (KeptTunnelInterfaceInUse(working, table, names, "deleted") is { } kept)
        {
            return [kept];
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
        if (IsTunnelTable(table))
        {
            return NotInTunnelTable(verb);
        }

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

        // Renamed alone, the tunnel would silently come up without its addresses and MTU.
        if (rename && KeptTunnelInterfaceInUse(working, table, [source], "renamed") is { } kept)
        {
            return [kept];
        }

        _change.Touch(inForce, table.Path, target);
        _change.SetWorking(table.Path, target, original.Clone(target));
        if (!rename)
        {
            return [];
        }

        _change.Touch(inForce, table.Path, source);
        _change.SetWorking(table.Path, source, null);

        // FortiOS renames references with the object: phase 2 entries, routes and policies keep pointing at it.
        foreach (var group in References(working, table, [source]).GroupBy(r => (r.Path, r.Entry.Name)))
        {
            var (path, entry, _) = group.First();
            var updated = entry.Clone();
            foreach (var (_, _, field) in group)
            {
                updated.Set(field, [.. entry.Find(field)!.Values.Select(v => v == source ? target : v)]);
            }

            _change.Touch(inForce, path, entry.Name);
            _change.SetWorking(path, entry.Name, updated);
        }

        return [];
    }

    /// <summary>FortiOS <c>move 3 before 1</c>: changes the order (policies match top-down); ids do not change.</summary>
    private List<EditError> Move(List<string> words)
    {
        var table = _table!;
        if (IsTunnelTable(table))
        {
            return NotInTunnelTable("move");
        }

        if (words.Count < 4)
        {
            return [Incomplete("move <entry> before|after <entry>")];
        }

        if (words.Count > 4)
        {
            return [ParseError(words[4], "move takes <entry> before|after <entry>")];
        }

        if (Keyword.Expand(words[2], ["before", "after"]) is not { } where)
        {
            return [ParseError(words[2], "move <entry> before|after <entry>")];
        }

        var inForce = InForce();
        var working = Working(inForce);
        var (name, target) = (CanonicalName(table, words[1]), CanonicalName(table, words[3]));
        foreach (var each in (string[])[name, target])
        {
            if (working.Find(table.Path, each) is null)
            {
                return [NotFound(each, table)];
            }
        }

        // Both entries count as changed, so a concurrent change to either is refused instead of being reordered blindly.
        foreach (var each in (string[])[name, target])
        {
            _change.Touch(inForce, table.Path, each);
            _change.SetWorking(table.Path, each, working.Find(table.Path, each));
        }

        _change.Move(table.Path, name, where == "after", target);
        return [];
    }

    /// <summary>A numbered table's id without leading zeros, as the entry is stored; a name as written.</summary>
    private static string CanonicalName(TableSchema table, string name) =>
        table.Shape == TableShape.Numbered && name.Length is > 0 and < 19 && name.All(char.IsAsciiDigit)
            ? long.Parse(name, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)
            : name;

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
}
