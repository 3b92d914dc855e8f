using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>
/// Collects errors for one file so parsing can go on and report everything at once.
/// The factory methods hold the FortiOS wording in one place.
/// </summary>
internal sealed class DiagnosticBag(string file)
{
    private readonly List<ConfigError> _errors = [];
    private readonly List<ConfigWarning> _warnings = [];

    public string File { get; } = file;

    /// <summary>Decrypts the file's stored secrets: the key file of its state directory, or the process's for text that is not a file.</summary>
    public SecretKeyring Keyring { get; init; } = SecretKeyring.Current;

    public bool HasErrors => _errors.Count > 0;

    public IReadOnlyList<ConfigWarning> Warnings => _warnings;

    public void Warn(int line, WarningKind kind, string subject, string message) =>
        _warnings.Add(new ConfigWarning(File, line, kind, subject, message));

    public ImmutableArray<ConfigWarning> SortedWarnings() => [.. _warnings.OrderBy(w => w.Line)];

    public void Add(int line, int column, string message, string detail) =>
        _errors.Add(new ConfigError(File, line, column, message, detail));

    /// <summary>Unknown keyword, field or command (FortiOS return code -61).</summary>
    public void CommandParseError(ConfigToken token, string reason) =>
        Add(token.Line, token.Column, $"command parse error before '{token.Text}'", reason);

    /// <summary>Bad enum, number, address or out-of-range value.</summary>
    public void ValueParseError(string field, ConfigToken value, string reason) =>
        Add(value.Line, value.Column, $"value parse error before '{value.Text}'", $"node_check_object fail! for {field} {value.Text}\n{reason}");

    /// <summary>A value refused because of another field of the same entry (<see cref="ConfigError.CrossField"/>).</summary>
    public void CrossFieldError(string field, ConfigToken value, string reason) =>
        _errors.Add(new ConfigError(File, value.Line, value.Column, $"value parse error before '{value.Text}'", $"node_check_object fail! for {field} {value.Text}\n{reason}") { CrossField = true });

    /// <summary>A reference (e.g. <c>phase1name</c>) to an entry that does not exist.</summary>
    public void EntryNotFound(string field, ConfigToken value, string reason) =>
        Add(value.Line, value.Column, "entry not found in datasource", $"node_check_object fail! for {field} {value.Text}\n{reason}");

    /// <summary>
    /// A required attribute left unset. The wording is FortiOS's on <c>next</c>/<c>end</c>
    /// (from memory of the CLI; not confirmed from a source).
    /// </summary>
    /// <param name="crossField">True when another field set on the same entry asks for it (<see cref="ConfigError.CrossField"/>).</param>
    public void MustBeSet(string attribute, ConfigToken entry, string reason, bool crossField = false) =>
        _errors.Add(new ConfigError(File, entry.Line, entry.Column, $"Attribute '{attribute}' MUST be set.", reason) { CrossField = crossField });

    /// <summary>A command with too few words (FortiOS return code -160, "incomplete command").</summary>
    public void Incomplete(ConfigToken lastToken, string reason) =>
        Add(lastToken.Line, lastToken.Column, "Command fail. Return code -160", reason);

    public ImmutableArray<ConfigError> ToSortedArray() =>
        [.. _errors.Select((error, index) => (error, index))
            .OrderBy(e => e.error.Line)
            .ThenBy(e => e.error.Column)
            .ThenBy(e => e.index)
            .Select(e => e.error)];
}
