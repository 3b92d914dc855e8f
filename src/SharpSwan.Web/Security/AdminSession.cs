namespace SharpSwan.Web.Security;

/// <summary>A logged-in administrator: the cookie's id, and the CSRF token every change must carry.</summary>
internal sealed class AdminSession(string id, string user, string csrfToken, DateTimeOffset created)
{
    private long _lastSeenTicks = created.UtcTicks;

    public string Id { get; } = id;

    public string User { get; } = user;

    public string CsrfToken { get; } = csrfToken;

    public DateTimeOffset LastSeen
    {
        get => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);
        set => Interlocked.Exchange(ref _lastSeenTicks, value.UtcTicks);
    }
}
