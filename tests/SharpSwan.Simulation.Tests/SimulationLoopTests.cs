using System.Net;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

public sealed class SimulationLoopTests
{
    [Fact]
    public void Every_runs_at_each_period_in_virtual_time_until_disposed()
    {
        using var simulation = new Simulation(1);
        var times = new List<TimeSpan>();
        var schedule = simulation.Every(TimeSpan.FromMilliseconds(250), () => times.Add(simulation.Elapsed));
        simulation.RunFor(TimeSpan.FromSeconds(1));
        schedule.Dispose();
        simulation.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal([250, 500, 750, 1000], times.Select(t => t.TotalMilliseconds));
        Assert.Equal(TimeSpan.FromSeconds(2), simulation.Elapsed);
    }

    [Fact]
    public void RunUntil_with_a_condition_stops_at_the_instant_it_holds()
    {
        using var simulation = new Simulation(1);
        var count = 0;
        simulation.Every(TimeSpan.FromSeconds(1), () => count++);
        Assert.True(simulation.RunUntil(() => count == 3, TimeSpan.FromMinutes(1)));
        Assert.Equal(TimeSpan.FromSeconds(3), simulation.Elapsed);
        Assert.False(simulation.RunUntil(() => count == 100, TimeSpan.FromSeconds(5)));
        Assert.Equal(TimeSpan.FromSeconds(8), simulation.Elapsed);
    }

    [Fact]
    public void An_event_source_that_never_lets_time_move_is_reported_instead_of_hanging()
    {
        using var simulation = new Simulation(1) { MaxStepsPerInstant = 100 };
        void Again() => simulation.At(simulation.Now, Again);
        simulation.After(TimeSpan.FromSeconds(1), Again);
        var error = Assert.Throws<InvalidOperationException>(() => simulation.RunFor(TimeSpan.FromSeconds(5)));
        Assert.Contains("stuck", error.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(1), simulation.Elapsed);
    }

    [Fact]
    public void A_configuration_that_does_not_load_is_rejected_with_its_errors()
    {
        using var simulation = new Simulation(1);
        var error = Assert.Throws<ArgumentException>(() => simulation.AddGateway("X", "config vpn ipsec phase1-interface\n edit \"x\"\n set bogus 1\n next\nend\n", IPAddress.Parse("192.0.2.9")));
        Assert.Contains("does not load", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv4_packets_round_trip_with_a_valid_header_checksum()
    {
        var packet = Ipv4Packet.Create(IPAddress.Parse("10.1.0.5"), IPAddress.Parse("10.2.0.7"), [9, 8, 7]);
        Assert.Equal(23, packet.Length);

        // Summing a correct header including its checksum gives 0xffff (RFC 1071).
        uint sum = 0;
        for (var i = 0; i < 20; i += 2)
        {
            sum += (uint)((packet[i] << 8) | packet[i + 1]);
        }

        while (sum > 0xffff)
        {
            sum = (sum & 0xffff) + (sum >> 16);
        }

        Assert.Equal(0xffffu, sum);
        Assert.True(Ipv4Packet.TryRead(packet, out var source, out var destination, out var payload));
        Assert.Equal(IPAddress.Parse("10.1.0.5"), source);
        Assert.Equal(IPAddress.Parse("10.2.0.7"), destination);
        Assert.Equal([9, 8, 7], payload);
        Assert.False(Ipv4Packet.TryRead(packet.AsSpan(0, 22), out _, out _, out _));
    }
}
