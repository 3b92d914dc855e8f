using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// IKEv1 remote access between two SharpSwan gateways (issue 13): the hub's dial-up phase 1 is an XAUTH server
/// (<c>xauthtype auto</c>, <c>authusrgrp</c>), the branch its client (<c>xauthtype client</c>, <c>authusr</c>,
/// <c>authpasswd</c>). The right password lets quick mode and traffic follow; a wrong one ends the ISAKMP SA on both
/// sides with no IPsec SA and the typed refusal on the hub. With <c>xauthtype chap</c> the hub sends a RADIUS-CHAP challenge
/// and the branch answers MD5 over it, so the same outcomes hold without the password crossing the wire.
/// </summary>
public sealed class Ikev1XauthTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    private const string Users = """
        config user local
            edit "alice"
                set type password
                set passwd "alice-password"
            next
        end
        config user group
            edit "vpn-users"
                set member "alice"
            next
        end

        """;

    private static TunnelConfig Hub => TunnelConfig.SiteA.Ikev1() with
    {
        Type = "dynamic",
        Preamble = Users,
        Phase1Extra = ["set xauthtype auto", "set authusrgrp \"vpn-users\""],
    };

    private static TunnelConfig ChapHub => Hub with { Phase1Extra = ["set xauthtype chap", "set authusrgrp \"vpn-users\""] };

    private static TunnelConfig Branch(string password) => TunnelConfig.SiteB.Ikev1() with
    {
        AutoNegotiate = true,
        Phase1Extra = ["set xauthtype client", "set authusr \"alice\"", $"set authpasswd \"{password}\""],
    };

    [Fact]
    public void The_branch_logs_in_with_xauth_then_quick_mode_and_traffic_follow() =>
        Scenario.Run(seed: 1361, simulation =>
        {
            var (hub, branch) = simulation.AddPair(Hub, Branch("alice-password"));
            simulation.Start();
            simulation.RunUntilEstablished(hub, branch);

            var passed = Assert.Single(hub.Events<XauthSucceeded>());
            Assert.Equal(("alice", "vpn-users"), (passed.User, passed.Group));
            Assert.Equal($"{P1}_0", passed.Phase1);
            Assert.Equal("alice", Assert.Single(branch.Events<XauthSucceeded>()).User);
            Assert.Empty(hub.Events<XauthFailed>());

            // The hub's phase 1 is reported up only after XAUTH passed.
            var events = hub.Events<IkeEvent>().ToList();
            Assert.True(events.IndexOf(passed) < events.FindIndex(e => e is IkeSaEstablished), "IkeSaEstablished came before XauthSucceeded");

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
    public void A_wrong_xauth_password_ends_the_isakmp_sa_on_both_sides_with_no_ipsec_sa() =>
        Scenario.Run(seed: 1362, simulation =>
        {
            var (hub, branch) = simulation.AddPair(Hub, Branch("not-alice-password"));
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(3));

            var refused = Assert.Single(hub.Events<XauthFailed>());
            Assert.Equal(("alice", "vpn-users", XauthFailure.WrongPassword), (refused.User, refused.Group, refused.Failure));
            Assert.Empty(hub.Events<XauthSucceeded>());
            Assert.Empty(hub.Events<IkeSaEstablished>());
            Assert.Empty(hub.IkeSas);
            Assert.Empty(hub.InstalledSas);
            Assert.Single(hub.Events<DialupInstanceRemoved>());
            Assert.Empty(branch.InstalledSas);
            Assert.Contains(branch.Events<NegotiationFailed>(), f => f.Stage == NegotiationStage.IkeAuth);
        });

    [Fact]
    public void Under_chap_the_right_password_logs_in_and_traffic_follows() =>
        Scenario.Run(seed: 1363, simulation =>
        {
            var (hub, branch) = simulation.AddPair(ChapHub, Branch("alice-password"));
            simulation.Start();
            simulation.RunUntilEstablished(hub, branch);

            // The hub accepts only a RADIUS-CHAP answer to its challenge: a password sent as PAP would fail its check.
            var passed = Assert.Single(hub.Events<XauthSucceeded>());
            Assert.Equal(("alice", "vpn-users"), (passed.User, passed.Group));
            Assert.Single(branch.Events<XauthSucceeded>());
            Assert.Empty(hub.Events<XauthFailed>());

            Assert.True(branch.SendTraffic(Scenario.PacketBToA(0)));
            Assert.True(hub.SendTraffic(Scenario.PacketAToB(0)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, hub.Traffic($"{P1}_0", P2).Delivered);
            Assert.Equal(1, branch.Traffic(P1, P2).Delivered);
        });

    [Fact]
    public void Under_chap_a_wrong_password_is_refused_with_the_typed_event_and_no_ipsec_sa() =>
        Scenario.Run(seed: 1364, simulation =>
        {
            var (hub, branch) = simulation.AddPair(ChapHub, Branch("not-alice-password"));
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(3));

            var refused = Assert.Single(hub.Events<XauthFailed>());
            Assert.Equal(("alice", "vpn-users", XauthFailure.WrongPassword), (refused.User, refused.Group, refused.Failure));
            Assert.Empty(hub.Events<XauthSucceeded>());
            Assert.Empty(hub.Events<IkeSaEstablished>());
            Assert.Empty(hub.InstalledSas);
            Assert.Empty(branch.InstalledSas);
            Assert.Contains(branch.Events<NegotiationFailed>(), f => f.Stage == NegotiationStage.IkeAuth);
        });
}
