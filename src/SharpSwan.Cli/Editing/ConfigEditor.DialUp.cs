using SharpSwan.Config;
using SharpSwan.Config.Editing;

namespace SharpSwan.Cli.Editing;

/// <summary>References from phase 1 to the certificate and address tables: delete refusal, rename, completion.</summary>
public sealed partial class ConfigEditor
{
    private static readonly string[] Phase1Paths = [Phase1Schema.InterfacePath, Phase1Schema.PolicyPath];

    /// <summary>The table whose entry names <paramref name="field"/> of <paramref name="tablePath"/> holds, if it is a reference.</summary>
    private static string? ReferencedTable(string tablePath, string field) =>
        Phase1Paths.Contains(tablePath)
            ? field switch
            {
                "certificate" => CertificateSchema.LocalPath,
                "ipv4-split-include" => FirewallAddressSchema.Path,
                _ => null,
            }
            : null;

    /// <summary>Phase 1 entries whose <c>certificate</c> or <c>ipv4-split-include</c> names one of <paramref name="names"/>.</summary>
    private static IEnumerable<(string Path, EditableEntry Entry, string Field)> DialUpReferences(
        EditableDocument working, TableSchema table, IReadOnlyCollection<string> names)
    {
        foreach (var path in Phase1Paths)
        {
            foreach (var entry in working.Entries(path))
            {
                foreach (var field in (string[])["certificate", "ipv4-split-include"])
                {
                    if (ReferencedTable(path, field) == table.Path && entry.Find(field)?.Values is [var target] && names.Contains(target))
                    {
                        yield return (path, entry, field);
                    }
                }
            }
        }
    }

    /// <summary>Values <c>?</c> must not repeat as "now: ...": secrets, and PEM text that would fill the screen.</summary>
    private static bool HidesCurrentValue(string tablePath, string field) =>
        (tablePath == CertificateSchema.LocalPath && field is "private-key" or "password" or "certificate")
        || (tablePath == CertificateSchema.CaPath && field == "ca")
        || field is "psksecret" or "passwd" or "password" or "secret";
}
