using SharpSwan.Config.Editing;
using SharpSwan.Config;

namespace SharpSwan.Cli.Editing;

/// <summary>References between tables (phase 2 and routes to phase 1, phase 1 to certificates and addresses): delete refusal, rename, completion.</summary>
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

    /// <summary>Entries (in other tables) that name one of <paramref name="names"/> of <paramref name="table"/>.</summary>
    private static IEnumerable<(string Path, EditableEntry Entry, string Field)> References(EditableDocument working, TableSchema table, IReadOnlyCollection<string> names)
    {
        foreach (var reference in DialUpReferences(working, table, names).Concat(FirewallReferences(working, table, names)))
        {
            yield return reference;
        }

        if (table.Path is not (Phase1Schema.InterfacePath or Phase1Schema.PolicyPath))
        {
            yield break;
        }

        var phase2Path = table.Path == Phase1Schema.InterfacePath ? Phase2Schema.InterfacePath : Phase2Schema.PolicyPath;
        foreach (var entry in working.Entries(phase2Path))
        {
            if (entry.Find("phase1name")?.Values is [var target] && names.Contains(target))
            {
                yield return (phase2Path, entry, "phase1name");
            }
        }

        if (table.Path == Phase1Schema.InterfacePath)
        {
            foreach (var entry in working.Entries(StaticRouteSchema.Path))
            {
                if (entry.Find("device")?.Values is [var device] && names.Contains(device))
                {
                    yield return (StaticRouteSchema.Path, entry, "device");
                }
            }
        }
    }

    /// <summary>The list fields of policies and address groups that name entries of <paramref name="table"/>.</summary>
    private static readonly Dictionary<string, (string Path, string Field)[]> FirewallReferenceFields = new(StringComparer.Ordinal)
    {
        [FirewallAddressSchema.Path] = [(FirewallPolicySchema.Path, "srcaddr"), (FirewallPolicySchema.Path, "dstaddr"), (FirewallAddressGroupSchema.Path, "member"), (StaticRouteSchema.Path, "dstaddr")],
        [FirewallServiceSchema.Path] = [(FirewallPolicySchema.Path, "service")],
        [FirewallAddressGroupSchema.Path] = [(FirewallPolicySchema.Path, "srcaddr"), (FirewallPolicySchema.Path, "dstaddr"), (FirewallAddressGroupSchema.Path, "member"), (StaticRouteSchema.Path, "dstaddr")],
        [Phase1Schema.PolicyPath] = [(FirewallPolicySchema.Path, "vpntunnel")],
        [Phase1Schema.InterfacePath] = [(FirewallPolicySchema.Path, "srcintf"), (FirewallPolicySchema.Path, "dstintf")],
    };

    /// <summary>Policies, address groups and routes whose fields name one of <paramref name="names"/>.</summary>
    private static IEnumerable<(string Path, EditableEntry Entry, string Field)> FirewallReferences(
        EditableDocument working, TableSchema table, IReadOnlyCollection<string> names)
    {
        foreach (var (path, field) in FirewallReferenceFields.GetValueOrDefault(table.Path) ?? [])
        {
            foreach (var entry in working.Entries(path))
            {
                if (entry.Find(field)?.Values is { } values && values.Any(names.Contains))
                {
                    yield return (path, entry, field);
                }
            }
        }
    }

    /// <summary>Deleting or renaming a phase1-interface whose tunnel interface entry would be left behind (shared rule).</summary>
    private static EditError? KeptTunnelInterfaceInUse(EditableDocument working, TableSchema table, IReadOnlyCollection<string> names, string verb) =>
        table.Path == Phase1Schema.InterfacePath ? TunnelInterfaceEdits.InUseError(working, names, verb) : null;

    private static EditError? InUse(EditableDocument working, TableSchema table, IReadOnlyCollection<string> names)
    {
        var users = References(working, table, names).ToList();
        if (users.Count == 0)
        {
            return null;
        }

        var list = string.Join(", ", users.Select(u => $"{u.Path} {EditableDocument.RenderName(EditableDocument.Schema(u.Path), u.Entry.Name)} ({u.Field})"));
        return new EditError($"entry is used by {users.Count} other entr{(users.Count == 1 ? "y" : "ies")}: {list}", EditError.InUse);
    }
}
