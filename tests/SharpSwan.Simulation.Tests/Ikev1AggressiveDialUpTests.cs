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
    // A second aggressive-mode dial-up phase 1, listed first, for another peer ID and with another key: the branch must not land on it.
    private const string OtherDialUp = """
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

    private static TunnelConfig Hub => Ikev1Rig.XauthHub with
    {
        Mode = "aggressive",
        LocalId = "hq.example.com",
        PeerId = "branch.example.com",
        Preamble = Ikev1Rig.Users + OtherDialUp,
    };

    private static TunnelConfig Branch(string localId) => Ikev1Rig.XauthBranch() with
    {
        Mode = "aggressive",
        LocalId = localId,
        PeerId = "hq.example.com",
    };

    [Fact]
    public void The_branch_id_picks_its_dial_up_phase1_then_xauth_quick_mode_and_traffic_follow() =>
        Ikev1Rig.Run(seed: 1371, Hub, Branch("branch.example.com"), rig =>
        {
            var (hub, branch) = rig;
            rig.Establish();

            // Reported up only after XAUTH passed, as after main mode.
            rig.AssertXauthPassed();
            var up = Assert.Single(hub.Events<IkeSaEstablished>());
            Assert.Equal(("branch.example.com", Ikev1Rig.FirstInstance), (up.PeerIdentity, up.Phase1));
            Assert.Equal("hq.example.com", Assert.Single(branch.Events<IkeSaEstablished>()).PeerIdentity);
            Assert.Empty(hub.Events<AuthenticationFailed>());
            rig.AssertTrafficBothWays(3);
        });

    [Fact]
    public void An_id_that_no_dial_up_phase1_accepts_is_refused_before_anything_is_answered() =>
        Ikev1Rig.Run(seed: 1372, Hub, Branch("intruder.example.com"), rig =>
        {
            var (hub, branch) = rig;
            rig.RunFor(10);

            Assert.Contains(hub.Events<PeerRefused>(), r => r.Reason.Contains("peerid", StringComparison.Ordinal));
            Assert.Empty(hub.Events<IsakmpNegotiationStarted>());
            Assert.Empty(hub.Events<IkeSaEstablished>());
            Assert.Empty(hub.IkeSas);
            Assert.Empty(branch.Events<IkeSaEstablished>());
            Assert.Empty(branch.InstalledSas);
        });
}
