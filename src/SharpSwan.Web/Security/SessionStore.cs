using System.Collections.Concurrent;
using System.Security.Cryptography;
using SharpSwan.Config;

namespace SharpSwan.Web.Security;

/// <summary>
/// GUI sessions, in memory (a restart logs everyone out). A session ends at logout or after the idle timeout
/// (<c>admintimeout</c>); ids and CSRF tokens are 256-bit random values.
/// </summary>
internal sealed class SessionStore(TimeProvider time)
{
    /// <summary>FortiOS's <c>admin-login-max</c> default is 100 concurrent admin sessions.</summary>
    public const int MaxSessions = 100;

    private readonly ConcurrentDictionary<string, AdminSession> _sessions = new(StringComparer.Ordinal);

    public AdminSession Create(AdminAccount account, TimeSpan idleTimeout)
    {
        var now = time.GetUtcNow();
        if (_sessions.Count >= MaxSessions)
        {
            // Make room: drop the idle ones first, then the least recently used.
            foreach (var stale in _sessions.Values.Where(s => now - s.LastSeen > idleTimeout).ToList())
            {
                _sessions.TryRemove(stale.Id, out _);
            }

            foreach (var oldest in _sessions.Values.OrderBy(s => s.LastSeen).Take(_sessions.Count - MaxSessions + 1).ToList())
            {
                _sessions.TryRemove(oldest.Id, out _);
            }
        }

        var session = new AdminSession(NewToken(), account, NewToken(), now);
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The live session with this id, touched; null when unknown or idle for longer than <paramref name="idleTimeout"/>.</summary>
    public AdminSession? Find(string? id, TimeSpan idleTimeout)
    {
        if (id is null || !_sessions.TryGetValue(id, out var session))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now - session.LastSeen > idleTimeout)
        {
            _sessions.TryRemove(id, out _);
            return null;
        }

        session.LastSeen = now;
        return session;
    }

    public void Remove(string id) => _sessions.TryRemove(id, out _);

    /// <summary>Ends every session of <paramref name="user"/> (its password or profile changed, or it was deleted).</summary>
    public int RemoveUser(string user)
    {
        var ended = 0;
        foreach (var session in _sessions.Values.Where(s => s.User == user).ToList())
        {
            ended += _sessions.TryRemove(session.Id, out _) ? 1 : 0;
        }

        return ended;
    }

    internal static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
