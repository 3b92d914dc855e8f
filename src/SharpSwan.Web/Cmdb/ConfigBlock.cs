namespace SharpSwan.Web.Cmdb;

/// <summary>One <c>config &lt;path&gt;</c> block: rows for a table, a single nameless row for an object.</summary>
internal sealed class ConfigBlock(string path, bool isObject)
{
    public string Path { get; } = path;

    public bool IsObject { get; } = isObject;

    public bool Numbered => Path == "router static";

    public List<ConfigRow> Rows { get; } = [];

    public ConfigRow? Find(string name) => Rows.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));

    public ConfigRow Add(string name)
    {
        var row = new ConfigRow(name, Numbered);
        Rows.Add(row);
        return row;
    }

    public bool Remove(string name) => Rows.RemoveAll(r => string.Equals(r.Name, name, StringComparison.Ordinal)) > 0;
}
