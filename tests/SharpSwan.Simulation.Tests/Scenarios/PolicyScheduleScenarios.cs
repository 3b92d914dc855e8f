using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// A policy naming a recurring schedule sends traffic into its tunnel only inside the schedule, decided on the
/// simulation's virtual time (UTC) by the same <c>PolicyTable</c> the gateway renders into nftables.
/// </summary>
public sealed class PolicyScheduleScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    // The simulation starts on Wednesday 2025-01-01 00:00 UTC.
    private const string Office = """
        config firewall schedule recurring
            edit "office"
                set start 08:00
                set end 17:00
                set day wednesday
            next
        end

        """;

    [Fact]
    public void Traffic_is_encrypted_inside_the_schedule_and_dropped_outside_it()
    {
        CheckedScenario.Run(seed: 38101, (simulation, _) =>
        {
            var a0 = TunnelConfig.SiteA with { PolicyMode = true, AutoNegotiate = true, PolicySchedule = "office", ScheduleTables = Office };
            var (a, b) = simulation.AddPair(a0, TunnelConfig.SiteB with { PolicyMode = true });
            simulation.Start();
            simulation.RunUntilEstablished(a, b);

            simulation.RunUntil(new DateTimeOffset(2025, 1, 1, 7, 59, 0, TimeSpan.Zero));
            Assert.False(a.SendTraffic(Scenario.Packet("10.1.0.5", "10.2.0.7", 1)));
            Assert.Equal(1, a.PolicyDeniedPackets);

            simulation.RunUntil(new DateTimeOffset(2025, 1, 1, 8, 0, 0, TimeSpan.Zero));
            Assert.True(a.SendTraffic(Scenario.Packet("10.1.0.5", "10.2.0.7", 2)));
            simulation.RunUntil(new DateTimeOffset(2025, 1, 1, 16, 59, 0, TimeSpan.Zero));
            Assert.True(a.SendTraffic(Scenario.Packet("10.1.0.6", "10.2.0.7", 3)));

            simulation.RunUntil(new DateTimeOffset(2025, 1, 1, 17, 0, 0, TimeSpan.Zero));
            Assert.False(a.SendTraffic(Scenario.Packet("10.1.0.8", "10.2.0.7", 4)));
            simulation.RunUntil(new DateTimeOffset(2025, 1, 2, 9, 0, 0, TimeSpan.Zero));
            Assert.False(a.SendTraffic(Scenario.Packet("10.1.0.9", "10.2.0.7", 5)));

            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(2, b.Traffic(P1, P2).Delivered);
            Assert.Equal(3, a.PolicyDeniedPackets);
            Assert.Equal(2, a.Policies.Policies[0].Hits);
            Assert.Equal(3, a.Policies.ImplicitDenyHits);
        });
    }
}
