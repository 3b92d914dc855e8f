using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Lifetimes, rekeys, retransmissions and DPD are deadlines on a monotonic clock: when the wall clock is stepped (NTP, an
/// administrator, a VM resumed) by an hour either way, nothing expires or rekeys early or late.
/// </summary>
public sealed class WallClockScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void A_wall_clock_stepped_by_an_hour_moves_no_lifetime(int hours)
    {
        var undisturbed = Run(seed: 32101, step: TimeSpan.Zero);
        var stepped = Run(seed: 32101, step: TimeSpan.FromHours(hours));

        // The same SAs, installed, rekeyed and removed at the same virtual instants, as if the clock had never moved.
        Assert.Contains(undisturbed, e => e.Kind == SimulationEventKind.ChildInstalled && e.IsRekey);
        Assert.Contains(undisturbed, e => e.Kind == SimulationEventKind.ChildRemoved);
        Assert.Equal(undisturbed, stepped);
    }

    /// <summary>
    /// A keepalive tunnel with 300 s SAs (rekeyed at the soft point without traffic) and an on-demand one (left to expire),
    /// the wall clock stepped a minute after they came up; returns the timeline as kind, gateway, SPIs and time.
    /// </summary>
    private static List<(SimulationEventKind Kind, string Gateway, uint? In, uint? Out, bool IsRekey, TimeSpan At)> Run(int seed, TimeSpan step)
    {
        var timeline = new List<(SimulationEventKind, string, uint?, uint?, bool, TimeSpan)>();
        var report = CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA with { Phase2KeyLifeSeconds = 300, Keepalive = true },
                TunnelConfig.SiteB with { Phase2KeyLifeSeconds = 300, Keepalive = true });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromMinutes(1));
            simulation.Clock.StepWallClock(step);
            simulation.RunFor(TimeSpan.FromMinutes(12));
            timeline.AddRange(simulation.Timeline
                .Where(e => e.Kind is SimulationEventKind.ChildInstalled or SimulationEventKind.ChildRemoved or SimulationEventKind.IkeUp or SimulationEventKind.IkeDown)
                .Select(e => (e.Kind, e.Gateway, e.InboundSpi, e.OutboundSpi, e.IsRekey, e.Time - simulation.Clock.Start)));
        });
        Assert.True(report.Holds);
        return timeline;
    }
}
