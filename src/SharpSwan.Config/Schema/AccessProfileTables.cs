using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>Builds <c>config system accprofile</c> and checks that every admin and api-user names a profile that exists.</summary>
internal static class AccessProfileTables
{
    public static ImmutableArray<AccessProfile> Build(RawDocument document, DiagnosticBag diagnostics)
    {
        var profiles = ImmutableArray.CreateBuilder<AccessProfile>();
        foreach (var entry in document.Find(SupportedTables.AccessProfiles)?.Entries ?? [])
        {
            if (AccessProfile.BuiltIn(entry.Name) is not null)
            {
                diagnostics.CommandParseError(entry.NameToken, $"accprofile \"{entry.Name}\" is built in and cannot be redefined");
                continue;
            }

            var other = AccessProfileSchema.Fields.Apply(new AccessProfileDraft(entry), () => new AccessProfileDraft(entry), entry, diagnostics);
            profiles.Add(new AccessProfile { Name = entry.Name, OtherSettings = other, SourceLine = entry.NameToken.Line });
        }

        return profiles.ToImmutable();
    }

    /// <summary>An admin or api-user must name a built-in or configured profile (FortiOS refuses an unknown one).</summary>
    public static void CheckReferences(RawDocument document, ImmutableArray<AccessProfile> profiles, DiagnosticBag diagnostics)
    {
        foreach (var table in new[] { SupportedTables.Admins, SupportedTables.ApiUsers })
        {
            foreach (var entry in document.Find(table)?.Entries ?? [])
            {
                if (entry.Find("accprofile") is null)
                {
                    diagnostics.Warn(
                        entry.NameToken.Line,
                        WarningKind.AssumedSetting,
                        table.Path,
                        $"{table.Path} \"{entry.Name}\" has no accprofile: it is given {AccessProfile.SuperAdmin} (every right); set accprofile to limit it");
                }
                else if (entry.Find("accprofile") is { Values: [var token] }
                    && AccessProfile.BuiltIn(token.Text) is null
                    && !profiles.Any(p => p.Name == token.Text))
                {
                    diagnostics.EntryNotFound(
                        "accprofile",
                        token,
                        $"{table.Path} \"{entry.Name}\" names accprofile \"{token.Text}\", which is neither built in ({AccessProfile.SuperAdmin}, {AccessProfile.SuperAdminReadOnly}) nor in config {AccessProfileSchema.Path}");
                }
            }
        }
    }
}
