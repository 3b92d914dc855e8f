namespace SharpSwan.Web.Cmdb;

/// <summary>What produced one line of a rendered document: its table, its row (null for the object table) and field.</summary>
internal sealed record LineOrigin(string Path, string? Row, string? Field);
