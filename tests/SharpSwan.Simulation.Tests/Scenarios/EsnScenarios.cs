using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 11 item 15, <c>esn</c>: the packet core has 32-bit sequence numbers only, so <c>esn require</c> is refused in
/// configuration (SettingsWalkTests) and <c>esn allow</c> negotiates what allow permits when one side lacks ESN: 32-bit
/// numbers. Shown across the 2^32 boundary with the counter fast-forwarded: the SA runs out instead of going on with a
/// 64-bit counter, and its successor carries the traffic.
/// </summary>
public sealed class EsnScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Theory]
    [InlineData("allow", "allow", 11201)]
    [InlineData("allow", "disable", 11202)]
    public void Esn_allow_comes_up_with_32_bit_sequence_numbers_that_run_out_at_2_to_the_32(string esnA, string esnB, int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Esn = esnA }, TunnelConfig.SiteB with { Esn = esnB });
            Assert.Contains(a.Configuration.Phase1[0].OtherSettings, s => s.Name == "esn" && s.Values[0] == esnA);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            var before = a.ActiveOutboundSpi(P1, P2);
            Assert.True(a.FastForwardOutboundSequence(P1, P2, uint.MaxValue - 2));
            var received = new List<int>();
            b.PacketReceived += (_, _, packet) => received.Add(Scenario.SequenceOf(packet));

            for (var i = 0; i < 5; i++)
            {
                a.SendTraffic(P1, P2, Scenario.PacketAToB(i));
            }

            simulation.RunFor(TimeSpan.FromSeconds(2));

            // Two packets get the last 32-bit numbers; three find none left (a 64-bit counter would have carried them on).
            Assert.Equal([0, 1], received);
            Assert.Equal(3, a.Traffic(P1, P2).SequenceExhausted);
            Assert.NotEqual(before, a.ActiveOutboundSpi(P1, P2));
            Assert.True(a.SendTraffic(P1, P2, Scenario.PacketAToB(5)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal([0, 1, 5], received);
        });
}
