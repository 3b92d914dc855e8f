namespace SharpSwan.Config;

/// <summary>Fields of <c>config system api-user</c>: REST API clients, each with a bearer token (<c>api-key</c>).</summary>
internal static class ApiUserSchema
{
    public const string Path = "system api-user";

    public static FieldTable<ApiUserDraft> Fields { get; } = new FieldTable<ApiUserDraft> { TablePath = Path }
        .Interpret("api-key", (d, r) => { if (r.PasswordHash(PasswordHash.ApiKeyIterations, ApiUser.MinimumApiKeyLength) is { } v) { d.ApiKey = v; } })
        .Keep("accprofile", Checks.Text(35))
        .Keep("vdom", Checks.Text(31))
        .Keep("comments", Checks.Text(255))
        .Keep("cors-allow-origin", Checks.EmptyOnly(269, "the REST API sends no CORS headers, so a browser page from another origin cannot call it"))
        .Refuse(["peer-auth", "peer-group", "schedule"], "a FortiOS api-user setting SharpSwan does not support (bearer tokens only)");
}
