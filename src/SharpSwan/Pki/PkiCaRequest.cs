namespace SharpSwan.Pki;

/// <summary>The options of `sharpswan pki ca`, as typed (validated by <see cref="PkiRunner"/>).</summary>
internal sealed record PkiCaRequest(string OutputDirectory, string Name, string? Subject, string Key, int? Days, bool Force);
