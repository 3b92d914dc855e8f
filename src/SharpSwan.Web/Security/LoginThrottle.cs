namespace SharpSwan.Web.Security;

/// <summary>
/// FortiOS's admin lock-out, made escalating: after <c>admin-lockout-threshold</c> failures a key is refused for
/// <c>admin-lockout-duration</c> seconds, even with the right password, and each further lock-out doubles the time (up to a
/// day). Keys are a source address (wrong API tokens count too) or an account name (failures from every source together, so
/// guessing from many addresses is slowed as well). A key forgets its lock-outs after a day without failures.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    /// <summary>The longest a key is locked out, however often it fails.</summary>
    public static readonly TimeSpan MaxLockout = TimeSpan.FromHours(24);

    /// <summary>How long a key's escalation is remembered after its last failure.</summary>
    public static readonly TimeSpan Memory = TimeSpan.FromHours(24);

    /// <summary>Bounds the memory an attacker with many addresses or names can make us use.</summary>
    private const int MaxTrackedKeys = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, KeyState> _keys = new(StringComparer.Ordinal);

    public static string SourceKey(string client) => "source:" + client;

    public static string AccountKey(string user) => "account:" + user;

    /// <summary>How long <paramref name="key"/> stays locked out, or null when it may try.</summary>
    public TimeSpan? LockedFor(string key)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _keys.TryGetValue(key, out var state) && state.LockedUntil > now ? state.LockedUntil - now : null;
        }
    }

    /// <summary>Counts a failure; returns the lock-out it started, if any.</summary>
    public TimeSpan? Failed(string key, int threshold, TimeSpan duration)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_keys.Count >= MaxTrackedKeys && !_keys.ContainsKey(key))
            {
                Prune(now);
            }

            var state = _keys.GetValueOrDefault(key);
            if (state is not null && now - state.LastFailure > Memory)
            {
                state = null;
            }

            var failures = (state?.Failures ?? 0) + 1;
            var lockouts = state?.Lockouts ?? 0;
            if (failures < threshold)
            {
                _keys[key] = new KeyState(failures, lockouts, state?.LockedUntil ?? DateTimeOffset.MinValue, now);
                return null;
            }

            var wait = Escalated(duration, lockouts);
            _keys[key] = new KeyState(0, lockouts + 1, now + wait, now);
            return wait;
        }
    }

    public void Succeeded(string key)
    {
        lock (_gate)
        {
            _keys.Remove(key);
        }
    }

    /// <summary><paramref name="duration"/> doubled once per earlier lock-out, capped at <see cref="MaxLockout"/>.</summary>
    private static TimeSpan Escalated(TimeSpan duration, int earlierLockouts)
    {
        var factor = Math.Pow(2, Math.Min(earlierLockouts, 30));
        var seconds = Math.Min(duration.TotalSeconds * factor, MaxLockout.TotalSeconds);
        return TimeSpan.FromSeconds(seconds);
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var forgotten in _keys.Where(k => k.Value.LockedUntil <= now && now - k.Value.LastFailure > Memory).Select(k => k.Key).ToList())
        {
            _keys.Remove(forgotten);
        }

        if (_keys.Count >= MaxTrackedKeys)
        {
            // Still full: forget the keys that failed longest ago, but never one that is locked out right now.
            foreach (var oldest in _keys.Where(k => k.Value.LockedUntil <= now).OrderBy(k => k.Value.LastFailure).Take(_keys.Count - MaxTrackedKeys + 1).Select(k => k.Key).ToList())
            {
                _keys.Remove(oldest);
            }
        }
    }

    private sealed record KeyState(int Failures, int Lockouts, DateTimeOffset LockedUntil, DateTimeOffset LastFailure);
}
