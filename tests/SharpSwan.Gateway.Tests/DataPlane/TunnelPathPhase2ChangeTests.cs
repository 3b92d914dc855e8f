using SharpSwan.Config;
using SharpSwan.Esp.Core;
using SharpSwan.Gateway.DataPlane;

namespace SharpSwan.Gateway.Tests.DataPlane;

/// <summary>
/// A live change's phase 2s in the data plane (TunnelPath.ChangePhase2): a phase 2 whose SAs the engine keeps keeps its
/// path (its SAs, counters and trigger queue) with the new settings; one the engine renegotiates gets a new path, as
/// does a new one, and a removed one goes.
/// </summary>
public sealed class TunnelPathPhase2ChangeTests
{
    private static readonly Phase2Settings First = new() { Name = "p2", Phase1Name = "p1" };
    private static readonly Phase2Settings Second = new() { Name = "p2-b", Phase1Name = "p1" };

    [Fact]
    public void A_phase2_changed_only_in_keepalive_auto_negotiate_or_trigger_queue_keeps_its_path_with_the_new_settings()
    {
        var kept = new Phase2Path("p1", First);
        var tunnel = new TunnelPath(null!, null!, [kept]);
        var changed = First with { Keepalive = true, AutoNegotiate = true, TriggerQueue = 32 };

        tunnel.ChangePhase2([changed], initiates: true, p => new Phase2Path("p1", p));

        Assert.Same(kept, Assert.Single(tunnel.Phase2));
        Assert.Equal(changed, kept.Settings);
        Assert.Equal(32, kept.Trigger.Capacity);
    }

    [Fact]
    public void A_phase2_changed_in_what_its_SAs_were_negotiated_with_gets_a_new_path_and_a_removed_one_goes()
    {
        var old = new Phase2Path("p1", First);
        var removed = new Phase2Path("p1", Second);
        var tunnel = new TunnelPath(null!, null!, [old, removed]);
        var changed = First with { KeyLifeSeconds = 7200 };

        tunnel.ChangePhase2([changed], initiates: true, p => new Phase2Path("p1", p));

        var path = Assert.Single(tunnel.Phase2);
        Assert.NotSame(old, path);
        Assert.Equal(changed, path.Settings);
    }

    [Fact]
    public void A_path_of_a_phase1_that_turned_dial_up_server_is_made_anew()
    {
        var old = new Phase2Path("p1", First, initiates: true);
        var tunnel = new TunnelPath(null!, null!, [old]);

        tunnel.ChangePhase2([First], initiates: false, p => new Phase2Path("p1", p, initiates: false));

        Assert.False(Assert.Single(tunnel.Phase2).Initiates);
    }
}
