using System.Globalization;
using System.Text.RegularExpressions;
using SharpSwan.Config;
using SharpSwan.Config.Editing;
using SharpSwan.Gateway.Control;
using SharpSwan.Web.Persistence;

namespace SharpSwan.Web.Cmdb;

/// <summary>
/// The one way the web GUI and REST API change the configuration: edit the running configuration as CLI text, read it
/// back with the file's parser and validator, apply it live through <see cref="IConfigurationApplier"/>, then save it.
/// Changes are serialised with each other and with the CLI's through the gateway's one <see cref="StaleEditTracker"/>,
/// so no two editors interleave a read-modify-write, and an entry opened in a page is refused if it changed since.
/// </summary>
internal sealed partial class ConfigurationEditor(IConfigurationApplier applier, IConfigurationPersistence persistence, StaleEditTracker? tracker = null)
{
    private readonly StaleEditTracker _tracker = tracker ?? new StaleEditTracker(() => applier.Current);

    public GatewayConfiguration Current => applier.Current;

    /// <summary>
    /// Runs <paramref name="change"/> on a copy of the running configuration; it returns null to go on, or a refusal.
    /// <paramref name="stillCurrent"/>, when given, first checks that what the editor opened is unchanged (null when it is).
    /// </summary>
    /// <paramref name="author"/> (the admin or api-user, how and from where) goes with the change to the gateway's log.
    public Task<EditResult> EditAsync(
        Func<EditableDocument, EditResult?> change,
        string? mkey,
        ChangeAuthor author,
        CancellationToken cancellation,
        Func<GatewayConfiguration, EditError?>? stillCurrent = null) =>
        _tracker.CommitExclusiveAsync(before => EditLockedAsync(before, change, mkey, author, stillCurrent, cancellation), cancellation);

    private async Task<EditResult> EditLockedAsync(
        GatewayConfiguration before,
        Func<EditableDocument, EditResult?> change,
        string? mkey,
        ChangeAuthor author,
        Func<GatewayConfiguration, EditError?>? stillCurrent,
        CancellationToken cancellation)
    {
        var oldRevision = ConfigRevision.Of(before);
        if (stillCurrent?.Invoke(before) is { } stale)
        {
            return new EditResult(EditStatus.Stale, stale.ReturnCode, stale.Text.Replace('\n', ' '), [])
            {
                OldRevision = oldRevision,
                NewRevision = oldRevision,
            };
        }

        var document = EditableDocument.FromConfiguration(before);
        var beforeText = document.Render().Text;
        if (change(document) is { } refused)
        {
            return refused with { OldRevision = oldRevision, NewRevision = oldRevision };
        }

        var (text, origins) = document.Render();
        var parsed = ConfigurationLoader.Parse(text, "api");
        if (!parsed.IsValid || parsed.Configuration is not { } proposed)
        {
            var errors = parsed.Errors.Select(e => ToFieldError(e, origins)).ToList();
            return new EditResult(EditStatus.Invalid, errors[0].ReturnCode, Summarize(errors), errors) { OldRevision = oldRevision, NewRevision = oldRevision };
        }

        var applied = await applier.ApplyAsync(proposed, author, cancellation);
        if (!applied.Applied)
        {
            return new EditResult(EditStatus.ApplyFailed, -1, $"the gateway could not apply the change: {applied.Error}", [])
            {
                OldRevision = oldRevision,
                NewRevision = oldRevision,
            };
        }

        var newRevision = ConfigRevision.Of(proposed);
        try
        {
            await persistence.SaveAsync(proposed, cancellation);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new EditResult(EditStatus.ApplyFailed, -1, $"the change is live but could not be saved: {ex.Message}", [])
            {
                OldRevision = oldRevision,
                NewRevision = newRevision,
            };
        }

        return new EditResult(EditStatus.Applied, 0, "", [])
        {
            OldRevision = oldRevision,
            NewRevision = newRevision,
            MKey = mkey,
            Warnings = NewWarnings(beforeText, parsed, origins),
        };
    }

