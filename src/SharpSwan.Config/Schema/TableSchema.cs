namespace SharpSwan.Config;

/// <summary>What the grammar layer needs to know about a supported <c>config</c> path.</summary>
/// <param name="Path">e.g. <c>vpn ipsec phase1-interface</c>.</param>
/// <param name="Shape">Named rows, numbered rows, or a single object.</param>
/// <param name="MaxNameLength">Longest <c>edit</c> name for named tables.</param>
/// <param name="RejectField">Null when the field is known, else why it is refused.</param>
internal sealed record TableSchema(string Path, TableShape Shape, int MaxNameLength, Func<string, string?> RejectField);
