using Xunit.Abstractions;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Random rekeys from both ends (child rekeys, simultaneous child rekeys, simultaneous IKE rekeys) on a link that
/// reorders (up to 30 ms of jitter) but loses nothing, with 120 s lifetimes and auto-negotiate on both ends, under traffic
/// every 5 ms both ways: not one packet may be lost, and the invariants must hold throughout. Found four engine bugs
/// (stragglers after a rekey DELETE, a DELETE overtaking an IKE rekey answer, queued work left on a rekeyed IKE SA, a
/// rekey of an SA the peer had not finished creating).
/// </summary>
public sealed class StressScenarios(ITestOutputHelper output)
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(29)]
    [InlineData(45001)]
    [InlineData(45002)]
    public void Random_rekeys_from_both_ends_on_a_reordering_link_lose_no_packet(int seed)
    {
        var report = CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap(120) with { AutoNegotiate = true },
                TunnelConfig.SiteB.Cheap(120) with { AutoNegotiate = true });
            simulation.Network.SetLink(Scenario.AddressA, Scenario.AddressB, LinkConditions.Default with { Jitter = TimeSpan.FromMilliseconds(seed % 3 * 15) });
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(1));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(5));

            RandomRekeys(simulation, a, b, seed);

            simulation.RunFor(TimeSpan.FromSeconds(100));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(2));

            traffic.AssertNothingLost();
            Assert.Single(a.InstalledSas);
            Assert.Single(b.InstalledSas);
            Assert.Equal(a.IkeSas.Single().InitiatorSpi, b.IkeSas.Single().InitiatorSpi);
        });
        Assert.True(report.Rekeys >= 4, report.ToString());
        Assert.Equal(0, report.PacketsLostDuringRekeys);
    }

    /// <summary>
    /// The same random rekeys on a link that also loses 5% and duplicates 2% of datagrams. Loss makes crossing exchanges
    /// leave stale SAs behind (a DELETE that never comes, a rekey answer the peer never got before its IKE SA moved on);
    /// the invariants (no second SA for a selector beyond 30 s) and one SA per side at the end must still hold. Seeds
    /// 21, 23, 34 and 39 kept a second SA for 11-87 s (some until hard expiry) before the stale-SA sweep. The seeds are
    /// <see cref="LossySweep"/>'s fast subset; bench/lossy-sweep.sh runs this test over hundreds of seeds.
    /// </summary>
    [Theory]
    [MemberData(nameof(LossySweepSeeds))]
    public void Random_rekeys_on_a_lossy_link_leave_no_stale_sa_behind(int seed)
    {
        // Leftovers are found by timeouts (a peer's rekey counts as abandoned after 15 s of it still using the old SA; an
        // old SA whose DELETE never came goes after 15 s of silence), so here a second SA may live up to 30 s.
        var report = CheckedScenario.Run(seed, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.Cheap(120) with { AutoNegotiate = true },
                TunnelConfig.SiteB.Cheap(120) with { AutoNegotiate = true });
            simulation.Network.SetLink(Scenario.AddressA, Scenario.AddressB, LinkConditions.Default with { Jitter = TimeSpan.FromMilliseconds(seed % 3 * 15), LossPercent = 5, DuplicatePercent = 2 });
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(1));
            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(5));
            RandomRekeys(simulation, a, b, seed);

            simulation.RunFor(TimeSpan.FromSeconds(100));
            traffic.Stop();

            // Lifetimes keep running (rekeys every ~100 s, retransmitted under loss): one may be under way right now.
            // Settled means one shared SA on each side, within the invariant checker's settle time.
            Assert.True(
                simulation.RunUntil(() => a.InstalledSas.Count == 1 && b.InstalledSas.Count == 1 && a.InstalledSas[0].InboundSpi == b.InstalledSas[0].OutboundSpi, TimeSpan.FromSeconds(20)),
                $"A holds {a.InstalledSas.Count} SAs, B holds {b.InstalledSas.Count}; engine children A: {string.Join(", ", a.ChildSas.Select(c => $"{c.InboundSpi:x8} {c.State}"))}; B: {string.Join(", ", b.ChildSas.Select(c => $"{c.InboundSpi:x8} {c.State}"))}");
        }, simulation => new LifecycleInvariants(simulation) { SettleTime = TimeSpan.FromSeconds(30) });

        // One line per seed for bench/lossy-sweep.sh's table (the TRX keeps each test's output).
        output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"lossy-sweep seed {seed}: longest redundant SA {report.LongestDuplicate.TotalSeconds:0.000} s; {report}"));
    }

    public static TheoryData<int> LossySweepSeeds() => LossySweep.Seeds();


    /// <summary>Eight rekeys a few seconds apart: child or simultaneous child rekeys, or simultaneous IKE rekeys.</summary>
    /// <remarks>The script is drawn from the seed too, so a failing seed replays exactly.</remarks>
    private static void RandomRekeys(Simulation simulation, SimulatedGateway a, SimulatedGateway b, int seed)
    {
        var script = new Random(seed);
        for (var i = 0; i < 8; i++)
        {
            simulation.RunFor(TimeSpan.FromMilliseconds(script.Next(100, 3000)));
            var offset = TimeSpan.FromMilliseconds(script.Next(0, 15));
            switch (script.Next(4))
            {
                case 0:
                    a.RekeyChild(P1, P2);
                    break;
                case 1:
                    b.RekeyChild(P1, P2);
                    break;
                case 2:
                    a.RekeyChild(P1, P2);
                    simulation.After(offset, () => b.RekeyChild(P1, P2));
                    break;
                default:
                    a.RekeyIke(P1);
                    simulation.After(offset, () => b.RekeyIke(P1));
                    break;
            }
        }
    }
}
