namespace SharpSwan.Config;

/// <summary>The file after the grammar is checked: one <see cref="RawTable"/> per supported path that appears.</summary>
internal sealed class RawDocument
{
    private readonly Dictionary<string, RawTable> _tables = new(StringComparer.Ordinal);

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
