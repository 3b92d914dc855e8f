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
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;
    private const string Pool = "10.10.30.10";

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
        Destination = "0.0.0.0 0.0.0.0",
        Phase1Extra =
        [
            "set xauthtype auto", "set authusrgrp \"vpn-users\"", "set mode-cfg enable",
            $"set ipv4-start-ip {Pool}", "set ipv4-end-ip 10.10.30.20", "set ipv4-netmask 255.255.255.255",
        ],
    };

    private static TunnelConfig Branch => TunnelConfig.SiteB.Ikev1() with
    {
        AutoNegotiate = true,
        Phase1Extra = ["set xauthtype client", "set authusr \"alice\"", "set authpasswd \"alice-password\"", "set mode-cfg enable"],
    };

    [Fact]
    public void The_hub_pushes_the_address_the_branch_acks_and_uses_it_for_quick_mode_and_traffic() =>
        Scenario.Run(seed: 1365, simulation =>
        {
            var (hub, branch) = simulation.AddPair(Hub, Branch);
            simulation.Start();
            Assert.True(simulation.RunUntil(() => hub.InstalledSas.Count > 0 && branch.InstalledSas.Count > 0, TimeSpan.FromSeconds(30)), simulation.Describe());

            var address = IPAddress.Parse(Pool);
            var given = Assert.Single(hub.Events<AddressAssigned>());
            Assert.Equal((address, true), (given.Address, given.ToPeer));
            var taken = Assert.Single(branch.Events<AddressAssigned>());
            Assert.Equal((address, false), (taken.Address, taken.ToPeer));
            Assert.Equal(address, branch.Engine.Tunnels.Single().AssignedAddress);

            // The branch's phase 1 counts as up only once it holds the address, and its quick mode proposes exactly that.
            var events = branch.Events<IkeEvent>().ToList();
            Assert.True(events.IndexOf(taken) < events.FindIndex(e => e is IkeSaEstablished), "IkeSaEstablished came before the pushed address");
            var instance = Assert.Single(hub.Engine.InstancesOf(P1));
            Assert.Equal(address, instance.AssignedAddress);
            var child = Assert.Single(instance.Current!.Children);
            Assert.Equal((address, address), (child.RemoteSelector.StartAddress, child.RemoteSelector.EndAddress));

            for (var i = 0; i < 3; i++)
            {
                Assert.True(branch.SendTraffic(P1, P2, Scenario.Packet(Pool, "10.1.0.5", i)));
                Assert.True(hub.SendTraffic(Scenario.Packet("10.1.0.5", Pool, i)));
            }

            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(3, hub.Traffic($"{P1}_0", P2).Delivered);
            Assert.Equal(3, branch.Traffic(P1, P2).Delivered);
        });

    [Fact]
    public void Without_xauth_the_push_follows_main_mode() =>
        Scenario.Run(seed: 1366, simulation =>
        {
            var hub = Hub with { Phase1Extra = [.. Hub.Phase1Extra.Where(l => !l.Contains("auth", StringComparison.Ordinal))] };
            var branch = Branch with { Phase1Extra = ["set mode-cfg enable"] };
            var (a, b) = simulation.AddPair(hub, branch);
            simulation.Start();
            Assert.True(simulation.RunUntil(() => a.InstalledSas.Count > 0 && b.InstalledSas.Count > 0, TimeSpan.FromSeconds(30)), simulation.Describe());

            Assert.Equal(IPAddress.Parse(Pool), b.Engine.Tunnels.Single().AssignedAddress);
            Assert.Empty(a.Events<XauthSucceeded>());
            Assert.True(b.SendTraffic(P1, P2, Scenario.Packet(Pool, "10.1.0.5", 0)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, a.Traffic($"{P1}_0", P2).Delivered);
        });
}
