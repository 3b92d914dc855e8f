using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// IKEv1 dial-up (`type dynamic`, main mode with a pre-shared key) between two SharpSwan gateways: the branch dials in,
/// the hub answers from its dynamic phase 1, gives the peer its own instance, and traffic flows both ways.
/// </summary>
public sealed class Ikev1DialUpTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Fact]
    public void A_branch_dials_in_over_main_mode_gets_its_own_instance_and_traffic_flows_both_ways() =>
        Scenario.Run(seed: 1351, simulation =>
        {
            var (hub, branch) = simulation.AddPair(TunnelConfig.SiteA.Ikev1() with { Type = "dynamic" }, TunnelConfig.SiteB.Ikev1() with { AutoNegotiate = true });
            simulation.Start();
            simulation.RunUntilEstablished(hub, branch);

            var created = Assert.Single(hub.Events<DialupInstanceCreated>());
            Assert.Equal(P1, created.Template);
            var sa = Assert.Single(hub.IkeSas);
            Assert.False(sa.IsOriginalInitiator);
            Assert.Equal($"{P1}_0", sa.Phase1);
            Assert.Single(hub.InstalledSas);

            for (var i = 0; i < 3; i++)
            {
                Assert.True(branch.SendTraffic(Scenario.PacketBToA(i)));
                Assert.True(hub.SendTraffic(Scenario.PacketAToB(i)));
            }

            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(3, hub.Traffic($"{P1}_0", P2).Delivered);
            Assert.Equal(3, branch.Traffic(P1, P2).Delivered);
        });

    [Fact]
    public void When_the_branch_deletes_its_isakmp_sa_the_hub_removes_the_instance() =>
        Scenario.Run(seed: 1352, simulation =>
        {
            var (hub, branch) = simulation.AddPair(TunnelConfig.SiteA.Ikev1() with { Type = "dynamic" }, TunnelConfig.SiteB.Ikev1());
            simulation.Start();
            branch.SendTraffic(Scenario.PacketBToA(0));
            simulation.RunUntilEstablished(hub, branch);

            Assert.True(branch.Terminate(P1, null));
            Assert.True(simulation.RunUntil(() => hub.IkeSas.Count == 0, TimeSpan.FromSeconds(10)), "the hub kept the ISAKMP SA the branch deleted");
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Single(hub.Events<DialupInstanceRemoved>());
            Assert.Empty(hub.InstalledSas);
        });
}
