using System.Collections.Immutable;

namespace SharpSwan.Config.Editing;

/// <summary>What became of an <c>end</c>: applied (and saved), or refused with the errors to print.</summary>
public sealed record CommitResult(bool Applied, ImmutableArray<EditError> Errors)
{
    public static CommitResult Success { get; } = new(true, []);

    /// <summary>Lines to show even though the change was applied (e.g. the file could not be saved).</summary>
    public ImmutableArray<string> Notes { get; init; } = [];

    public static CommitResult Refused(string reason) => new(false, [new EditError(reason, EditError.Conflict)]);
}
