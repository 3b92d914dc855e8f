namespace SharpSwan.Web.Cmdb;

/// <summary>What became of a configuration change, with the FortiOS return code REST errors carry.</summary>
internal sealed record EditResult(EditStatus Status, int ReturnCode, string Message, IReadOnlyList<FieldError> Errors)
{
    public string? OldRevision { get; init; }

    public string? NewRevision { get; init; }

    /// <summary>The key of the row the change created or changed (FortiOS <c>mkey</c>).</summary>
    public string? MKey { get; init; }

    /// <summary>What the applied change brought in that is kept but not applied; empty for a refusal.</summary>
    public IReadOnlyList<EditWarning> Warnings { get; init; } = [];

    public bool Succeeded => Status == EditStatus.Applied;

    public static EditResult NotFound(string what) =>
        new(EditStatus.NotFound, -3, $"entry not found: {what}", []);

    public static EditResult Duplicate(string what) =>
        new(EditStatus.Duplicate, -5, $"a duplicate entry already exists: {what}", []);

    public static EditResult Invalid(string message, int returnCode = -651) =>
        new(EditStatus.Invalid, returnCode, message, []);

    /// <summary>A refusal of a rule the CLI shares (<see cref="SharpSwan.Config.Editing.EditError"/>), placed on its field with the CLI's lines.</summary>
    public static EditResult Refused(string path, string row, string field, SharpSwan.Config.Editing.EditError error)
    {
        var lines = error.Text.Split('\n');
        var (message, reason) = lines.Length > 1 ? (lines[0], string.Join(' ', lines[1..])) : (error.Text, "");
        var cli = $"{error.Text}\n{SharpSwan.Config.Editing.EditError.FailurePrefix}{error.ReturnCode.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return new(
            EditStatus.Invalid,
            error.ReturnCode,
            reason.Length == 0 ? message : $"{message} ({reason})",
            [new FieldError(path, row, field, message, reason, cli, error.ReturnCode)]);
    }
}
