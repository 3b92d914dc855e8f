namespace SharpSwan.Config.Editing;

/// <summary>
/// The version of one configuration entry an editor opened: a hash of its content, or null when it did not exist.
/// Content, not a counter, so every editor (CLI session, web GUI) can compute it from the configuration alone.
/// </summary>
/// <param name="Path">The table, e.g. <c>vpn ipsec phase1-interface</c>.</param>
/// <param name="Name">The entry; empty for a single-object table such as <c>system global</c>.</param>
/// <param name="Hash">Hex SHA-256 prefix of the entry's settings (never the settings themselves: they hold secrets).</param>
public sealed record EntryVersion(string Path, string Name, string? Hash);
