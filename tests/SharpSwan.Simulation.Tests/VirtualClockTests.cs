namespace SharpSwan.Simulation.Tests;

public sealed class VirtualClockTests
{
    [Fact]
    public void The_clock_starts_at_its_fixed_date_and_moves_only_when_advanced()
    {
        var clock = new VirtualClock();
        Assert.Equal(VirtualClock.DefaultStart, clock.GetUtcNow());
        Assert.Equal(0, clock.GetTimestamp());

        clock.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(VirtualClock.DefaultStart.AddMilliseconds(1500), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMilliseconds(1500), clock.Elapsed);

        clock.AdvanceTo(VirtualClock.DefaultStart.AddMinutes(2));
        Assert.Equal(TimeSpan.FromMinutes(2), clock.Elapsed);
    }

    [Fact]
    public void Timestamps_measure_virtual_elapsed_time_through_the_TimeProvider_API()
    {
        var clock = new VirtualClock();
        var before = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromSeconds(42.25));
        Assert.Equal(TimeSpan.FromSeconds(42.25), clock.GetElapsedTime(before));
        Assert.Equal(clock.GetUtcNow(), clock.ToTime(clock.GetTimestamp()));
        Assert.Equal(TimeSpan.TicksPerSecond, clock.TimestampFrequency);
    }

    [Fact]
    public void Time_never_runs_backwards_and_real_timers_are_refused()
    {
        var clock = new VirtualClock();
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.AdvanceTo(VirtualClock.DefaultStart));
        Assert.Throws<NotSupportedException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        Assert.Equal(TimeSpan.FromSeconds(10), clock.Elapsed);
    }
}
