using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests;

/// <summary>
/// IKEv1 mode-config push between two SharpSwan gateways (issue 13): the hub's dial-up phase 1 (XAUTH, a mode-cfg pool)
/// and a branch that is a mode-config client (<c>mode-cfg enable</c> on its static phase 1) and, like strongSwan with
/// <c>pull = no</c>, never sends a REQUEST. The hub pushes the address in a SET after its wait, the branch ACKs it, proposes
/// it as its side of quick mode, and traffic from that address flows both ways.
/// </summary>
public sealed class Ikev1ModeConfigPushTests
{
    private const string Pool = "10.10.30.10";

    private static readonly string[] ModeCfgPool =
        ["set mode-cfg enable", $"set ipv4-start-ip {Pool}", "set ipv4-end-ip 10.10.30.20", "set ipv4-netmask 255.255.255.255"];

    private static TunnelConfig Hub => Ikev1Rig.XauthHub with
    {
        Destination = "0.0.0.0 0.0.0.0",
        Phase1Extra = [.. Ikev1Rig.XauthServer(), .. ModeCfgPool],
    };

    private static TunnelConfig Branch => Ikev1Rig.Branch with { Phase1Extra = [.. Ikev1Rig.XauthClient(), "set mode-cfg enable"] };

    [Fact]
    public void The_hub_pushes_the_address_the_branch_acks_and_uses_it_for_quick_mode_and_traffic() =>
        Ikev1Rig.Run(seed: 1365, Hub, Branch, rig =>
        {
            var (hub, branch) = rig;
            rig.Establish();

            var address = IPAddress.Parse(Pool);
            var given = Assert.Single(hub.Events<AddressAssigned>());
            Assert.Equal((address, true), (given.Address, given.ToPeer));
            var taken = Assert.Single(branch.Events<AddressAssigned>());
            Assert.Equal((address, false), (taken.Address, taken.ToPeer));
            Assert.Equal(address, branch.Engine.Tunnels.Single().AssignedAddress);

            // The branch's phase 1 counts as up only once it holds the address, and its quick mode proposes exactly that.
            Ikev1Rig.AssertBeforePhase1Up(branch, taken);
            var instance = Assert.Single(hub.Engine.InstancesOf(Ikev1Rig.P1));
            Assert.Equal(address, instance.AssignedAddress);
            var child = Assert.Single(instance.Current!.Children);
            Assert.Equal((address, address), (child.RemoteSelector.StartAddress, child.RemoteSelector.EndAddress));

            for (var i = 0; i < 3; i++)
            {
                Assert.True(branch.SendTraffic(Ikev1Rig.P1, Ikev1Rig.P2, Scenario.Packet(Pool, "10.1.0.5", i)));
                Assert.True(hub.SendTraffic(Scenario.Packet("10.1.0.5", Pool, i)));
            }

            rig.RunFor(1);
            rig.AssertDelivered(atA: 3, atB: 3);
        });

    [Fact]
    public void Without_xauth_the_push_follows_main_mode() =>
        Ikev1Rig.Run(seed: 1366, Hub with { Phase1Extra = ModeCfgPool }, Ikev1Rig.Branch with { Phase1Extra = ["set mode-cfg enable"] }, rig =>
        {
            var (hub, branch) = rig;
            rig.Establish();

            Assert.Equal(IPAddress.Parse(Pool), branch.Engine.Tunnels.Single().AssignedAddress);
            Assert.Empty(hub.Events<XauthSucceeded>());
            Assert.True(branch.SendTraffic(Ikev1Rig.P1, Ikev1Rig.P2, Scenario.Packet(Pool, "10.1.0.5", 0)));
            rig.RunFor(1);
            Assert.Equal(1, hub.Traffic(Ikev1Rig.FirstInstance, Ikev1Rig.P2).Delivered);
        });
}
