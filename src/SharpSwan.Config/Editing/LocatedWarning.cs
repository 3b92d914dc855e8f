namespace SharpSwan.Config.Editing;

/// <summary>A loader warning and the table, entry and field whose line caused it.</summary>
internal sealed record LocatedWarning(ConfigWarning Warning, LineOrigin? Origin);
