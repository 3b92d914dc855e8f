using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>
/// The fields of one table: those SharpSwan interprets (applied to a draft) and those it only
/// keeps verbatim (checked, then carried in <c>OtherSettings</c>).
/// </summary>
/// <typeparam name="TDraft">Mutable state of the entry being built.</typeparam>
internal sealed class FieldTable<TDraft>
{
    private readonly Dictionary<string, Action<TDraft, SettingReader>> _interpreted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<SettingReader, bool>> _kept = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _refused = new(StringComparer.Ordinal);

    public required string TablePath { get; init; }

    /// <summary>
    /// Any other field is kept verbatim too (a table shared with other FortiOS features, such as <c>system global</c>,
    /// whose builder then warns that they are not acted on).
    /// </summary>
    public bool KeepsUnknownFields { get; init; }

    public IEnumerable<string> KeptNames => _kept.Keys;

    public IEnumerable<string> InterpretedNames => _interpreted.Keys;

    /// <summary>Every field that may be set, interpreted ones first (for CLI completion and help).</summary>
    public IEnumerable<string> FieldNames => _interpreted.Keys.Concat(_kept.Keys);

    public FieldTable<TDraft> Interpret(string field, Action<TDraft, SettingReader> apply)
    {
        _interpreted.Add(field, apply);
        return this;
    }

    /// <summary>A FortiOS field we accept and keep verbatim; <paramref name="check"/> reports bad values.</summary>
    public FieldTable<TDraft> Keep(string field, Func<SettingReader, bool>? check = null)
    {
        _kept.Add(field, check ?? (_ => true));
        return this;
    }

    public FieldTable<TDraft> Keep(IEnumerable<string> fields, Func<SettingReader, bool>? check = null)
    {
        foreach (var field in fields)
        {
            Keep(field, check);
        }

        return this;
    }

    /// <summary>A real FortiOS field that this table refuses, with the reason shown to the user.</summary>
    public FieldTable<TDraft> Refuse(IEnumerable<string> fields, string reason)
    {
        foreach (var field in fields)
        {
            _refused.Add(field, reason);
        }

        return this;
    }

    /// <summary>For the grammar layer: null when <paramref name="field"/> may be set.</summary>
    public string? RejectField(string field)
    {
        if (_interpreted.ContainsKey(field) || _kept.ContainsKey(field))
        {
            return null;
        }

        if (_refused.TryGetValue(field, out var reason))
        {
            return $"{field}: {reason}";
        }

        return KeepsUnknownFields ? null : $"'{field}' is not a config {TablePath} setting";
    }

    /// <summary>
    /// Applies the entry's current settings to <paramref name="draft"/> and returns the kept ones.
    /// Values that were later replaced or unset are checked against a scratch draft so their errors are still reported.
    /// </summary>
    public ImmutableArray<ConfigSetting> Apply(TDraft draft, Func<TDraft> scratch, RawEntry entry, DiagnosticBag diagnostics)
    {
        if (entry.Superseded.Count > 0)
        {
            var throwaway = scratch();
            foreach (var setting in entry.Superseded)
            {
                ApplyOne(throwaway, setting, diagnostics);
            }
        }

        var kept = ImmutableArray.CreateBuilder<ConfigSetting>();
        foreach (var setting in entry.Settings)
        {
            if (ApplyOne(draft, setting, diagnostics) is { } verbatim)
            {
                kept.Add(verbatim);
            }
        }

        return kept.ToImmutable();
    }

    private ConfigSetting? ApplyOne(TDraft draft, RawSetting setting, DiagnosticBag diagnostics)
    {
        var reader = new SettingReader(setting, diagnostics);
        if (_interpreted.TryGetValue(setting.Name, out var apply))
        {
            apply(draft, reader);
            return null;
        }

        var known = _kept.TryGetValue(setting.Name, out var check);
        if ((known && check!(reader)) || (!known && KeepsUnknownFields))
        {
            return new ConfigSetting(setting.Name, [.. setting.Values.Select(v => v.Text)], setting.Verb.Line);
        }

        return null;
    }
}
