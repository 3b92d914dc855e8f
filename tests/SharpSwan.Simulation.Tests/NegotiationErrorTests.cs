using System.Net;
using SharpSwan.Crypto;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

public sealed class NegotiationErrorTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    [Fact]
    public void INVALID_KE_PAYLOAD_in_IKE_SA_INIT_makes_the_initiator_retry_with_the_group_the_responder_wants()
    {
        Scenario.Run(seed: 5001, simulation =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA with { DhGroups = "19 20" },
                TunnelConfig.SiteB with { DhGroups = "20" });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            Assert.Contains(a.Events<IkeSaInitSent>(), e => e.DhGroup == 19);
            Assert.Contains(b.Events<DhGroupDemanded>(), e => e.Offered == 19 && e.Wanted == 20);
            Assert.Contains(a.Events<RetryingWithDhGroup>(), e => e.DhGroup == 20 && e.Phase2 is null);
            Assert.Equal(DiffieHellmanGroup.Ecp384, Assert.Single(a.IkeSas).Suite!.Group);
            Assert.Equal(DiffieHellmanGroup.Ecp384, Assert.Single(b.IkeSas).Suite!.Group);
            Assert.Single(a.InstalledSas);
        });
    }

    [Fact]
    public void INVALID_KE_PAYLOAD_in_a_PFS_CREATE_CHILD_SA_makes_the_initiator_retry_with_the_group_the_responder_wants()
    {
        Scenario.Run(seed: 5002, simulation =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA with { Phase2DhGroups = "19 20" },
                TunnelConfig.SiteB with { Phase2DhGroups = "20" });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);
            var first = a.InstalledSas.Single();

            // The IKE_AUTH child has no KE payload; the rekey is the first PFS exchange and proposes group 19 first.
            Assert.True(a.RekeyChild(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(3));

            Assert.Contains(a.Events<RetryingWithDhGroup>(), e => e.DhGroup == 20 && e.Phase2 == "vpn-p2");
            var rekeyedA = Assert.Single(a.InstalledSas);
            var rekeyedB = Assert.Single(b.InstalledSas);
            Assert.NotEqual(first.InboundSpi, rekeyedA.InboundSpi);
            Assert.Equal(rekeyedA.InboundSpi, rekeyedB.OutboundSpi);
            Assert.Equal(DiffieHellmanGroup.Ecp384, rekeyedA.Suite.Group);
            Assert.Equal(DiffieHellmanGroup.Ecp384, rekeyedB.Suite.Group);
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
        });
    }

    [Fact]
    public void A_responder_demanding_a_COOKIE_gets_the_request_again_with_the_cookie_and_the_SA_is_established()
    {
        Scenario.Run(seed: 5003, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA, TunnelConfig.SiteB, optionsB: o => o with { CookieThreshold = 0 });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            Assert.Single(b.Events<CookieDemanded>(), e => e.Remote is { Port: 500 } remote && remote.Address.Equals(IPAddress.Parse("192.0.2.1")));
            Assert.NotEmpty(a.Events<RetryingWithCookie>());
            Assert.Equal(a.IkeSas.Single().InitiatorSpi, b.IkeSas.Single().InitiatorSpi);
            Assert.Single(b.InstalledSas);
        });
    }

    [Fact]
    public void Disjoint_IKE_proposals_end_in_NO_PROPOSAL_CHOSEN_with_no_SA_on_either_side()
    {
        Scenario.Run(seed: 5004, simulation =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA.WithSuite("aes256gcm-prfsha384", "20", "aes256gcm"),
                TunnelConfig.SiteB.WithSuite("aes128-sha256", "14", "aes128-sha256"));
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(40));

            Assert.Empty(a.IkeSas);
            Assert.Empty(b.IkeSas);
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.Contains(a.Events<NegotiationFailed>(), e => e.Phase2 is null && e.Notify == NotifyType.NoProposalChosen && !e.NotifySent);
            Assert.Contains(b.Events<NegotiationFailed>(), e => e.Stage == NegotiationStage.IkeSaInit && e.Notify == NotifyType.NoProposalChosen && e.NotifySent);
            Assert.DoesNotContain(simulation.Timeline, e => e.Kind == SimulationEventKind.IkeUp);
        });
    }

    [Fact]
    public void Disjoint_ESP_proposals_leave_the_IKE_SA_up_without_a_child()
    {
        Scenario.Run(seed: 5005, simulation =>
        {
            var (a, b) = simulation.AddPair(
                TunnelConfig.SiteA with { Phase2Proposals = "aes256gcm" },
                TunnelConfig.SiteB with { Phase2Proposals = "aes128-sha256" });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(5));

            Assert.Single(a.IkeSas);
            Assert.Single(b.IkeSas);
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.Contains(b.Events<NegotiationFailed>(), e => e.Stage == NegotiationStage.ChildSa && e.Phase2 == "vpn-p2" && e.Notify == NotifyType.NoProposalChosen && e.NotifySent);
            Assert.Contains(a.Events<NegotiationFailed>(), e => e.Notify == NotifyType.NoProposalChosen && !e.NotifySent);
        });
    }

    [Fact]
    public void Different_preshared_keys_end_in_AUTHENTICATION_FAILED_with_no_SA_on_either_side()
    {
        Scenario.Run(seed: 5006, simulation =>
        {
            var (a, b) = simulation.AddPair(TunnelConfig.SiteA with { Psk = "one-secret" }, TunnelConfig.SiteB with { Psk = "another-secret" });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunFor(TimeSpan.FromSeconds(40));

            Assert.Empty(a.IkeSas);
            Assert.Empty(b.IkeSas);
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
            Assert.Contains(b.Events<AuthenticationFailed>(), e => e.Reason.StartsWith("PSK auth failed", StringComparison.Ordinal));
            Assert.Contains(a.Events<NegotiationFailed>(), e => e.Notify == NotifyType.AuthenticationFailed && !e.NotifySent);
            Assert.DoesNotContain(simulation.Timeline, e => e.Kind == SimulationEventKind.IkeUp);

            // The secrets never reach the log.
            Assert.DoesNotContain(simulation.Log, l => l.Text.Contains("secret", StringComparison.OrdinalIgnoreCase));
        });
    }
}
