using System.Collections.Immutable;

namespace SharpSwan.Config.Editing;

/// <summary>
/// The entries one editing session has changed, each with the version it started from. Laid over the configuration
/// in force at commit time, so changes other sessions made to other entries are kept, and a change to an entry that
/// someone else changed in the meantime is refused instead of silently overwriting theirs. An entry counts from when
/// the session opened it (<c>edit</c>, or <c>config</c> of a single object), not only from its first <c>set</c>: a
/// change another session (CLI or web) makes after that is a change this session never saw.
/// </summary>
public sealed class ConfigurationChange
{
    private readonly Dictionary<(string Path, string Name), TouchedEntry> _touched = [];
    private readonly Dictionary<(string Path, string Name), EditableEntry?> _opened = [];
    private readonly List<(string Path, string Name, bool After, string Target)> _moves = [];
    private int _nextOrder;

    public bool IsEmpty => _touched.Count == 0 && _moves.Count == 0;

    /// <summary>The configuration in force with this change laid over it, validated as the file loader validates.</summary>
    public MergeResult Merge(GatewayConfiguration current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var inForce = EditableDocument.FromConfiguration(current);
        var stale = _touched.Keys.Select(k => StaleError(inForce, k.Path, k.Name)).OfType<EditError>().ToImmutableArray();
        if (!stale.IsEmpty)
        {
            return new MergeResult(null, stale);
        }

        var result = CandidateCheck.Check(ApplyTo(inForce));
        if (result.Errors.Count > 0)
        {
            return new MergeResult(null, [.. result.Errors.Select(e => EditError.From(e.Error, Describe(e.Origin)))]);
        }

        return new MergeResult(result.Configuration, []);
    }

    internal bool IsTouched(string path, string name) => _touched.ContainsKey((path, name));

    /// <summary>
    /// The session opened the entry (to look at it and maybe change it): remember the version in force now, unless the
    /// session changed it already (then its first version stays the base).
    /// </summary>
    internal void Open(EditableDocument inForce, string path, string name)
    {
        if (!_touched.ContainsKey((path, name)))
        {
            _opened[(path, name)] = inForce.Find(path, name)?.Clone();
        }
    }

    /// <summary>The session is done looking at an entry it did not change (abort of the edit).</summary>
    internal void Close(string path, string name) => _opened.Remove((path, name));

    /// <summary>Records the entry's base version (as opened, else as in force now) before the session's first change to it.</summary>
    internal void Touch(EditableDocument inForce, string path, string name)
    {
        if (!_touched.ContainsKey((path, name)))
        {
            var now = _opened.TryGetValue((path, name), out var opened) ? opened : inForce.Find(path, name);
            _touched[(path, name)] = new TouchedEntry(now?.Clone(), inForce.Find(path, name)?.Clone(), _nextOrder++);
        }
    }

    internal void SetWorking(string path, string name, EditableEntry? working)
    {
        var touched = _touched[(path, name)];
        _touched[(path, name)] = touched with { Working = working?.Clone() };
    }

    /// <summary>Records <c>move name before|after target</c>; replayed after the entries are laid over the configuration.</summary>
    internal void Move(string path, string name, bool after, string target) => _moves.Add((path, name, after, target));

    internal TouchedEntry? Snapshot(string path, string name) =>
        _touched.TryGetValue((path, name), out var touched) ? touched with { Working = touched.Working?.Clone() } : null;

    internal void Restore(string path, string name, TouchedEntry? snapshot)
    {
        if (snapshot is null)
        {
            _touched.Remove((path, name));
        }
        else
        {
            _touched[(path, name)] = snapshot;
        }
    }

    /// <summary>A copy of <paramref name="inForce"/> with every changed entry replaced, added or removed.</summary>
    internal EditableDocument ApplyTo(EditableDocument inForce)
    {
        var document = inForce.Clone();
        foreach (var ((path, name), touched) in _touched.OrderBy(t => t.Value.Order))
        {
            if (touched.Working is null)
            {
                document.Remove(path, name);
            }
            else
            {
                document.Put(path, touched.Working.Clone());
            }
        }

        foreach (var (path, name, after, target) in _moves)
        {
            document.Move(path, name, after, target);
        }

        return document;
    }

    /// <summary>Null unless someone else changed (or created, or deleted) the entry since this session opened or first changed it.</summary>
    internal EditError? StaleError(EditableDocument inForce, string path, string name)
    {
        EditableEntry? baseVersion;
        if (_touched.TryGetValue((path, name), out var touched))
        {
            baseVersion = touched.Base;
        }
        else if (!_opened.TryGetValue((path, name), out baseVersion))
        {
            return null;
        }

        if (EditableEntry.SameContent(inForce.Find(path, name), baseVersion))
        {
            return null;
        }

        var how = baseVersion is null ? "was created" : inForce.Find(path, name) is null ? "was deleted" : "was changed";
        return StaleEditTracker.StaleError(path, name, how);
    }

    internal static string? Describe(LineOrigin? origin)
    {
        if (origin is null)
        {
            return null;
        }

        var where = origin.Entry is null or "" ? $"config {origin.Path}" : $"config {origin.Path} > edit {EditableDocument.RenderName(EditableDocument.Schema(origin.Path), origin.Entry)}";
        return origin.Field is null ? where + ":" : $"{where} > set {origin.Field}:";
    }
}
