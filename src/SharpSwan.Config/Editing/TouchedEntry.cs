namespace SharpSwan.Config.Editing;

/// <summary>
/// An entry a session changed: how it looked when the session first changed it (null: it did not exist) and how the
/// session wants it (null: deleted). <paramref name="Order"/> keeps new entries in the order they were made.
/// </summary>
internal sealed record TouchedEntry(EditableEntry? Base, EditableEntry? Working, int Order);
