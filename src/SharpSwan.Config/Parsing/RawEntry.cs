using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>
/// One table row (an <c>edit</c>) or the single object of <c>config system global</c>, as the
/// sequence of commands left it: the current value of each field, plus every value that was
/// replaced or unset (still checked, because FortiOS rejects a bad <c>set</c> when it is typed).
/// </summary>
internal sealed class RawEntry(string name, ConfigToken nameToken)
{
    private List<RawSetting> _settings = [];
    private List<RawSetting> _superseded = [];

    public string Name { get; } = name;

    /// <summary>The name word of the first <c>edit</c> (for objects: the <c>config</c> word).</summary>
    public ConfigToken NameToken { get; } = nameToken;

    /// <summary>Current settings, in the order each field was first set.</summary>
    public IReadOnlyList<RawSetting> Settings => _settings;

    public IReadOnlyList<RawSetting> Superseded => _superseded;

    public RawSetting? Find(string field) => _settings.Find(s => s.Name == field);

    public void Set(RawSetting setting)
    {
        var index = _settings.FindIndex(s => s.Name == setting.Name);
        if (index < 0)
        {
            _settings.Add(setting);
        }
        else
        {
            _superseded.Add(_settings[index]);
            _settings[index] = setting;
        }
    }

    /// <summary><c>append</c>: adds values to a list field (or sets it when unset).</summary>
    public void Append(RawSetting setting)
    {
        var existing = Find(setting.Name);
        Set(existing is null ? setting : existing with { Values = existing.Values.AddRange(setting.Values) });
    }

    public void Unset(string field)
    {
        var index = _settings.FindIndex(s => s.Name == field);
        if (index >= 0)
        {
            _superseded.Add(_settings[index]);
            _settings.RemoveAt(index);
        }
    }

    public Snapshot TakeSnapshot() => new([.. _settings], [.. _superseded]);

    /// <summary><c>abort</c>: forget what this edit session changed.</summary>
    public void Restore(Snapshot snapshot)
    {
        _settings = [.. snapshot.Settings];
        _superseded = [.. snapshot.Superseded];
    }

    internal sealed record Snapshot(ImmutableArray<RawSetting> Settings, ImmutableArray<RawSetting> Superseded);
}
