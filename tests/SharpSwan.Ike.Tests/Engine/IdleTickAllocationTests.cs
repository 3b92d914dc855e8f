using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// The gateway's engine loop calls Tick on every turn (every message); with nothing due, a Tick takes nothing from the
/// timer queues and must not leave garbage behind, whatever the number of SAs.
/// </summary>
public sealed class IdleTickAllocationTests
{
    [Fact]
    public void A_tick_with_nothing_due_allocates_nothing()
    {
        using var network = new EngineNetwork();
        var a = network.Add("A", "192.0.2.1", EngineNetwork.SiteToSite("to-b", "to-b-p2", "192.0.2.1", "198.51.100.2", "10.1.0.0", "10.2.0.0", phase2Extra: "set auto-negotiate enable"), verifyTimerIndex: false);
        var b = network.Add("B", "198.51.100.2", EngineNetwork.SiteToSite("to-a", "to-a-p2", "198.51.100.2", "192.0.2.1", "10.2.0.0", "10.1.0.0"), verifyTimerIndex: false);
        a.Engine.Start();
        network.Run(TimeSpan.FromSeconds(10));
        Assert.Single(a.Of<ChildSaInstalled>());
        Assert.Single(b.Of<ChildSaInstalled>());

        // The clock stands still here, so nothing becomes due between calls.
        var (initiator, _) = SteadyAllocation.Measure(a.Engine.Tick, warmUp: 50, batchSize: 200);
        var (responder, _) = SteadyAllocation.Measure(b.Engine.Tick, warmUp: 50, batchSize: 200);

        Assert.Equal(0, initiator);
        Assert.Equal(0, responder);
    }
}
