using SharpSwan.Config;

namespace SharpSwan.Web.Security;

/// <summary>A logged-in administrator: the cookie's id, and the CSRF token every change must carry.</summary>
internal sealed class AdminSession(string id, AdminAccount account, string csrfToken, DateTimeOffset created)
{
    private long _lastSeenTicks = created.UtcTicks;
    private AccessProfile _profile = AccessProfile.BuiltIn(AccessProfile.SuperAdminReadOnly)!;

    public string Id { get; } = id;

    public string User => Account.Name;

    /// <summary>The admin entry as it was at login: any change to it (password, accprofile, removal) ends the session.</summary>
    public AdminAccount Account { get; } = account;

    public string CsrfToken { get; } = csrfToken;

    /// <summary>The admin's access profile, looked up in the running configuration on each request that finds the session.</summary>
    public AccessProfile Profile
    {
        get => Volatile.Read(ref _profile);
        set => Volatile.Write(ref _profile, value);
    }

    /// <summary>True when the profile lets this admin change IPsec tunnels (the GUI hides what it would refuse).</summary>
    public bool CanEditTunnels => Profile.Level(AccessGroups.Vpn) == AccessLevel.ReadWrite;

    public DateTimeOffset LastSeen
    {
        get => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _lastSeenTicks, value.UtcTicks);
    }
}
