using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// IKEv1 dead peer detection (RFC 3706 R-U-THERE/ACK) between two SharpSwan gateways, honouring the phase 1's `dpd`,
/// `dpd-retryinterval` and `dpd-retrycount` as the IKEv2 code does.
/// </summary>
public sealed class Ikev1DpdTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    private static readonly TunnelConfig OnIdle = TunnelConfig.SiteA.Ikev1() with { AutoNegotiate = true, Dpd = "on-idle", DpdRetryInterval = 10 };

    [Fact]
    public void A_peer_that_dies_is_found_dead_by_r_u_there_its_sas_go_down_and_auto_negotiate_brings_the_tunnel_back()
    {
        var a = TunnelConfig.SiteA.Ikev1() with { AutoNegotiate = true, Dpd = "on-demand", DpdRetryInterval = 5, DpdRetryCount = 2 };
        Ikev1Rig.Run(seed: 1341, a, TunnelConfig.SiteB.Ikev1() with { Dpd = "on-demand" }, rig =>
        {
            var (gatewayA, gatewayB) = rig;
            var simulation = rig.Simulation;
            rig.Establish();
            var before = Assert.Single(gatewayA.IkeSas).InitiatorSpi;
            using var traffic = simulation.Every(TimeSpan.FromSeconds(1), () => gatewayA.SendTraffic(Scenario.PacketAToB(0)));

            gatewayB.Crash();
            Assert.True(simulation.RunUntil(() => gatewayA.Events<DpdFailed>().Any(), TimeSpan.FromMinutes(2)), "A never declared B dead");

            var failure = Assert.Single(gatewayA.Events<DpdFailed>());
            Assert.Equal(2, failure.Probes);
            Assert.NotEmpty(gatewayA.Events<LivenessProbeSent>());
            Assert.Contains(gatewayA.Events<RequestRetransmitted>(), e => e.Exchange == "DPD");
            Assert.DoesNotContain(gatewayA.IkeSas, sa => sa.InitiatorSpi == before && sa.State == IkeSaState.Established);
            Assert.DoesNotContain(gatewayA.InstalledSas, sa => sa.IsActiveOutbound);

            gatewayB.Boot();
            var back = simulation.RunUntil(
                () => gatewayA.IkeSas.Any(sa => sa.State == IkeSaState.Established && sa.InitiatorSpi != before) && gatewayB.InstalledSas.Count == 1,
                TimeSpan.FromMinutes(2));
            Assert.True(back, "auto-negotiate never brought the tunnel back");
            Assert.NotEmpty(gatewayA.Events<AutoNegotiateAttempted>());
            var delivered = gatewayB.Traffic(P1, P2).Delivered;
            simulation.RunFor(TimeSpan.FromSeconds(5));
            Assert.True(gatewayB.Traffic(P1, P2).Delivered > delivered);
        });
    }

    [Fact]
    public void On_idle_probes_a_live_peer_every_retry_interval_and_its_acks_keep_the_same_isakmp_sa() =>
        Ikev1Rig.Run(seed: 1342, OnIdle, TunnelConfig.SiteB.Ikev1() with { Dpd = "disable" }, rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            var sa = Assert.Single(a.IkeSas);

            rig.RunFor(120);

            Assert.True(a.Events<LivenessProbeSent>().Count() >= 5);
            Assert.Empty(a.Events<DpdFailed>());
            Assert.Empty(b.Events<LivenessProbeSent>());
            var after = Assert.Single(a.IkeSas);
            Assert.Equal((sa.InitiatorSpi, sa.ResponderSpi), (after.InitiatorSpi, after.ResponderSpi));
            Assert.Equal(IkeSaState.Established, after.State);
            Assert.Single(a.InstalledSas);
        });

    [Fact]
    public void With_dpd_disable_a_dead_peer_is_not_probed_and_its_sa_stays() =>
        Ikev1Rig.Run(seed: 1343, TunnelConfig.SiteA.Ikev1() with { AutoNegotiate = true }, TunnelConfig.SiteB.Ikev1(), rig =>
        {
            var (a, b) = rig;
            rig.Establish();
            using var traffic = rig.Simulation.Every(TimeSpan.FromSeconds(1), () => a.SendTraffic(Scenario.PacketAToB(0)));

            b.Crash();
            rig.RunFor(120);

            Assert.Empty(a.Events<LivenessProbeSent>());
            Assert.Empty(a.Events<DpdFailed>());
            Assert.Equal(IkeSaState.Established, Assert.Single(a.IkeSas).State);
        });
}
