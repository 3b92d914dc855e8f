using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// A stopping gateway deletes its SAs and brings nothing up again, not even an auto-negotiate phase 2 whose SA it has
/// just deleted (the peer would otherwise keep a fresh SA that nobody answers for).
/// </summary>
public sealed class StopTests
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    [Fact]
    public void Stop_DeletesTheSas_AndAutoNegotiateDoesNotBringThemBack()
    {
        using var network = new EngineNetwork();
        var a = network.Add("A", "192.0.2.1", EngineNetwork.SiteToSite("to-b", "to-b-p2", "192.0.2.1", "198.51.100.2", "10.1.0.0", "10.2.0.0", phase2Extra: "set auto-negotiate enable"));
        var b = network.Add("B", "198.51.100.2", EngineNetwork.SiteToSite("to-a", "to-a-p2", "198.51.100.2", "192.0.2.1", "10.2.0.0", "10.1.0.0"));
        a.Engine.Start();
        network.Run(Settle);
        Assert.Single(b.Of<IkeSaEstablished>());

        a.Engine.Stop();
        network.Run(TimeSpan.FromSeconds(60));

        Assert.Single(b.Of<IkeSaDeleted>());
        Assert.Single(a.Of<IkeSaEstablished>());
        Assert.Single(a.Of<IkeSaInitSent>());
        Assert.Single(b.Of<IkeSaEstablished>());
        Assert.All(a.Engine.Tunnels, t => Assert.Null(t.Current));
    }
}
