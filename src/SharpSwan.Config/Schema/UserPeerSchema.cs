using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config user peer</c> and <c>config user peergrp</c>: the certificate peers a phase 1's <c>peer</c> or
/// <c>peergrp</c> accepts. Checked in IKE_AUTH after the certificate is trusted; what would need LDAP, OCSP or a second
/// factor is refused.
/// </summary>
internal static class UserPeerSchema
{
    public const string Path = "user peer";

    public const string GroupPath = "user peergrp";

    public static FieldTable<UserPeerDraft> Fields { get; } = new FieldTable<UserPeerDraft> { TablePath = Path }
        .Interpret("ca", (d, r) => { if (r.Text(CaCertificate.MaxNameLength) is { } v) { d.Ca = Phase1Schema.NullIfEmpty(v); } })
        .Interpret("subject", (d, r) => { if (Subject(r) is { } v) { d.Subject = Phase1Schema.NullIfEmpty(v); } })
        .Interpret("cn", (d, r) => { if (r.Text(255) is { } v) { d.Cn = Phase1Schema.NullIfEmpty(v); } })
        .Interpret("cn-type", (d, r) => { if (r.OneOf("string", "email", "FQDN", "ipv4", "ipv6") is { } v) { d.CnType = v; } })
        .Keep("mandatory-ca-verify", Checks.OnlySupported(["enable"], ["enable", "disable"], "accepting a peer certificate without checking it against the CAs; SharpSwan always verifies it, set it to enable"))
        .Keep("two-factor", Checks.OnlySupported(["disable"], ["enable", "disable"], "a second factor (password or token) for certificate peers"))
        .Keep("ocsp-override-server", Checks.EmptyOnly(35, "OCSP checks of peer certificates are not implemented (use config vpn certificate crl)"))
        .Keep(["ldap-server", "ldap-username"], Checks.EmptyOnly(35, "checking certificate peers against an LDAP directory is not implemented"))
        .Keep("ldap-mode", Checks.OnlySupported(["password"], ["password", "principal-name"], "checking certificate peers against an LDAP directory"))
        .Refuse(["passwd", "ldap-password"], "a FortiOS setting SharpSwan does not support (a second factor or LDAP password for certificate peers)");

    public static FieldTable<UserPeerGroupDraft> GroupFields { get; } = new FieldTable<UserPeerGroupDraft> { TablePath = GroupPath }
        .Interpret("member", (d, r) => { if (r.Names(UserPeer.MaxNameLength) is { } v) { d.Members = v; } });

    private static string? Subject(SettingReader reader)
    {
        if (reader.Text(255) is not { } text)
        {
            return null;
        }

        if (!PeerCertificateRule.TryParseSubject(text, out _, out var error))
        {
            reader.ValueError(reader.Setting.Values[0], error);
            return null;
        }

        return text;
    }
}
