namespace SharpSwan.Ike.Engine;

/// <summary>
/// The time the engine and the packet core run on: the wall clock read once at start, then moved only by the monotonic
/// timestamp. Lifetimes, retransmissions and DPD are deadlines; a wall clock stepped by NTP or an administrator (an hour
/// forward, or back) must not make an SA expire early or late, so nothing here reads the wall clock after construction.
/// </summary>
public sealed class MonotonicTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly DateTimeOffset _startWall;
    private readonly long _startTimestamp;

    public MonotonicTimeProvider(TimeProvider inner)
    {
        _inner = inner;
        _startWall = inner.GetUtcNow();
        _startTimestamp = inner.GetTimestamp();
    }

    public override DateTimeOffset GetUtcNow() => _startWall + _inner.GetElapsedTime(_startTimestamp);

    public override long GetTimestamp() => _inner.GetTimestamp();

    public override long TimestampFrequency => _inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);
}
