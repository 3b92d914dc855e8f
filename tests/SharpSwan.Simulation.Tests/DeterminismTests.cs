using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

public sealed class DeterminismTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Fact]
    public void The_same_seed_replays_the_same_timeline_and_log_and_another_seed_does_not()
    {
        var first = Record(seed: 9001);
        var second = Record(seed: 9001);
        var other = Record(seed: 9002);

        Assert.True(first.Timeline.Count > 10, "the scenario did too little to prove anything");
        Assert.Equal(first.Timeline, second.Timeline);
        Assert.Equal(first.Log, second.Log);
        Assert.Equal(first.Counters, second.Counters);
        Assert.NotEqual(first.Timeline, other.Timeline);
    }

    /// <summary>A busy run: lossy, jittery, duplicating link, rekeys from both ends, an IKE rekey and a crash.</summary>
    private static (List<string> Timeline, List<string> Log, string Counters) Record(int seed)
    {
        (List<string>, List<string>, string) result = default;
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { AutoNegotiate = true }, TunnelConfig.SiteB);
            simulation.Network.SetLink(Scenario.AddressA, Scenario.AddressB, LinkConditions.Default with
            {
                LossPercent = 10,
                DuplicatePercent = 5,
                Jitter = TimeSpan.FromMilliseconds(20),
            });
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(100));
            simulation.Start();
            simulation.After(TimeSpan.FromSeconds(20), () => a.RekeyChild(P1, P2));
            simulation.After(TimeSpan.FromSeconds(40), () => b.RekeyChild(P1, P2));
            simulation.After(TimeSpan.FromSeconds(60), () => b.RekeyIke(P1));
            simulation.After(TimeSpan.FromSeconds(80), b.Restart);
            simulation.RunFor(TimeSpan.FromMinutes(6));

            var counters = $"{simulation.Network.SentCount}/{simulation.Network.LostCount}/{simulation.Network.DuplicatedCount} " +
                $"A {a.Traffic(P1, P2)} B {b.Traffic(P1, P2)} received {traffic.ReceivedByA.Count}/{traffic.ReceivedByB.Count}";
            result = (simulation.Timeline.Select(e => e.ToString()).ToList(), simulation.Log.Select(l => l.ToString()).ToList(), counters);
        });
        return result;
    }
}
