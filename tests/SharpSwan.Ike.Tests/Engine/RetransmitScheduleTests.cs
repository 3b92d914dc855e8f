using SharpSwan.Ike.Engine;

namespace SharpSwan.Ike.Tests.Engine;

public sealed class RetransmitScheduleTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(2);

    [Fact]
    public void TheNominalScheduleDoublesFromTheFirstTimeoutUpToTheCap()
    {
        var waits = Enumerable.Range(0, 10).Select(n => RetransmitSchedule.Nominal(First, null, n).TotalSeconds).ToList();

        Assert.Equal([2, 4, 8, 16, 32, 64, 64, 64, 64, 64], waits);
        Assert.Equal(RetransmitSchedule.MaxInterval, RetransmitSchedule.Nominal(First, null, 1_000));
    }

    [Fact]
    public void AConfiguredIntervalIsKeptExactlyWithoutJitter()
    {
        var interval = TimeSpan.FromSeconds(5);

        Assert.Equal(interval, RetransmitSchedule.Nominal(First, interval, 7));
        Assert.Equal(TimeSpan.Zero, RetransmitSchedule.Jitter(interval, interval, 0x1234_5678_9abc_def0, 3, 2));
    }

    [Fact]
    public void JitterStaysWithinItsShareAndSpreadsTunnelsApart()
    {
        var interval = TimeSpan.FromSeconds(8);
        var jitters = Enumerable.Range(1, 200)
            .Select(i => RetransmitSchedule.Jitter(interval, null, (ulong)i * 0x9e37_79b9_7f4a_7c15, 1, 2))
            .ToList();

        Assert.All(jitters, j => Assert.InRange(j, TimeSpan.Zero, interval * RetransmitSchedule.JitterShare));
        Assert.True(jitters.Distinct().Count() > 100, "tunnels with different SPIs should retransmit at different moments");
    }

    [Fact]
    public void JitterIsTheSameForTheSameSaAndMessage()
    {
        var interval = TimeSpan.FromSeconds(4);

        Assert.Equal(
            RetransmitSchedule.Jitter(interval, null, 42, 7, 1),
            RetransmitSchedule.Jitter(interval, null, 42, 7, 1));
    }
}
