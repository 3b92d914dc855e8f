namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config system admin</c>: the web GUI's administrators. The password is interpreted; <c>accprofile</c> is
/// kept and enforced by the web server (it must name a built-in or configured <c>system accprofile</c>).
/// </summary>
internal static class AdminSchema
{
    public const string Path = "system admin";

    public static FieldTable<AdminDraft> Fields { get; } = new FieldTable<AdminDraft> { TablePath = Path }
        .Interpret("password", (d, r) => { if (r.PasswordHash(PasswordHash.PasswordIterations, AdminAccount.MinimumPasswordLength) is { } v) { d.Password = v; } })
        .Keep("accprofile", Checks.Text(35))
        .Keep("vdom", Checks.Text(31))
        .Keep("comments", Checks.Text(255))
        .Keep("email-to", Checks.Text(63))
        .Refuse(
            ["trusthost1", "trusthost2", "trusthost3", "trusthost4", "trusthost5", "trusthost6", "trusthost7", "trusthost8", "trusthost9", "trusthost10"],
            "a FortiOS admin setting SharpSwan does not enforce (bind the GUI with set admin-address in config system global instead)")
        .Refuse(["two-factor", "remote-auth", "peer-auth"], "a FortiOS admin setting SharpSwan does not support (local passwords only)");
}
