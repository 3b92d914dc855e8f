using System.Globalization;
using System.Text;
using SharpSwan.Config.Editing;
using SharpSwan.Config;

namespace SharpSwan.Cli.Editing;

/// <summary><c>show</c> and <c>get</c>: the candidate configuration as FortiOS prints it.</summary>
public sealed partial class ConfigEditor
{
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
                    return KeptPath(Working(InForce()), words, start) is { } kept ? ShowKept(kept, words, start, full, answer) : [error];
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

    /// <summary>
    /// <c>show system interface [to-branch]</c>: a table kept as written (outside SharpSwan's schema) is shown as the file
    /// has it, as the whole <c>show</c> prints it.
    /// </summary>
    private List<EditError> ShowKept((string Path, int Words) kept, List<string> words, int start, bool full, StringBuilder answer)
    {
        start += kept.Words;
        if (words.Count > start + 1)
        {
            return [ParseError(words[start + 1], "show [full-configuration] [<path> [<entry>]]")];
        }

        var text = ConfigurationWriter.Write(CandidateCheck.Check(Working(InForce())).Configuration, full);
        var block = Block(text, kept.Path);
        if (words.Count == start)
        {
            answer.Append(block);
            return [];
        }

        var lines = block.Split('\n');
        var at = Array.FindIndex(lines, l => l == $"    edit {ConfigurationWriter.Quote(words[start])}" || l == $"    edit {words[start]}");
        if (at < 0)
        {
            return [new EditError($"entry not found in datasource\nthere is no entry '{words[start]}' in config {kept.Path}", EditError.NotFound)];
        }

        var end = Array.IndexOf(lines, "    next", at);
        answer.Append(CultureInfo.InvariantCulture, $"config {kept.Path}\n{string.Join("\n", lines[at..(end + 1)])}\nend\n");
        return [];
    }

    /// <summary>The kept table whose path the words from <paramref name="start"/> spell out, and how many words that is.</summary>
    private static (string Path, int Words)? KeptPath(EditableDocument working, List<string> words, int start) =>
        working.KeptTables
            .Select(k => (k.Path, Parts: k.Path.Split(' ')))
            .Where(k => words.Count - start >= k.Parts.Length && k.Parts.SequenceEqual(words.Skip(start).Take(k.Parts.Length), StringComparer.Ordinal))
            .Select(k => ((string Path, int Words)?)(k.Path, k.Parts.Length))
            .FirstOrDefault();

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
    private static string Block(string text, TableSchema table) => Block(text, table.Path);

    /// <summary>
    /// The table's block of <paramref name="text"/>. A file may hold a kept table in several blocks (ports in one, tunnels
    /// in another): their entries are shown as one table, in file order, as the device reads them.
    /// </summary>
    private static string Block(string text, string path)
    {
        var lines = text.Split('\n');
        var block = new StringBuilder($"config {path}\n");
        for (var start = Array.IndexOf(lines, $"config {path}"); start >= 0; start = Array.IndexOf(lines, $"config {path}", start + 1))
        {
            var end = Array.IndexOf(lines, "end", start);
            foreach (var line in lines[(start + 1)..end])
            {
                block.Append(line).Append('\n');
            }
        }

        return block.Append("end\n").ToString();
    }

    private static string EntryBlock(string text, TableSchema table, string name)
    {
        var lines = Block(text, table).Split('\n');
        // A kept table's entry may be written unquoted, as the file had it.
        var start = Array.FindIndex(lines, l => l == $"    edit {EditableDocument.RenderName(table, name)}" || l == $"    edit {name}");
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
}
