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
    private const string WrongPassword = "not-" + Ikev1Rig.Password;

    private static TunnelConfig ChapHub => Ikev1Rig.XauthHub with { Phase1Extra = Ikev1Rig.XauthServer("chap") };

    [Fact]
    public void The_branch_logs_in_with_xauth_then_quick_mode_and_traffic_follow() =>
        Ikev1Rig.Run(seed: 1361, Ikev1Rig.XauthHub, Ikev1Rig.XauthBranch(), rig =>
        {
            rig.Establish();

            // The hub's phase 1 is reported up only after XAUTH passed.
            rig.AssertXauthPassed();
            rig.AssertTrafficBothWays(3);
        });

    [Fact]
    public void A_wrong_xauth_password_ends_the_isakmp_sa_on_both_sides_with_no_ipsec_sa() =>
        Ikev1Rig.Run(seed: 1362, Ikev1Rig.XauthHub, Ikev1Rig.XauthBranch(WrongPassword), AssertWrongPasswordRefused);

    [Fact]
    public void Under_chap_the_right_password_logs_in_and_traffic_follows() =>
        Ikev1Rig.Run(seed: 1363, ChapHub, Ikev1Rig.XauthBranch(), rig =>
        {
            rig.Establish();

            // The hub accepts only a RADIUS-CHAP answer to its challenge: a password sent as PAP would fail its check.
            rig.AssertXauthPassed();
            rig.AssertTrafficBothWays(1);
        });

    [Fact]
    public void Under_chap_a_wrong_password_is_refused_with_the_typed_event_and_no_ipsec_sa() =>
        Ikev1Rig.Run(seed: 1364, ChapHub, Ikev1Rig.XauthBranch(WrongPassword), AssertWrongPasswordRefused);

    /// <summary>The hub refuses the login with the typed event and drops the instance; neither end installs an IPsec SA.</summary>
    private static void AssertWrongPasswordRefused(Ikev1Rig rig)
    {
        var (hub, branch) = rig;
        rig.RunFor(3);

        var refused = Assert.Single(hub.Events<XauthFailed>());
        Assert.Equal((Ikev1Rig.User, Ikev1Rig.Group, XauthFailure.WrongPassword), (refused.User, refused.Group, refused.Failure));
        Assert.Empty(hub.Events<XauthSucceeded>());
        Assert.Empty(hub.Events<IkeSaEstablished>());
        Assert.Empty(hub.IkeSas);
        Assert.Empty(hub.InstalledSas);
        Assert.Single(hub.Events<DialupInstanceRemoved>());
        Assert.Empty(branch.InstalledSas);
        Assert.Contains(branch.Events<NegotiationFailed>(), f => f.Stage == NegotiationStage.IkeAuth);
    }
}
