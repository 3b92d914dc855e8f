namespace SharpSwan.Config.Editing;

/// <summary>A validator error and the table, entry and field whose line caused it.</summary>
internal sealed record LocatedError(ConfigError Error, LineOrigin? Origin);
