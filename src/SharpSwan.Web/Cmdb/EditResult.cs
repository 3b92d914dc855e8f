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
}
