using SharpSwan.Config;

namespace SharpSwan.Web.Security;

/// <summary>Who made an API request (an api-user or an admin's GUI session) and the profile it holds, or why it was refused.</summary>
internal sealed record ApiAuthentication(string? Caller, AdminSession? Session, int FailureStatus, string? Failure)
{
    public bool Succeeded => Caller is not null;

    /// <summary>The caller's access profile (nothing allowed until authenticated).</summary>
    public AccessProfile Profile { get; init; } = AccessGroups.Nothing;

    public static ApiAuthentication Refused(int status, string failure) => new(null, null, status, failure);
}
