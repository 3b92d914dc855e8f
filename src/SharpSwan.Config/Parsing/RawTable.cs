namespace SharpSwan.Config;

/// <summary>Everything the file said inside one or more <c>config &lt;path&gt;</c> blocks of the same path.</summary>
internal sealed class RawTable(TableSchema schema, ConfigToken configToken)
{
    private readonly List<RawEntry> _entries = [];

    public TableSchema Schema { get; } = schema;

    /// <summary>The <c>config</c> word of the first block.</summary>
    public ConfigToken ConfigToken { get; } = configToken;

    public IReadOnlyList<RawEntry> Entries => _entries;

    /// <summary>The object of a single-object table such as <c>system global</c>.</summary>
    public RawEntry Object { get; } = new("", configToken);

    public RawEntry? Find(string name) => _entries.Find(e => e.Name == name);

    public RawEntry OpenOrAdd(string name, ConfigToken nameToken)
    {
        var entry = Find(name);
        if (entry is null)
        {
            entry = new RawEntry(name, nameToken);
            _entries.Add(entry);
        }

        return entry;
    }

    public bool Remove(string name) => _entries.RemoveAll(e => e.Name == name) > 0;

    public void Clear() => _entries.Clear();

    /// <summary>The next id for <c>edit 0</c> in a numbered table: one more than the largest in use.</summary>
    public long NextFreeId() =>
        _entries.Select(e => long.TryParse(e.Name, out var id) ? id : 0).DefaultIfEmpty(0).Max() + 1;
}
