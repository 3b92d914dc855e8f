namespace SharpSwan.Config.Editing;

/// <summary>
/// A warning the configuration gives about one entry: a value kept but not applied (e.g. an mtu without mtu-override),
/// as <c>sharpswan check</c> prints it, placed on its table, entry and field for an editor to show next to them.
/// </summary>
/// <param name="Path">The table, e.g. <c>system interface</c>.</param>
/// <param name="Entry">The entry's name.</param>
/// <param name="Field">The field, or null for the entry as a whole.</param>
/// <param name="Message">The warning's text, without file and line.</param>
public sealed record EntryWarning(string Path, string Entry, string? Field, string Message)
{
    /// <summary>The warnings of <paramref name="document"/> that are about entries named in <paramref name="entries"/>.</summary>
    public static IReadOnlyList<EntryWarning> Of(EditableDocument document, IReadOnlyCollection<string> entries)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(entries);
        return [.. CandidateCheck.Check(document).Warnings
            .Where(w => w.Origin is { Entry: { } entry } && entries.Contains(entry))
            .Select(w => new EntryWarning(w.Origin!.Path, w.Origin.Entry!, w.Origin.Field, w.Warning.Message))];
    }
}
