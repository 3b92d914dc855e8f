using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// IKEv1 dial-up (`type dynamic`, main mode with a pre-shared key) between two SharpSwan gateways: the branch dials in,
/// the hub answers from its dynamic phase 1, gives the peer its own instance, and traffic flows both ways.
/// </summary>
public sealed class Ikev1DialUpTests
{
    [Fact]
    public void A_branch_dials_in_over_main_mode_gets_its_own_instance_and_traffic_flows_both_ways() =>
        Ikev1Rig.Run(seed: 1351, Ikev1Rig.DialUpHub, Ikev1Rig.Branch, rig =>
        {
            var hub = rig.A;
            rig.Establish();

            var created = Assert.Single(hub.Events<DialupInstanceCreated>());
            Assert.Equal(Ikev1Rig.P1, created.Template);
            var sa = Assert.Single(hub.IkeSas);
            Assert.False(sa.IsOriginalInitiator);
            Assert.Equal(Ikev1Rig.FirstInstance, sa.Phase1);
            Assert.Single(hub.InstalledSas);
            rig.AssertTrafficBothWays(3);
        });

    [Fact]
    public void When_the_branch_deletes_its_isakmp_sa_the_hub_removes_the_instance() =>
        Ikev1Rig.Run(seed: 1352, Ikev1Rig.DialUpHub, Ikev1Rig.Branch with { AutoNegotiate = false }, rig =>
        {
            var (hub, branch) = rig;
            branch.SendTraffic(Scenario.PacketBToA(0));
            rig.Establish();

            Assert.True(branch.Terminate(Ikev1Rig.P1, null));
            Assert.True(rig.Simulation.RunUntil(() => hub.IkeSas.Count == 0, TimeSpan.FromSeconds(10)), "the hub kept the ISAKMP SA the branch deleted");
            rig.RunFor(1);

            Assert.Single(hub.Events<DialupInstanceRemoved>());
            Assert.Empty(hub.InstalledSas);
        });
}
