using System.Globalization;
using System.Text;

namespace SharpSwan.Gateway.Events;

/// <summary>
/// The `execute log filter ...` settings of a CLI session and `execute log display`'s output: newest first,
/// `view-lines` records from `start-line`, only records whose fields match every `field` condition (any of its values).
/// Only the event category (1) exists in SharpSwan; other categories show nothing.
/// </summary>
public sealed class VpnEventLogQuery
{
    public const int EventCategory = 1;
    public const int DefaultViewLines = 10;

    public int Category { get; set; } = EventCategory;

    public int ViewLines { get; set; } = DefaultViewLines;

    public int StartLine { get; set; } = 1;

    /// <summary>Field name to accepted values (`execute log filter field action tunnel-up tunnel-down`).</summary>
    public Dictionary<string, string[]> Fields { get; } = new(StringComparer.Ordinal);

    public void Reset()
    {
        Category = EventCategory;
        ViewLines = DefaultViewLines;
        StartLine = 1;
        Fields.Clear();
    }

    public bool Matches(VpnEventRecord record) =>
        Category == EventCategory
        && Fields.All(condition => record.Fields.TryGetValue(condition.Key, out var value) && condition.Value.Contains(value, StringComparer.Ordinal));

    /// <summary>`N logs found.` / `M logs returned.` then the numbered records, newest first.</summary>
    public string Display(IReadOnlyList<VpnEventRecord> oldestFirst)
    {
        var found = oldestFirst.Where(Matches).Reverse().ToList();
        var page = found.Skip(StartLine - 1).Take(ViewLines).ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{found.Count} logs found.\n{page.Count} logs returned.\n");
        for (var i = 0; i < page.Count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n{StartLine + i}: {page[i].Line}\n");
        }

        return text.ToString();
    }

    /// <summary>`execute log filter dump`.</summary>
    public string Dump()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"category: {(Category == EventCategory ? "event" : Category.ToString(CultureInfo.InvariantCulture))}\n");
        text.Append(CultureInfo.InvariantCulture, $"start-line: {StartLine}\nview-lines: {ViewLines}\n");
        text.Append("filter: ");
        text.AppendJoin(' ', Fields.Select(f => $"{f.Key}={string.Join(',', f.Value)}"));
        text.Append('\n');
        return text.ToString();
    }
}
