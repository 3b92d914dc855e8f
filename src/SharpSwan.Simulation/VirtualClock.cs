namespace SharpSwan.Simulation;

/// <summary>
/// A clock that only moves when the simulation moves it, so a run never depends on how fast the machine is.
/// Timestamps count 100 ns ticks since <see cref="Start"/>.
/// </summary>
public sealed class VirtualClock : TimeProvider
{
    /// <summary>A fixed, arbitrary start so that two runs print the same times.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private DateTimeOffset _now;

    /// <summary>How far the wall clock (<see cref="GetUtcNow"/>) was stepped away from virtual time; timestamps never move.</summary>
    private TimeSpan _wallStep;

    public VirtualClock()
        : this(DefaultStart)
    {
    }

    public VirtualClock(DateTimeOffset start)
    {
        Start = start;
        _now = start;
    }

    public DateTimeOffset Start { get; }

    public DateTimeOffset Now => _now;

    public TimeSpan Elapsed => _now - Start;

    public override DateTimeOffset GetUtcNow() => _now + _wallStep;

    public override long GetTimestamp() => (_now - Start).Ticks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Real timers would fire on wall-clock time and break replay, so nothing in a simulation may create one.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new NotSupportedException("The virtual clock has no timers: schedule work with Simulation.At/Every instead.");

    /// <summary>
    /// Steps the wall clock alone, as NTP or an administrator would (either way): <see cref="GetUtcNow"/> jumps, while
    /// <see cref="GetTimestamp"/> and <see cref="Now"/> (the simulation's own time) go on undisturbed.
    /// </summary>
    public void StepWallClock(TimeSpan delta) => _wallStep += delta;

    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        _now += delta;
    }

    public void AdvanceTo(DateTimeOffset time)
    {
        if (time < _now)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, $"the virtual clock is already at {_now:O}; time never runs backwards");
        }

        _now = time;
    }

    /// <summary>The virtual time at which <see cref="GetTimestamp"/> returned <paramref name="timestamp"/>.</summary>
    public DateTimeOffset ToTime(long timestamp) => Start + TimeSpan.FromTicks(timestamp);
}
