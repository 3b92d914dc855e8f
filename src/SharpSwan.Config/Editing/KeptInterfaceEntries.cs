using System.Collections.Immutable;

namespace SharpSwan.Config.Editing;

/// <summary>
/// The entries of the kept <c>config system interface</c> blocks as <see cref="EditableEntry"/>s, and changes to one
/// entry written back into those blocks line by line: the lines of other entries, and an edited entry's lines that the
/// change does not touch (nested blocks, secrets, quoting), stay exactly as the file wrote them.
/// </summary>
internal static class KeptInterfaceEntries
{
    public const string Path = TunnelInterfaceReader.Path;

    /// <summary>Every entry of the table's blocks in file order, with its direct <c>set</c> lines as settings.</summary>
    public static List<EditableEntry> Entries(IReadOnlyList<KeptTable> kept)
    {
        var entries = new List<EditableEntry>();
        foreach (var table in kept.Where(k => k.Path == Path))
        {
            EditableEntry? current = null;
            foreach (var line in table.Lines)
            {
                var words = Words(line);
                if (line.Depth == 1 && words is ["edit", var name, ..])
                {
                    current = new EditableEntry(name);
                    entries.Add(current);
                }
                else if (line.Depth == 1)
                {
                    current = null;
                }
                else if (current is not null && line.Depth == 2 && words is ["set", var field, .. var values])
                {
                    current.Set(field, [.. values]);
                }
            }
        }

        return entries;
    }

    /// <summary>The blocks with <paramref name="entry"/> in place of the entry of its name, or appended to the last block.</summary>
    public static void Put(List<KeptTable> kept, EditableEntry entry)
    {
        var (tableIndex, start, end) = Locate(kept, entry.Name);
        if (tableIndex < 0)
        {
            var newLines = new List<KeptLine> { new(1, $"edit {ConfigurationWriter.Quote(entry.Name)}") };
            newLines.AddRange(entry.Settings.Select(s => SetLine(s.Field, s.Values)));
            newLines.Add(new KeptLine(1, "next"));
            var last = kept.FindLastIndex(k => k.Path == Path);
            if (last < 0)
            {
                kept.Add(new KeptTable(Path, [.. newLines], 0));
            }
            else
            {
                kept[last] = kept[last] with { Lines = kept[last].Lines.AddRange(newLines) };
            }

            return;
        }

        var table = kept[tableIndex];
        var lines = table.Lines.ToList();
        var block = lines.GetRange(start, end - start);
        var rewritten = new List<KeptLine> { block[0] };
        var written = new HashSet<string>(StringComparer.Ordinal);
        var insertAt = 1;
        foreach (var line in block.Skip(1))
        {
            if (line.Depth == 2 && Words(line) is ["set", var field, .. var values])
            {
                if (entry.Find(field) is not { } setting)
                {
                    continue;
                }

                // An unchanged line stays as written (its quoting, or its secret held encrypted).
                rewritten.Add(setting.Values.SequenceEqual(values) ? line : SetLine(field, setting.Values));
                written.Add(field);
                insertAt = rewritten.Count;
            }
            else
            {
                rewritten.Add(line);
            }
        }

        // New settings go after the entry's last set line, before any nested block, as FortiOS prints them.
        rewritten.InsertRange(insertAt, entry.Settings.Where(s => !written.Contains(s.Field)).Select(s => SetLine(s.Field, s.Values)));
        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, rewritten);
        kept[tableIndex] = table with { Lines = [.. lines] };
    }

    /// <summary>Removes the entry's lines (<c>edit</c> to its <c>next</c>); false when there is no such entry.</summary>
    public static bool Remove(List<KeptTable> kept, string name)
    {
        var (tableIndex, start, end) = Locate(kept, name);
        if (tableIndex < 0)
        {
            return false;
        }

        var lines = kept[tableIndex].Lines.RemoveRange(start, end - start);
        if (lines.IsEmpty)
        {
            kept.RemoveAt(tableIndex);
        }
        else
        {
            kept[tableIndex] = kept[tableIndex] with { Lines = lines };
        }

        return true;
    }

    /// <summary>The entry's block, index of its table and of its lines from <c>edit</c> up to the line after <c>next</c>.</summary>
    private static (int Table, int Start, int End) Locate(List<KeptTable> kept, string name)
    {
        for (var t = 0; t < kept.Count; t++)
        {
            if (kept[t].Path != Path)
            {
                continue;
            }

            var lines = kept[t].Lines;
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Depth == 1 && Words(lines[i]) is ["edit", var found, ..] && found == name)
                {
                    var end = i + 1;
                    while (end < lines.Length && lines[end].Depth != 1)
                    {
                        end++;
                    }

                    // Through the entry's own next (a truncated block without one ends at the table's end).
                    if (end < lines.Length && lines[end].Text == "next")
                    {
                        end++;
                    }

                    return (t, i, end);
                }
            }
        }

        return (-1, -1, -1);
    }

    /// <summary>The name of an <c>edit</c> line, else null.</summary>
    public static string? EditName(KeptLine line) => Words(line) is ["edit", var name, ..] ? name : null;

    /// <summary>The field of a <c>set</c> line, else null.</summary>
    public static string? SetField(KeptLine line) => Words(line) is ["set", var field, ..] ? field : null;

    private static KeptLine SetLine(string field, ImmutableArray<string> values)
    {
        var rendered = TunnelInterfaceReader.QuotedFields.Contains(field)
            ? string.Join(" ", values.Select(ConfigurationWriter.Quote))
            : EditableDocument.RenderValues(values);
        return new KeptLine(2, $"set {field} {rendered}");
    }

    /// <summary>The words of a kept line without quotes; a secret as <c>ENC ****</c>, which stays the same between reads.</summary>
    private static string[] Words(KeptLine line)
    {
        var diagnostics = new DiagnosticBag("kept");
        var commands = ConfigTokenizer.Tokenize(line.ToString(), diagnostics);
        return commands.Count == 0 ? [] : [.. commands[0].Select(t => t.Text)];
    }
}
