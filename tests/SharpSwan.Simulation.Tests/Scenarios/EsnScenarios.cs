using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 11 item 15, <c>esn</c>, SharpSwan to SharpSwan with the counter fast-forwarded across 2^32: with extended
/// sequence numbers (require, or allow on both sides, which prefers them) traffic flows across the boundary with no loss
/// and no rekey; when one side lacks them, allow comes up with 32-bit numbers that run out at 2^32, and require fails
/// with a typed reason.
/// </summary>
public sealed class EsnScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;
    private const ulong Boundary = 1UL << 32;

    [Theory]
    [InlineData("require", "require", 11203)]
    [InlineData("allow", "allow", 11201)]
    [InlineData("allow", "require", 11204)]
    public void Extended_sequence_numbers_carry_traffic_across_2_to_the_32_with_no_loss(string esnA, string esnB, int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Esn = esnA }, TunnelConfig.SiteB with { Esn = esnB });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            var before = a.ActiveOutboundSpi(P1, P2);
            Assert.True(a.ActiveSa(P1, P2)!.Install.Suite.ExtendedSequenceNumbers);
            Assert.True(b.ActiveSa(P1, P2)!.Install.Suite.ExtendedSequenceNumbers);

            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(20));
            simulation.RunFor(TimeSpan.FromSeconds(1));

            // Mid-stream, both counters jump to just below the boundary; the packets after cross it.
            Assert.True(a.FastForwardOutboundSequence(P1, P2, Boundary - 10));
            Assert.True(b.FastForwardOutboundSequence(P1, P2, Boundary - 10));
            simulation.RunFor(TimeSpan.FromSeconds(2));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            traffic.AssertNothingLost();
            Assert.Equal(before, a.ActiveOutboundSpi(P1, P2));
            Assert.True(a.ActiveSa(P1, P2)!.Outbound.LastSequenceNumber > Boundary + 50);
            Assert.True(b.ActiveSa(P1, P2)!.Inbound.LastSequenceNumber > Boundary + 50);
            Assert.True(a.ActiveSa(P1, P2)!.Inbound.LastSequenceNumber > Boundary + 50);
            Assert.Equal(0, a.Traffic(P1, P2).SequenceExhausted);
            Assert.Equal(0, b.ActiveSa(P1, P2)!.Inbound.AuthenticationFailures);
            Assert.DoesNotContain(a.Timeline, e => e.Kind is SimulationEventKind.SequenceSoftLimit or SimulationEventKind.SequenceExhausted);
        });

    [Fact]
    public void Allow_against_disable_comes_up_with_32_bit_sequence_numbers_that_run_out_at_2_to_the_32() =>
        Scenario.Run(11202, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Esn = "allow" }, TunnelConfig.SiteB with { Esn = "disable" });
            Assert.Equal(Config.EsnMode.Allow, a.Configuration.Phase1[0].Esn);
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            Assert.False(a.ActiveSa(P1, P2)!.Install.Suite.ExtendedSequenceNumbers);
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

    [Theory]
    [InlineData(true, 11205)]
    [InlineData(false, 11206)]
    public void Require_against_a_peer_without_esn_fails_with_a_typed_reason_on_the_requiring_side(bool requiringSideInitiates, int seed) =>
        Scenario.Run(seed, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Esn = "require" }, TunnelConfig.SiteB with { Esn = "disable" });
            simulation.Start();
            Assert.True(requiringSideInitiates ? a.Initiate(P1, P2) : b.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(5));

            Assert.Null(a.ActiveSa(P1, P2));
            Assert.Null(b.ActiveSa(P1, P2));
            var failure = a.Events<NegotiationFailed>().FirstOrDefault(e => e.EsnRequired);
            Assert.NotNull(failure);
            Assert.Equal(NegotiationStage.ChildSa, failure.Stage);
            Assert.Equal(NotifyType.NoProposalChosen, failure.Notify);
            Assert.Equal(!requiringSideInitiates, failure.NotifySent);
            Assert.DoesNotContain(b.Events<NegotiationFailed>(), e => e.EsnRequired);
        });
}
