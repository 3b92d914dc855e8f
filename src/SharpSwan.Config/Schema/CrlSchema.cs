using System.Collections.Immutable;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config vpn certificate crl</c>: the CRL as inline PEM (<c>crl</c>, as FortiOS prints it) or, as a SharpSwan
/// extension like <c>ca-file</c>, read from <c>crl-file</c>. Fetching CRLs (HTTP, LDAP, SCEP) is refused: nothing would fetch them.
/// </summary>
internal static class CrlSchema
{
    public const string Path = "vpn certificate crl";

    public static FieldTable<CrlDraft> Fields { get; } = new FieldTable<CrlDraft> { TablePath = Path }
        .Interpret("crl", (d, r) => { if (CrlPem(r, null) is { } v) { d.CrlPem = v; } })
        .Interpret("crl-file", (d, r) =>
        {
            if (CertificateSchema.ReadFile(r, d.BaseDirectory) is { } file && CrlPem(r, file) is { } pem)
            {
                (d.CrlPem, d.CrlFile) = (pem, file.Path);
            }
        })
        .Keep("range", Checks.OneOf("global", "vdom"))
        .Keep("source", Checks.OneOf("factory", "user", "bundle"))
        .Keep("last-updated", Checks.Range(0, uint.MaxValue))
        .Refuse(
            ["http-url", "ldap-server", "ldap-username", "ldap-password", "scep-url", "scep-cert", "update-interval", "update-vdom", "source-ip"],
            "a FortiOS setting SharpSwan does not support (CRLs are not fetched: import the PEM with crl or crl-file)");

    public static ImmutableArray<CertificateRevocationList> Build(RawDocument document, string? baseDirectory, DiagnosticBag diagnostics)
    {
        var lists = ImmutableArray.CreateBuilder<CertificateRevocationList>();
        foreach (var entry in document.Find(SupportedTables.RevocationLists)?.Entries ?? [])
        {
            var draft = new CrlDraft(entry, baseDirectory);
            var other = Fields.Apply(draft, () => new CrlDraft(entry, baseDirectory), entry, diagnostics);
            if (draft.CrlPem is null && entry.Find("crl") is null && entry.Find("crl-file") is null)
            {
                diagnostics.MustBeSet("crl", entry.NameToken, $"vpn certificate crl \"{entry.Name}\" needs crl (PEM) or crl-file");
            }

            lists.Add(new CertificateRevocationList(entry.Name, draft.CrlPem ?? "")
            {
                CrlFile = draft.CrlFile,
                OtherSettings = other,
                SourceLine = entry.NameToken.Line,
            });
        }

        return lists.ToImmutable();
    }

    /// <summary>The PEM value (or the text of the file it names), normalised and parsed; the error is at the value.</summary>
    private static string? CrlPem(SettingReader reader, (string Text, string Path)? file)
    {
        if (reader.Single() is not { } token)
        {
            return null;
        }

        var pem = PemText.Normalize(file?.Text ?? token.Text);
        if (!RevocationList.TryFromPem(pem, out _, out var error))
        {
            var what = file is { } f ? $"{reader.Field} {f.Path}" : reader.Field;
            reader.Diagnostics.ValueParseError(reader.Field, file is null ? CertificateSchema.Shown(token, secret: false) : token, $"{what} {error}");
            return null;
        }

        return pem;
    }
}
