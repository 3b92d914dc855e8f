using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Events;

/// <summary>The gateway's event stream: typed fan-out of a real engine's events, isolation of a failing subscriber, unsubscribe.</summary>
public sealed class GatewayEventsTests
{
    [Fact]
    public void EverySubscriberGetsTheEventsOfItsType_AFailingOneIsReportedAndSkipped()
    {
        var errors = new StringWriter();
        var stream = new GatewayEvents(errors);
        var all = new List<IkeEvent>();
        var installs = new List<ChildSaInstalled>();
        stream.Subscribe<IkeEvent>(_ => throw new InvalidOperationException("broken consumer"));
        stream.Subscribe<IkeEvent>(all.Add);
        var installsOnly = stream.Subscribe<ChildSaInstalled>(installs.Add);
        using var network = new EngineNetwork();
        var gateway = network.Add("gateway", "192.0.2.1", EngineNetwork.SiteToSite("to-branch", "to-branch-p2", "192.0.2.1", "198.51.100.2", "10.1.0.0", "10.2.0.0"));
        network.Add("branch", "198.51.100.2", EngineNetwork.SiteToSite("to-hq", "to-hq-p2", "198.51.100.2", "192.0.2.1", "10.2.0.0", "10.1.0.0"));
        gateway.Published += stream.Publish;

        Assert.True(gateway.Engine.Initiate("to-branch", "to-branch-p2"));
        network.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(gateway.Events, all);
        Assert.Equal(gateway.Of<ChildSaInstalled>(), installs);
        Assert.Single(installs);
        Assert.Contains("broken consumer", errors.ToString(), StringComparison.Ordinal);

        installsOnly.Dispose();
        Assert.True(gateway.Engine.RekeyChild("to-branch", "to-branch-p2"));
        network.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(2, gateway.Of<ChildSaInstalled>().Count);
        Assert.Single(installs);
        Assert.Equal(gateway.Events, all);
    }
}
