using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// IKEv1 aggressive-mode dial-up (issue 13, FortiClient's shape) between two SharpSwan gateways: the hub has two
/// aggressive-mode <c>type dynamic</c> phase 1s on one address, told apart by the <c>peerid</c> the branch's first message
/// names; the chosen one's PSK authenticates, its XAUTH server logs the branch in (<c>xauthtype client</c>), and the branch
/// gets its own instance. An ID no phase 1 accepts is refused before anything is answered.
/// </summary>
public sealed class Ikev1AggressiveDialUpTests
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    // A second aggressive-mode dial-up phase 1, listed first, for another peer ID and with another key: the branch must not land on it.
    private const string UsersAndOtherDialUp = """
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
        config vpn ipsec phase1-interface
            edit "other"
                set type dynamic
                set interface "port1"
                set ike-version 1
                set mode aggressive
                set proposal aes128-sha256
                set dhgrp 14
                set dpd disable
                set peertype one
                set peerid "other.example.com"
                set psksecret "a-different-secret"
            next
        end

        """;

    private static TunnelConfig Hub => TunnelConfig.SiteA.Ikev1() with
    {
        Type = "dynamic",
        Mode = "aggressive",
        LocalId = "hq.example.com",
        PeerId = "branch.example.com",
        Preamble = UsersAndOtherDialUp,
        Phase1Extra = ["set xauthtype auto", "set authusrgrp \"vpn-users\""],
    };

    private static TunnelConfig Branch(string localId) => TunnelConfig.SiteB.Ikev1() with
    {
        Mode = "aggressive",
        LocalId = localId,
        PeerId = "hq.example.com",
        AutoNegotiate = true,
        Phase1Extra = ["set xauthtype client", "set authusr \"alice\"", "set authpasswd \"alice-password\""],
    };

    [Fact]
    public void The_branch_id_picks_its_dial_up_phase1_then_xauth_quick_mode_and_traffic_follow() =>
        Scenario.Run(seed: 1371, simulation =>
        {
            var (hub, branch) = simulation.AddPair(Hub, Branch("branch.example.com"));
            simulation.Start();
            simulation.RunUntilEstablished(hub, branch);

            var passed = Assert.Single(hub.Events<XauthSucceeded>());
            Assert.Equal(("alice", "vpn-users", $"{P1}_0"), (passed.User, passed.Group, passed.Phase1));
            Assert.Equal("alice", Assert.Single(branch.Events<XauthSucceeded>()).User);
            var up = Assert.Single(hub.Events<IkeSaEstablished>());
            Assert.Equal(("branch.example.com", $"{P1}_0"), (up.PeerIdentity, up.Phase1));
            Assert.Equal("hq.example.com", Assert.Single(branch.Events<IkeSaEstablished>()).PeerIdentity);
            Assert.Empty(hub.Events<AuthenticationFailed>());

            // Reported up only after XAUTH passed, as after main mode.
            var events = hub.Events<IkeEvent>().ToList();
            Assert.True(events.IndexOf(passed) < events.IndexOf(up), "IkeSaEstablished came before XauthSucceeded");

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
    public void An_id_that_no_dial_up_phase1_accepts_is_refused_before_anything_is_answered() =>
        Scenario.Run(seed: 1372, simulation =>
        {
            var (hub, branch) = simulation.AddPair(Hub, Branch("intruder.example.com"));
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(10));

            Assert.Contains(hub.Events<PeerRefused>(), r => r.Reason.Contains("peerid", StringComparison.Ordinal));
            Assert.Empty(hub.Events<IsakmpNegotiationStarted>());
            Assert.Empty(hub.Events<IkeSaEstablished>());
            Assert.Empty(hub.IkeSas);
            Assert.Empty(branch.Events<IkeSaEstablished>());
            Assert.Empty(branch.InstalledSas);
        });
}
