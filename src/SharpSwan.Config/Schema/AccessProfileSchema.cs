namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config system accprofile</c>. Every group is kept verbatim and read by <see cref="AccessProfile.Level"/>;
/// <c>custom</c> (per-feature sub-permissions) is refused because SharpSwan would have to guess what it allows.
/// </summary>
internal static class AccessProfileSchema
{
    public const string Path = "system accprofile";

    private static readonly string[] Levels = ["none", "read", "read-write", "custom"];

    public static FieldTable<AccessProfileDraft> Fields { get; } = new FieldTable<AccessProfileDraft> { TablePath = Path }
        .Keep(AccessProfile.EnforcedGroups, Checks.OnlySupported(["none", "read", "read-write"], Levels, "custom permissions are not implemented: use none, read or read-write"))
        .Keep(AccessProfile.KeptGroups, Checks.OnlySupported(["none", "read", "read-write"], Levels, "custom permissions are not implemented: use none, read or read-write"))
        .Keep("comments", Checks.Text(255))
        .Keep("scope", Checks.OneOf("vdom", "global"))
        .Refuse(
            ["admintimeout-override", "admintimeout", "system-diagnostics", "system-execute-ssh", "system-execute-telnet"],
            "a FortiOS accprofile setting SharpSwan does not enforce (the admin session timeout is config system global admintimeout)");
}
