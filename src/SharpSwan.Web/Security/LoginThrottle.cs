namespace SharpSwan.Web.Security;

/// <summary>
/// FortiOS's admin lock-out: after <c>admin-lockout-threshold</c> failed logins from one address, that address is refused
/// for <c>admin-lockout-duration</c> seconds, even with the right password. Wrong API tokens count too.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    /// <summary>Bounds the memory an attacker with many addresses can make us use.</summary>
    private const int MaxTrackedClients = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (int Failures, DateTimeOffset LockedUntil)> _clients = new(StringComparer.Ordinal);

    /// <summary>How long <paramref name="client"/> stays locked out, or null when it may try.</summary>
    public TimeSpan? LockedFor(string client)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _clients.TryGetValue(client, out var state) && state.LockedUntil > now ? state.LockedUntil - now : null;
        }
    }

    public void Failed(string client, int threshold, TimeSpan duration)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_clients.Count >= MaxTrackedClients && !_clients.ContainsKey(client))
            {
                foreach (var expired in _clients.Where(c => c.Value.LockedUntil <= now).Select(c => c.Key).ToList())
                {
                    _clients.Remove(expired);
                }
            }

            var failures = _clients.GetValueOrDefault(client).Failures + 1;
            _clients[client] = failures >= threshold ? (0, now + duration) : (failures, DateTimeOffset.MinValue);
        }
    }

    public void Succeeded(string client)
    {
        lock (_gate)
        {
            _clients.Remove(client);
        }
    }
}
