using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config.Editing;

/// <summary>
/// An entry as its <c>set</c> commands state it: only the fields that were set, in order. For a single-object table
/// (<c>system global</c>) the name is empty.
/// </summary>
public sealed class EditableEntry(string name)
{
    private readonly List<EditableSetting> _settings = [];

    public string Name { get; } = name;

    public IReadOnlyList<EditableSetting> Settings => _settings;

    public static bool SameContent(EditableEntry? a, EditableEntry? b) =>
        a is null || b is null ? a is null && b is null : a.Fingerprint() == b.Fingerprint();

    public EditableSetting? Find(string field) => _settings.Find(s => s.Field == field);

    public void Set(string field, ImmutableArray<string> values)
    {
        var index = _settings.FindIndex(s => s.Field == field);
        var setting = new EditableSetting(field, values);
        if (index < 0)
        {
            _settings.Add(setting);
        }
        else
        {
            _settings[index] = setting;
        }
    }

    public void Unset(string field) => _settings.RemoveAll(s => s.Field == field);

    public EditableEntry Clone(string? newName = null)
    {
        var copy = new EditableEntry(newName ?? Name);
        copy._settings.AddRange(_settings);
        return copy;
    }

    /// <summary>The content as one string, for comparing two versions of an entry.</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        foreach (var setting in _settings)
        {
            text.Append(setting.Field);
            foreach (var value in setting.Values)
            {
                text.Append('\u001f').Append(value);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
