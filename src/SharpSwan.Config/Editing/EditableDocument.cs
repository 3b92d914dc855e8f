using System.Text;

namespace SharpSwan.Config.Editing;

/// <summary>
/// A whole configuration as explicit <c>set</c> commands per table and entry: the form the editor changes and renders
/// back to FortiOS text, so that the file parser and validator judge every change.
/// </summary>
internal sealed class EditableDocument
{
    private readonly Dictionary<string, List<EditableEntry>> _tables = new(StringComparer.Ordinal);

    private EditableDocument()
    {
        foreach (var schema in SupportedTables.All)
        {
            _tables[schema.Path] = schema.Shape == TableShape.Object ? [new EditableEntry("")] : [];
        }
    }

    /// <summary>The explicit (non-default) settings of a configuration, as <c>show</c> prints them.</summary>
    public static EditableDocument FromConfiguration(GatewayConfiguration configuration) =>
        FromText(ConfigurationWriter.Write(configuration, fullConfiguration: false));

    /// <summary>Reads FortiOS text through the file grammar; text with errors gives what could be read.</summary>
    public static EditableDocument FromText(string text)
    {
        var diagnostics = new DiagnosticBag("editor");
        var raw = RawConfigReader.Read(ConfigTokenizer.Tokenize(text, diagnostics), diagnostics);
        var document = new EditableDocument();
        foreach (var schema in SupportedTables.All)
        {
            if (raw.Find(schema) is not { } table)
            {
                continue;
            }

            var entries = document._tables[schema.Path];
            if (schema.Shape == TableShape.Object)
            {
                entries[0] = Convert(table.Object, "");
            }
            else
            {
                entries.AddRange(table.Entries.Select(e => Convert(e, e.Name)));
            }
        }

        return document;
    }

    public static TableSchema Schema(string path) => SupportedTables.Find(path) ?? throw new ArgumentException($"unknown table {path}", nameof(path));

    public IReadOnlyList<EditableEntry> Entries(string path) => _tables[path];

    public EditableEntry? Find(string path, string name) => _tables[path].Find(e => e.Name == name);

    /// <summary>Replaces the entry of the same name in place, or appends it.</summary>
    public void Put(string path, EditableEntry entry)
    {
        var entries = _tables[path];
        var index = entries.FindIndex(e => e.Name == entry.Name);
        if (index < 0)
        {
            entries.Add(entry);
        }
        else
        {
            entries[index] = entry;
        }
    }

    public void Remove(string path, string name)
    {
        if (Schema(path).Shape == TableShape.Object)
        {
            _tables[path][0] = new EditableEntry("");
            return;
        }

        _tables[path].RemoveAll(e => e.Name == name);
    }

    public EditableDocument Clone()
    {
        var copy = new EditableDocument();
        foreach (var (path, entries) in _tables)
        {
            copy._tables[path] = [.. entries.Select(e => e.Clone())];
        }

        return copy;
    }

    /// <summary>FortiOS text of the whole document, with the origin of every line.</summary>
    public RenderedDocument Render()
    {
        var text = new StringBuilder();
        var origins = new List<LineOrigin>();
        void Line(string line, LineOrigin origin)
        {
            text.Append(line).Append('\n');

            // A multi-line value (PEM) covers several lines of the text; each of them comes from this setting.
            for (var i = 0; i <= line.Count(c => c == '\n'); i++)
            {
                origins.Add(origin);
            }
        }

        foreach (var schema in SupportedTables.All)
        {
            var entries = _tables[schema.Path];
            if (schema.Shape == TableShape.Object)
            {
                if (entries[0].Settings.Count == 0)
                {
                    continue;
                }

                Line($"config {schema.Path}", new LineOrigin(schema.Path, null, null));
                foreach (var setting in entries[0].Settings)
                {
                    Line($"    set {setting.Field} {RenderValues(setting.Values)}", new LineOrigin(schema.Path, "", setting.Field));
                }

                Line("end", new LineOrigin(schema.Path, null, null));
                continue;
            }

            if (entries.Count == 0)
            {
                continue;
            }

            Line($"config {schema.Path}", new LineOrigin(schema.Path, null, null));
            foreach (var entry in entries)
            {
                Line($"    edit {RenderName(schema, entry.Name)}", new LineOrigin(schema.Path, entry.Name, null));
                foreach (var setting in entry.Settings)
                {
                    Line($"        set {setting.Field} {RenderValues(setting.Values)}", new LineOrigin(schema.Path, entry.Name, setting.Field));
                }

                Line("    next", new LineOrigin(schema.Path, entry.Name, null));
            }

            Line("end", new LineOrigin(schema.Path, null, null));
        }

        return new RenderedDocument(text.ToString(), origins);
    }

    public static string RenderName(TableSchema schema, string name) =>
        schema.Shape == TableShape.Numbered && name.Length > 0 && name.All(char.IsAsciiDigit) ? name : ConfigurationWriter.Quote(name);

    public static string RenderValues(IEnumerable<string> values) => string.Join(" ", values.Select(RenderValue));

    public static string RenderValue(string value) =>
        value.Length > 0 && value.All(c => !char.IsWhiteSpace(c) && !char.IsControl(c) && c is not ('"' or '\'' or '\\'))
            ? value
            : ConfigurationWriter.Quote(value);

    private static EditableEntry Convert(RawEntry raw, string name)
    {
        var entry = new EditableEntry(name);
        foreach (var setting in raw.Settings)
        {
            entry.Set(setting.Name, [.. setting.Values.Select(v => v.Text)]);
        }

        return entry;
    }
}