    /// <summary>
    /// The warnings the change brought in: those of the new configuration that the one before did not have (a kept table
    /// elsewhere in the file warns before and after, and is not this change's doing).
    /// </summary>
    private static List<EditWarning> NewWarnings(string beforeText, ConfigurationResult after, IReadOnlyList<LineOrigin> origins)
    {
        if (after.ConfigWarnings.IsDefaultOrEmpty)
        {
            return [];
        }

        var earlier = ConfigurationLoader.Parse(beforeText, "api").ConfigWarnings
            .GroupBy(w => (w.Kind, w.Subject, w.Message))
            .ToDictionary(g => g.Key, g => g.Count());
        var added = new List<EditWarning>();
        foreach (var warning in after.ConfigWarnings)
        {
            var key = (warning.Kind, warning.Subject, warning.Message);
            if (earlier.TryGetValue(key, out var count) && count > 0)
            {
                earlier[key] = count - 1;
                continue;
            }

            var origin = warning.Line >= 1 && warning.Line <= origins.Count ? origins[warning.Line - 1] : null;
            added.Add(new EditWarning(origin?.Path, origin?.Entry is { Length: > 0 } row ? row : null, origin?.Field, warning.Message));
        }

        return added;
    }

    /// <summary>Places a parser error on the table, row and field whose line produced it.</summary>
    internal static FieldError ToFieldError(ConfigError error, IReadOnlyList<LineOrigin> origins)
    {
        var origin = error.Line >= 1 && error.Line <= origins.Count ? origins[error.Line - 1] : null;

        // The single entry of an object table (system global) is nameless: its errors are on no row.
        var row = origin?.Entry is { Length: > 0 } entry ? entry : null;
        var field = origin?.Field;
        if (field is null && row is not null)
        {
            // Errors on the `edit` line are about the row: a missing attribute, or the name itself.
            field = MustBeSet().Match(error.Message) is { Success: true } missing ? missing.Groups["field"].Value : "name";
        }

        var code = ReturnCode(error.Message);
        var lines = error.Detail.Split('\n');
        var cli = lines.Take(lines.Length - 1).Append(error.Message).ToList();
        if (!error.Message.StartsWith("Command fail.", StringComparison.Ordinal))
        {
            cli.Add(string.Create(CultureInfo.InvariantCulture, $"Command fail. Return code {code}"));
        }

        return new FieldError(origin?.Path, row, field, error.Message, error.Reason, string.Join('\n', cli), code);
    }

    private static int ReturnCode(string message)
    {
        if (message.StartsWith("command parse error", StringComparison.Ordinal))
        {
            return -61;
        }

        if (message.StartsWith("value parse error", StringComparison.Ordinal))
        {
            return -651;
        }

        if (message.StartsWith("entry not found in datasource", StringComparison.Ordinal))
        {
            return -3;
        }

        if (MustBeSet().IsMatch(message))
        {
            // Not confirmed from a source: FortiOS's list of return codes has -56, which we use for a missing attribute.
            return -56;
        }

        return ReturnCodeText().Match(message) is { Success: true } explicitCode
            ? int.Parse(explicitCode.Groups["code"].Value, CultureInfo.InvariantCulture)
            : -1;
    }

    private static string Summarize(IReadOnlyList<FieldError> errors)
    {
        var first = errors[0];
        var text = first.Reason.Length == 0 ? first.Message : $"{first.Message} ({first.Reason})";
        return errors.Count == 1 ? text : $"{text}, and {errors.Count - 1} more error(s)";
    }

    [GeneratedRegex("^Attribute '(?<field>[^']+)' MUST be set")]
    private static partial Regex MustBeSet();

    [GeneratedRegex(@"Return code (?<code>-?\d+)")]
    private static partial Regex ReturnCodeText();
}
