using SharpSwan.Simulation.Tests.Support;
using Xunit.Abstractions;

namespace SharpSwan.Simulation.Tests;

public sealed class SweepTmp(ITestOutputHelper output)
{
    [Fact]
    public void Sweep()
    {
        var failures = new List<string>();
        foreach (var seed in new[] { 7 })
        {
            try
            {
                CheckedScenario.Run(seed, (simulation, _) =>
                {
                    simulation.LogWritten += l => { if (l.Time - simulation.Clock.Start > TimeSpan.FromSeconds(2.1) && l.Time - simulation.Clock.Start < TimeSpan.FromSeconds(2.6) && !l.Text.Contains("IKEv2 exchange")) output.WriteLine("LOG " + l); };
                    simulation.EventRecorded += e => { if (e.Time - simulation.Clock.Start > TimeSpan.FromSeconds(2.1) && e.Time - simulation.Clock.Start < TimeSpan.FromSeconds(2.6)) output.WriteLine("LOG " + e); };
                    var (a, b) = simulation.AddPair(TunnelConfig.SiteA.Cheap(120) with { AutoNegotiate = true }, TunnelConfig.SiteB.Cheap(120) with { AutoNegotiate = true });
                    simulation.Network.SetLink(Scenario.AddressA, Scenario.AddressB, LinkConditions.Default with { Jitter = TimeSpan.FromMilliseconds(seed % 3 * 15) });
                    simulation.Start();
                    simulation.RunFor(TimeSpan.FromSeconds(1));
                    using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(3));
                    var rnd = new Random(seed);
                    for (var i = 0; i < 8; i++)
                    {
                        simulation.RunFor(TimeSpan.FromMilliseconds(rnd.Next(100, 3000)));
                        var which = rnd.Next(4);
                        if (which == 0) a.RekeyChild("vpn", "vpn-p2");
                        if (which == 1) b.RekeyChild("vpn", "vpn-p2");
                        if (which == 2) { a.RekeyChild("vpn", "vpn-p2"); simulation.After(TimeSpan.FromMilliseconds(rnd.Next(0, 15)), () => b.RekeyChild("vpn", "vpn-p2")); }
                        if (which == 3) { a.RekeyIke("vpn"); simulation.After(TimeSpan.FromMilliseconds(rnd.Next(0, 15)), () => b.RekeyIke("vpn")); }
                    }
                    simulation.RunFor(TimeSpan.FromSeconds(200));
                    traffic.Stop();
                    simulation.RunFor(TimeSpan.FromSeconds(2));
                    traffic.AssertNothingLost();
                    Assert.Single(a.InstalledSas);
                    Assert.Single(b.InstalledSas);
                    Assert.Single(a.IkeSas);
                });
            }
            catch (Exception ex)
            {
                failures.Add(ex.Message);
            }
        }
        foreach (var f in failures) output.WriteLine(f);
        Assert.Empty(failures);
    }
}
