using SharpSwan.Config;

namespace SharpSwan.Web.Cmdb;

/// <summary>One <c>edit</c> of a table (or the single object of <c>system global</c>): its settings as CLI text.</summary>
internal sealed class ConfigRow(string name, bool numbered)
{
    private readonly List<KeyValuePair<string, string>> settings = [];

    public string Name { get; set; } = name;

    public bool Numbered { get; } = numbered;

    /// <summary>The word after <c>edit</c>: numbers bare, names quoted.</summary>
    public string EditToken => Numbered ? Name : ConfigurationWriter.Quote(Name);

    public IReadOnlyList<KeyValuePair<string, string>> Settings => settings;

    /// <summary>The raw CLI text after <c>set &lt;field&gt;</c>, or null when the field is not set.</summary>
    public string? Get(string field) => settings.FirstOrDefault(s => s.Key == field).Value;

    public void Set(string field, string raw)
    {
        var index = settings.FindIndex(s => s.Key == field);
        if (index >= 0)
        {
            settings[index] = new(field, raw);
        }
        else
        {
            settings.Add(new(field, raw));
        }
    }

    /// <summary>Back to the default, as <c>unset</c> does.</summary>
    public void Unset(string field) => settings.RemoveAll(s => s.Key == field);
}
