namespace SharpSwan.Pki;

/// <summary>The options of `sharpswan pki issue`, as typed (validated by <see cref="PkiRunner"/>).</summary>
internal sealed record PkiIssueRequest(
    string Authority,
    string OutputDirectory,
    string Name,
    string? Subject,
    IReadOnlyList<string> SubjectAltNames,
    string Key,
    int? Days,
    string? NotBefore,
    string? NotAfter,
    bool Force);
