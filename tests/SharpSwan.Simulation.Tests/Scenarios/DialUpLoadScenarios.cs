using System.Net;
using SharpSwan.Ike.Logging;
using Xunit.Abstractions;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 6: one dial-up hub holding 1,000 connected peers at once (each its own instance with an address from the pool),
/// with the hub's memory per peer measured and bounded.
/// </summary>
/// <remarks>Runs alone: other tests allocating at the same time would blur the memory figure.</remarks>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class DialUpLoadScenarios(ITestOutputHelper output)
{
    private const int Peers = 1000;

    // Generous bound: a peer is one IKE SA, one child SA pair with its ESP contexts, and an instance; a leak per peer
    // (a kept message, a log line, an unbounded cache) would blow well past it.
    private const long MaxBytesPerPeer = 96 * 1024;

    [Fact]
    public void A_hub_holds_a_thousand_dial_up_peers_with_unique_addresses_and_bounded_memory()
    {
        using var simulation = new Simulation(61100) { KeepRecords = false };
        var hub = simulation.AddGateway("hub", DialUpInstanceScenarios.HubConfig(poolSize: Peers), DialUpInstanceScenarios.HubAddress);
        hub.LogLevel = 0;
        simulation.Start();
        simulation.RunFor(TimeSpan.FromSeconds(1));
        var baseline = RetainedBytes();

        for (var i = 0; i < Peers; i++)
        {
            var client = simulation.AddGateway($"c{i}", DialUpInstanceScenarios.ClientConfig($"peer{i}.lab", autoNegotiate: true), DialUpInstanceScenarios.ClientAddress(i));
            client.LogLevel = 0;
            client.Start();
        }

        var connected = simulation.RunUntil(() => hub.Engine.InstancesOf("dialup").Count(t => t.Current?.Children.Count == 1) == Peers, TimeSpan.FromMinutes(5));
        var instances = hub.Engine.InstancesOf("dialup").ToList();
        Assert.True(connected, $"{instances.Count} instances, {instances.Count(t => t.Current?.Children.Count == 1)} with a child SA after 5 virtual minutes");
        Assert.Equal(Peers, instances.Select(t => t.Name).Distinct().Count());
        Assert.Equal(Peers, instances.Select(t => t.AssignedAddress!.ToString()).Distinct().Count());
        Assert.Equal((Peers, Peers), hub.Engine.PoolUsage("dialup"));
        Assert.Equal(Peers, instances.Select(t => t.Current!.PeerIdentity).Distinct().Count());

        // Spot-check the data path: the hub reaches a few peers on their own SAs.
        foreach (var index in new[] { 0, 417, Peers - 1 })
        {
            var client = simulation.Gateway($"c{index}");
            var address = client.Engine.Tunnels.Single().AssignedAddress!;
            Assert.True(hub.SendTraffic(Support.Scenario.Packet("10.1.0.5", address.ToString(), index)));
            simulation.RunFor(TimeSpan.FromMilliseconds(100));
            Assert.Equal(1, client.Traffic("to-hub", "to-hub-p2").Delivered);
        }

        // Take the clients away without a word (as if unplugged): what stays allocated is the hub's state for them.
        for (var i = 0; i < Peers; i++)
        {
            simulation.RemoveGateway($"c{i}");
        }

        Assert.Equal(Peers, hub.Engine.InstancesOf("dialup").Count());
        var perPeer = (RetainedBytes() - baseline) / Peers;
        output.WriteLine($"dial-up hub: {Peers} peers connected, retained managed memory {perPeer} bytes per peer ({perPeer / 1024.0:F1} KiB)");
        Assert.InRange(perPeer, 1, MaxBytesPerPeer);
    }

    private static long RetainedBytes()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
