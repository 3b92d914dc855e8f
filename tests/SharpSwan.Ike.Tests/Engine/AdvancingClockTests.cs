using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// On a real clock time moves between two reads inside one Tick; a simulated clock stands still. Timers must fire all the
/// same: here the clock advances a microsecond on every read.
/// </summary>
public sealed class AdvancingClockTests
{
    [Theory]
    [InlineData("set auto-negotiate enable", "")]
    [InlineData("", "set auto-negotiate enable")]
    public void Auto_negotiate_brings_the_tunnel_up_at_start_when_time_moves_within_a_tick(string phase1Extra, string phase2Extra)
    {
        using var network = new EngineNetwork();
        var a = network.Add("A", "192.0.2.1", EngineNetwork.SiteToSite("to-b", "to-b-p2", "192.0.2.1", "198.51.100.2", "10.1.0.0", "10.2.0.0", phase1Extra: phase1Extra, phase2Extra: phase2Extra));
        var b = network.Add("B", "198.51.100.2", EngineNetwork.SiteToSite("to-a", "to-a-p2", "198.51.100.2", "192.0.2.1", "10.2.0.0", "10.1.0.0"));
        network.Clock.AutoAdvanceAmount = TimeSpan.FromTicks(10);
        a.Engine.Start();
        network.Run(TimeSpan.FromSeconds(10));

        Assert.Single(b.Of<IkeSaEstablished>());
        Assert.Single(a.Of<ChildSaInstalled>());
    }
}
