using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SharpSwan.Config;

namespace SharpSwan.Web.Security;

/// <summary>
/// Authenticates GUI logins (<c>config system admin</c>), session cookies with their CSRF tokens, and REST bearer tokens
/// (<c>config system api-user</c>), and says which access profile each caller holds. Accounts are read from the running
/// configuration on every request, so a deleted admin, a changed password or profile, or a changed key takes effect at once.
/// </summary>
/// <param name="upgradePassword">
/// Saves a stronger hash of a password that was just verified (old iteration count), as a change by that admin from the
/// client address given; returns false when it could not.
/// </param>
internal sealed class AdminAuthenticator(
    Func<GatewayConfiguration> configuration,
    SessionStore sessions,
    LoginThrottle throttle,
    Func<AdminAccount, PasswordHash, string, CancellationToken, Task<bool>>? upgradePassword = null)
{
    public const string SessionCookie = "sharpswan_session";
    public const string CsrfHeader = "X-CSRFTOKEN";
    public const string CsrfField = "csrf_token";

    /// <summary>An account is locked after this many times the per-source threshold of failures, from any sources together.</summary>
    public const int AccountThresholdFactor = 3;

    private const int MaxCachedTokens = 64;

    /// <summary>Checked when the user does not exist, so a login takes as long either way and does not reveal account names.</summary>
    private static readonly PasswordHash Decoy = PasswordHash.Create(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), PasswordHash.PasswordIterations);

    /// <summary>SHA-256 of a verified token → the api-user it belongs to, to spare PBKDF2 on every request.</summary>
    private readonly ConcurrentDictionary<string, ApiUser> _verifiedTokens = new(StringComparer.Ordinal);

    public AdminSettings Settings => AdminSettings.From(configuration());

    /// <summary>The service log: logins, failed logins and logouts with the client's address.</summary>
    public ILogger Log { get; init; } = NullLogger.Instance;

    public static string Client(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public async Task<LoginOutcome> LoginAsync(string client, string user, string password, CancellationToken cancellation)
    {
        var settings = Settings;
        var sourceKey = LoginThrottle.SourceKey(client);
        var accountKey = LoginThrottle.AccountKey(user);
        if (throttle.LockedFor(sourceKey) is { } wait)
        {
            return new LoginOutcome(null, LockedOutMessage("from this address", wait));
        }

        if (throttle.LockedFor(accountKey) is { } accountWait)
        {
            return new LoginOutcome(null, LockedOutMessage("for this account", accountWait));
        }

        var admin = configuration().Admins.FirstOrDefault(a => string.Equals(a.Name, user, StringComparison.Ordinal));
        var valid = (admin?.Password ?? Decoy).Verify(password) && admin?.Password is not null;
        if (!valid)
        {
            var sourceLock = throttle.Failed(sourceKey, settings.LockoutThreshold, settings.LockoutDuration);
            var accountLock = throttle.Failed(accountKey, settings.LockoutThreshold * AccountThresholdFactor, settings.LockoutDuration);
            Log.LogWarning("admin login failed for user {User} from {Client}", user, client);
            return sourceLock is { } locked ? new LoginOutcome(null, LockedOutMessage("from this address", locked))
                : accountLock is { } accountLocked ? new LoginOutcome(null, LockedOutMessage("for this account", accountLocked))
                : new LoginOutcome(null, "Authentication failure: wrong user name or password.");
        }

        throttle.Succeeded(sourceKey);
        throttle.Succeeded(accountKey);
        admin = await UpgradeAsync(admin!, password, client, cancellation);
        Log.LogInformation("admin {User} logged in from {Client}", admin.Name, client);
        var session = sessions.Create(admin, settings.IdleTimeout);
        session.Profile = AccessGroups.Resolve(configuration(), admin.AccessProfileName);
        return new LoginOutcome(session, null);
    }

    public void Logout(AdminSession session, string client)
    {
        sessions.Remove(session.Id);
        Log.LogInformation("admin {User} logged out from {Client}", session.User, client);
    }

    /// <summary>
    /// The session of this request's cookie, if it is live and its admin entry is unchanged since login: a new password, a
    /// new profile or the admin's removal ends every session it had.
    /// </summary>
    public AdminSession? Session(HttpContext context)
    {
        var session = sessions.Find(context.Request.Cookies[SessionCookie], Settings.IdleTimeout);
        if (session is null)
        {
            return null;
        }

        var current = configuration();
        var admin = current.Admins.FirstOrDefault(a => a.Name == session.User);
        if (admin?.Password is null || !admin.Equals(session.Account))
        {
            var ended = sessions.RemoveUser(session.User);
            Log.LogInformation("admin {User} changed or removed: {Count} session(s) ended", session.User, ended);
            return null;
        }

        session.Profile = AccessGroups.Resolve(current, admin.AccessProfileName);
        return session;
    }

    /// <summary>
    /// A bearer token, or a GUI session (whose changes must carry the CSRF token in <see cref="CsrfHeader"/>).
    /// A token in the URL is refused outright: URLs end up in logs and browser history.
    /// </summary>
    public ApiAuthentication AuthenticateApi(HttpContext context)
    {
        if (context.Request.Query.ContainsKey("access_token"))
        {
            return ApiAuthentication.Refused(401, "API tokens are accepted only in the Authorization header (Bearer), never in the URL");
        }

        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            const string Scheme = "Bearer ";
            if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
            {
                return ApiAuthentication.Refused(401, "unsupported Authorization header: use Bearer <api-key>");
            }

            return Bearer(Client(context), header[Scheme.Length..].Trim());
        }

        if (Session(context) is not { } session)
        {
            return ApiAuthentication.Refused(401, context.Request.Cookies.ContainsKey(SessionCookie)
                ? "session expired or logged out: log in again"
                : "authentication required: send Authorization: Bearer <api-key>");
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
            && !CsrfMatches(session, context.Request.Headers[CsrfHeader].ToString()))
        {
            return ApiAuthentication.Refused(403, "CSRF token missing or wrong: changes from a browser session must send X-CSRFTOKEN");
        }

        return new ApiAuthentication(session.User, session, 0, null) { Profile = session.Profile };
    }

    /// <summary>Authenticates, then checks the caller's access profile against what the request needs (403 when short).</summary>
    public ApiAuthentication AuthorizeApi(HttpContext context)
    {
        var caller = AuthenticateApi(context);
        if (!caller.Succeeded)
        {
            return caller;
        }

        var (group, level) = AccessGroups.Required(context.Request);
        return caller.Profile.Level(group) >= level
            ? caller
            : ApiAuthentication.Refused(403, AccessGroups.Denied(caller.Profile, group, level));
    }

    public static bool CsrfMatches(AdminSession session, string? presented) =>
        presented is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(session.CsrfToken));

    /// <summary>A password hashed with fewer rounds than today's is re-hashed now that we know it, and saved.</summary>
    private async Task<AdminAccount> UpgradeAsync(AdminAccount admin, string password, string client, CancellationToken cancellation)
    {
        if (upgradePassword is null || admin.Password!.Iterations >= PasswordHash.PasswordIterations)
        {
            return admin;
        }

        var stronger = PasswordHash.Create(password, PasswordHash.PasswordIterations);
        if (!await upgradePassword(admin, stronger, client, cancellation))
        {
            Log.LogWarning("admin {User}: the password hash could not be upgraded to {Iterations} iterations", admin.Name, PasswordHash.PasswordIterations);
            return admin;
        }

        Log.LogInformation("admin {User}: password hash upgraded to {Iterations} iterations", admin.Name, PasswordHash.PasswordIterations);
        return configuration().Admins.FirstOrDefault(a => a.Name == admin.Name) ?? admin;
    }

    private ApiAuthentication Bearer(string client, string token)
    {
        var settings = Settings;
        var sourceKey = LoginThrottle.SourceKey(client);
        if (throttle.LockedFor(sourceKey) is { } wait)
        {
            return ApiAuthentication.Refused(429, LockedOutMessage("from this address", wait));
        }

        var current = configuration();
        var users = current.ApiUsers;
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (_verifiedTokens.TryGetValue(digest, out var cached))
        {
            // Still valid only while the same user holds the same key.
            if (users.Any(u => u.Name == cached.Name && Equals(u.ApiKey, cached.ApiKey)))
            {
                var user = users.First(u => u.Name == cached.Name);
                return new ApiAuthentication(cached.Name, null, 0, null) { Profile = AccessGroups.Resolve(current, user.AccessProfileName) };
            }

            _verifiedTokens.TryRemove(digest, out _);
        }

        foreach (var user in users)
        {
            if (user.ApiKey is { } key && key.Verify(token))
            {
                if (_verifiedTokens.Count >= MaxCachedTokens)
                {
                    _verifiedTokens.Clear();
                }

                _verifiedTokens[digest] = user;
                throttle.Succeeded(sourceKey);
                return new ApiAuthentication(user.Name, null, 0, null) { Profile = AccessGroups.Resolve(current, user.AccessProfileName) };
            }
        }

        throttle.Failed(sourceKey, settings.LockoutThreshold, settings.LockoutDuration);
        return ApiAuthentication.Refused(401, "invalid API key");
    }

    private static string LockedOutMessage(string what, TimeSpan wait) => string.Create(
        CultureInfo.InvariantCulture,
        $"Too many failed attempts {what}: locked out, try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s.");
}
