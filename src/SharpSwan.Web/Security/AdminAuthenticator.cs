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
/// (<c>config system api-user</c>). Accounts are read from the running configuration on every request, so a deleted
/// admin or a changed key takes effect at once.
/// </summary>
internal sealed class AdminAuthenticator(Func<GatewayConfiguration> configuration, SessionStore sessions, LoginThrottle throttle)
{
    public const string SessionCookie = "sharpswan_session";
    public const string CsrfHeader = "X-CSRFTOKEN";
    public const string CsrfField = "csrf_token";

    private const int MaxCachedTokens = 64;

    /// <summary>Checked when the user does not exist, so a login takes as long either way and does not reveal account names.</summary>
    private static readonly PasswordHash Decoy = PasswordHash.Create(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), PasswordHash.PasswordIterations);

    /// <summary>SHA-256 of a verified token → the api-user it belongs to, to spare PBKDF2 on every request.</summary>
    private readonly ConcurrentDictionary<string, ApiUser> _verifiedTokens = new(StringComparer.Ordinal);

    public AdminSettings Settings => AdminSettings.From(configuration());

    /// <summary>The service log: logins, failed logins and logouts with the client's address.</summary>
    public ILogger Log { get; init; } = NullLogger.Instance;

    public static string Client(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    public LoginOutcome Login(string client, string user, string password)
    {
        var settings = Settings;
        if (throttle.LockedFor(client) is { } wait)
        {
            return new LoginOutcome(null, LockedOutMessage(wait));
        }

        var admin = configuration().Admins.FirstOrDefault(a => string.Equals(a.Name, user, StringComparison.Ordinal));
        var valid = (admin?.Password ?? Decoy).Verify(password) && admin?.Password is not null;
        if (!valid)
        {
            throttle.Failed(client, settings.LockoutThreshold, settings.LockoutDuration);
            Log.LogWarning("admin login failed for user {User} from {Client}", user, client);
            return throttle.LockedFor(client) is { } locked
                ? new LoginOutcome(null, LockedOutMessage(locked))
                : new LoginOutcome(null, "Authentication failure: wrong user name or password.");
        }

        throttle.Succeeded(client);
        Log.LogInformation("admin {User} logged in from {Client}", admin!.Name, client);
        return new LoginOutcome(sessions.Create(admin!.Name, settings.IdleTimeout), null);
    }

    public void Logout(AdminSession session, string client)
    {
        sessions.Remove(session.Id);
        Log.LogInformation("admin {User} logged out from {Client}", session.User, client);
    }

    /// <summary>The session of this request's cookie, if it is live and its admin still exists.</summary>
    public AdminSession? Session(HttpContext context)
    {
        var session = sessions.Find(context.Request.Cookies[SessionCookie], Settings.IdleTimeout);
        if (session is not null && !configuration().Admins.Any(a => a.Name == session.User && a.Password is not null))
        {
            sessions.Remove(session.Id);
            return null;
        }

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

        return new ApiAuthentication(session.User, session, 0, null);
    }

    public static bool CsrfMatches(AdminSession session, string? presented) =>
        presented is { Length: > 0 }
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(session.CsrfToken));

    private ApiAuthentication Bearer(string client, string token)
    {
        var settings = Settings;
        if (throttle.LockedFor(client) is { } wait)
        {
            return ApiAuthentication.Refused(429, LockedOutMessage(wait));
        }

        var users = configuration().ApiUsers;
        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        if (_verifiedTokens.TryGetValue(digest, out var cached))
        {
            // Still valid only while the same user holds the same key.
            if (users.Any(u => u.Name == cached.Name && Equals(u.ApiKey, cached.ApiKey)))
            {
                return new ApiAuthentication(cached.Name, null, 0, null);
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
                throttle.Succeeded(client);
                return new ApiAuthentication(user.Name, null, 0, null);
            }
        }

        throttle.Failed(client, settings.LockoutThreshold, settings.LockoutDuration);
        return ApiAuthentication.Refused(401, "invalid API key");
    }

    private static string LockedOutMessage(TimeSpan wait) => string.Create(
        CultureInfo.InvariantCulture,
        $"Too many failed attempts from this address: locked out, try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s.");
}
