using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>
/// <c>config user local</c> and <c>config user group</c>: local password users and the groups that name them (for XAUTH
/// and EAP servers, <c>authusrgrp</c>). Remote user types (RADIUS, LDAP, TACACS+, SAML), two-factor authentication and
/// non-firewall groups are refused with a reason; a group member must be a configured local user.
/// </summary>
internal static class UserTables
{
    public const string LocalPath = "user local";
    public const string GroupPath = "user group";

    private static readonly Func<SettingReader, bool> UserType =
        Checks.OnlySupported(["password"], ["password", "radius", "tacacs+", "ldap", "saml"], "remote users (RADIUS, TACACS+, LDAP, SAML)");

    private static readonly Func<SettingReader, bool> GroupType =
        Checks.OnlySupported(["firewall"], ["firewall", "fsso-service", "rsso", "guest"], "FSSO, RSSO and guest groups");

    public static FieldTable<UserLocalDraft> LocalFields { get; } = new FieldTable<UserLocalDraft> { TablePath = LocalPath }
        .Interpret("type", (_, r) => UserType(r))
        .Interpret("passwd", (d, r) => { if (r.Secret() is { } v) { d.Password = v; } })
        .Interpret("status", (d, r) => { if (r.EnableDisable() is { } v) { d.Enabled = v; } })
        .Keep("email-to", Checks.Text(63))
        .Refuse(
            ["two-factor", "fortitoken", "sms-phone", "sms-server", "ldap-server", "radius-server", "tacacs+-server", "ppk-identity", "ppk-secret", "passwd-policy", "passwd-time", "authtimeout", "auth-concurrent-override", "auth-concurrent-value", "username-sensitivity", "workstation"],
            "a FortiOS user setting SharpSwan does not support (local users with type password only, no two-factor authentication)");

    public static FieldTable<UserGroupDraft> GroupFields { get; } = new FieldTable<UserGroupDraft> { TablePath = GroupPath }
        .Interpret("member", (d, r) => { if (r.Names(LocalUser.MaxNameLength) is { } v) { d.Members = v; } })
        .Interpret("group-type", (_, r) => GroupType(r))
        .Refuse(["authtimeout", "auth-concurrent-override", "auth-concurrent-value", "http-digest-realm", "sso-attribute-value", "user-id", "password", "user-name", "sponsor", "company", "email", "mobile-phone", "sms-server", "expire", "expire-type", "max-accounts", "multiple-guest-add"],
            "a FortiOS user group setting SharpSwan does not support (firewall groups of local users only)");

    public static (ImmutableArray<LocalUser> Users, ImmutableArray<UserGroup> Groups) Build(RawDocument document, DiagnosticBag diagnostics)
    {
        var users = new List<LocalUser>();
        foreach (var entry in document.Find(SupportedTables.LocalUsers)?.Entries ?? [])
        {
            var draft = new UserLocalDraft(entry);
            var other = LocalFields.Apply(draft, () => new UserLocalDraft(entry), entry, diagnostics);
            if (entry.Find("passwd") is null)
            {
                diagnostics.MustBeSet("passwd", entry.NameToken, $"user local \"{entry.Name}\" (type password) needs a password");
            }

            users.Add(new LocalUser { Name = entry.Name, Password = draft.Password, Enabled = draft.Enabled, OtherSettings = other, SourceLine = entry.NameToken.Line });
        }

        var names = users.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        var groups = new List<UserGroup>();
        foreach (var entry in document.Find(SupportedTables.UserGroups)?.Entries ?? [])
        {
            var draft = new UserGroupDraft(entry);
            var other = GroupFields.Apply(draft, () => new UserGroupDraft(entry), entry, diagnostics);
            foreach (var (name, token) in draft.Members.Zip(entry.Find("member")?.Values ?? []))
            {
                if (!names.Contains(name))
                {
                    diagnostics.EntryNotFound("member", token, $"user group \"{entry.Name}\" refers to \"{name}\", which is not a user local (SharpSwan groups hold local users only)");
                }
            }

            groups.Add(new UserGroup(entry.Name, draft.Members) { OtherSettings = other, SourceLine = entry.NameToken.Line });
        }

        return ([.. users], [.. groups]);
    }
}
