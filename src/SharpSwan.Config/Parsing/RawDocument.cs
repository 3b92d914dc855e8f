namespace SharpSwan.Config;

/// <summary>The file after the grammar is checked: one <see cref="RawTable"/> per supported path that appears, and the blocks of other tables kept verbatim.</summary>
internal sealed class RawDocument
{
    private readonly Dictionary<string, RawTable> _tables = new(StringComparer.Ordinal);
    private readonly List<RawKeptTable> _kept = [];

    /// <summary>Blocks of tables outside the schema, in file order (a path may appear in several blocks).</summary>
    public IReadOnlyList<RawKeptTable> KeptTables => _kept;

    public RawKeptTable AddKept(string path, ConfigToken configToken)
    {
        var table = new RawKeptTable(path, configToken);
        _kept.Add(table);
        return table;
    }

    public RawTable? Find(TableSchema schema) => _tables.GetValueOrDefault(schema.Path);

    public RawTable OpenOrAdd(TableSchema schema, ConfigToken configToken)
    {
        if (!_tables.TryGetValue(schema.Path, out var table))
        {
            table = new RawTable(schema, configToken);
            _tables.Add(schema.Path, table);
        }

        return table;
    }
}
