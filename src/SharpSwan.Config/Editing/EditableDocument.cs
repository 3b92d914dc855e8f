using System.Text;

namespace SharpSwan.Config.Editing;

/// <summary>
/// A whole configuration as explicit <c>set</c> commands per table and entry: the one editable text model. The CLI
/// editor and the web GUI and REST API change it and render it back to FortiOS text, so that the file parser and
/// validator judge every change.
/// </summary>
public sealed class EditableDocument
{
    private readonly Dictionary<string, List<EditableEntry>> _tables = new(StringComparer.Ordinal);

    /// <summary>
    /// Tables outside the schema: carried through every edit unchanged, but for the tunnel entries of
    /// <c>system interface</c>, which the CLI edits line by line (<see cref="KeptInterfaceEntries"/>).
    /// </summary>
    private readonly List<KeptTable> _kept = [];

    private EditableDocument()
    {
        foreach (var schema in SupportedTables.All)
        {
            _tables[schema.Path] = schema.Shape == TableShape.Object ? [new EditableEntry("")] : [];
        }
    }

    /// <summary>
    /// The explicit (non-default) settings of a configuration, as <c>show</c> prints them; with
    /// <paramref name="fullConfiguration"/>, every field, as <c>show full-configuration</c> does.
    /// </summary>
    public static EditableDocument FromConfiguration(GatewayConfiguration configuration, bool fullConfiguration = false) =>
        FromText(ConfigurationWriter.Write(configuration, fullConfiguration));

    /// <summary>Reads FortiOS text through the file grammar; text with errors gives what could be read.</summary>
    public static EditableDocument FromText(string text)
    {
        var diagnostics = new DiagnosticBag("editor");
        var raw = RawConfigReader.Read(ConfigTokenizer.Tokenize(text, diagnostics), diagnostics);
        var document = new EditableDocument();
        document._kept.AddRange(raw.KeptTables.Select(k => KeptTableBuilder.Convert(k, diagnostics)));
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

    internal static TableSchema Schema(string path) => SupportedTables.FindEditable(path) ?? throw new ArgumentException($"unknown table {path}", nameof(path));

    /// <summary>True for a table whose entries are numbers (<c>router static</c>).</summary>
    public static bool IsNumbered(string path) => Schema(path).Shape == TableShape.Numbered;

    /// <summary>True for a single-object table (<c>system global</c>): one nameless entry, no <c>edit</c>.</summary>
    public static bool IsObject(string path) => Schema(path).Shape == TableShape.Object;

    public IReadOnlyList<EditableEntry> Entries(string path) =>
        _tables.TryGetValue(path, out var entries) ? entries : KeptEntries(path);

    /// <summary>The entries of the kept table the editors may change (<c>system interface</c>), read from its lines.</summary>
    private List<EditableEntry> KeptEntries(string path)
    {
        _ = EditableKept(path);
        return KeptInterfaceEntries.Entries(_kept);
    }

    private static string EditableKept(string path) =>
        path == KeptInterfaceEntries.Path ? path : throw new ArgumentException($"unknown table {path}", nameof(path));

    /// <summary>A new, empty entry at the end of the table.</summary>
    public EditableEntry Add(string path, string name)
    {
        var entry = new EditableEntry(name);
        _tables[path].Add(entry);
        return entry;
    }

    /// <summary>Gives an entry a new name in its place; false when there is no entry <paramref name="name"/>.</summary>
    public bool Rename(string path, string name, string newName)
    {
        var entries = _tables[path];
        var index = entries.FindIndex(e => e.Name == name);
        if (index < 0)
        {
            return false;
        }

        entries[index] = entries[index].Clone(newName);
        return true;
    }

    /// <summary>The tables outside the schema that the document carries, in file order.</summary>
    public IReadOnlyList<KeptTable> KeptTables => _kept;

    /// <summary>Drops every block of a table outside the schema; how many there were.</summary>
    public int RemoveKept(string path) => _kept.RemoveAll(k => k.Path == path);

    /// <summary>True when <paramref name="path"/> is a table of the schema (not a kept one).</summary>
    public static bool IsSchemaTable(string path) => SupportedTables.Find(path) is not null;

    /// <summary>The schema's table paths, in the order the writer prints them.</summary>
    public static IEnumerable<string> SchemaTables => SupportedTables.All.Select(t => t.Path);

    /// <summary>Removes the entries that match; how many there were.</summary>
    public int RemoveAll(string path, Predicate<EditableEntry> match) => _tables[path].RemoveAll(match);

    public EditableEntry? Find(string path, string name) => Entries(path).FirstOrDefault(e => e.Name == name);

    /// <summary>Replaces the entry of the same name in place, or appends it.</summary>
    public void Put(string path, EditableEntry entry)
    {
        if (!_tables.TryGetValue(path, out var entries))
        {
            _ = EditableKept(path);
            KeptInterfaceEntries.Put(_kept, entry);
            return;
        }

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

    /// <summary>Moves entry <paramref name="name"/> just before or after <paramref name="target"/>; false when either is missing.</summary>
    public bool Move(string path, string name, bool after, string target)
    {
        var entries = _tables[path];
        var moved = entries.Find(e => e.Name == name);
        if (moved is null || entries.Find(e => e.Name == target) is null || name == target)
        {
            return false;
        }

        entries.Remove(moved);
        var index = entries.FindIndex(e => e.Name == target);
        entries.Insert(after ? index + 1 : index, moved);
        return true;
    }

    /// <summary>Removes an entry (an object table's settings are cleared instead); false when there was none.</summary>
    public bool Remove(string path, string name)
    {
        if (!_tables.ContainsKey(path))
        {
            _ = EditableKept(path);
            return KeptInterfaceEntries.Remove(_kept, name);
        }

        if (Schema(path).Shape == TableShape.Object)
        {
            _tables[path][0] = new EditableEntry("");
            return true;
        }

        return _tables[path].RemoveAll(e => e.Name == name) > 0;
    }

    public EditableDocument Clone()
    {
        var copy = new EditableDocument();
        foreach (var (path, entries) in _tables)
        {
            copy._tables[path] = [.. entries.Select(e => e.Clone())];
        }

        copy._kept.AddRange(_kept);

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

        foreach (var kept in _kept)
        {
            var origin = new LineOrigin(kept.Path, null, null);
            Line($"config {kept.Path}", origin);
            string? entry = null;
            foreach (var line in kept.Lines)
            {
                // The tunnel entries of system interface are edited: their errors name the entry and field, as a schema table's do.
                entry = kept.Path != KeptInterfaceEntries.Path || line.Depth == 0 ? null
                    : line.Depth == 1 ? (KeptInterfaceEntries.EditName(line) ?? (line.Text == "next" ? entry : null))
                    : entry;
                var field = entry is not null && line.Depth == 2 ? KeptInterfaceEntries.SetField(line) : null;
                Line(new string(' ', 4 * line.Depth) + line.Render(), entry is null ? origin : new LineOrigin(kept.Path, entry, field));
            }

            Line("end", origin);
        }

        return new RenderedDocument(text.ToString(), origins);
    }

    internal static string RenderName(TableSchema schema, string name) =>
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
