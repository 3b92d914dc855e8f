namespace SharpSwan.Config.Editing;

/// <summary>Where a line of a rendered candidate configuration came from.</summary>
/// <param name="Path">The table, e.g. <c>vpn ipsec phase1-interface</c>.</param>
/// <param name="Entry">The entry name (empty for <c>system global</c>); null for the <c>config</c> and <c>end</c> lines.</param>
/// <param name="Field">The field of a <c>set</c> line; null for the <c>edit</c> line.</param>
public sealed record LineOrigin(string Path, string? Entry, string? Field);
