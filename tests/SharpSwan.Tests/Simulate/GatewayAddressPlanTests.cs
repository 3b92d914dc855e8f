using System.Net;
using SharpSwan.Config;
using SharpSwan.Simulate;

namespace SharpSwan.Tests.Simulate;

/// <summary>How `simulate` gives each gateway its address when the configurations only name interfaces.</summary>
public sealed class GatewayAddressPlanTests
{
    private static readonly Dictionary<string, IPAddress> None = [];

    [Fact]
    public void Two_gateways_take_the_address_the_other_one_points_at()
    {
        var plan = Resolve(None, ("a", SimulateFixtures.Config("192.0.2.2", "10.1.0.0", "10.2.0.0")), ("b", SimulateFixtures.Config("192.0.2.1", "10.2.0.0", "10.1.0.0")), out var errors);
        Assert.Empty(errors);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), plan["a"].Address);
        Assert.Equal(IPAddress.Parse("192.0.2.2"), plan["b"].Address);
        Assert.Equal("remote-gw of b's phase1 vpn", plan["a"].Reason);
    }

    [Fact]
    public void A_hub_with_two_spokes_is_told_apart_by_the_selectors_the_hub_points_at_each_spoke_with()
    {
        var hub = """
            config vpn ipsec phase1-interface
                edit "s1"
                    set interface "port1"
                    set ike-version 2
                    set remote-gw 192.0.2.11
                    set psksecret "simulate-test-psk"
                next
                edit "s2"
                    set interface "port1"
                    set ike-version 2
                    set remote-gw 192.0.2.12
                    set psksecret "simulate-test-psk"
                next
            end
            config vpn ipsec phase2-interface
                edit "s1-p2"
                    set phase1name "s1"
                    set src-subnet 10.0.0.0 255.255.255.0
                    set dst-subnet 10.11.0.0 255.255.255.0
                next
                edit "s2-p2"
                    set phase1name "s2"
                    set src-subnet 10.0.0.0 255.255.255.0
                    set dst-subnet 10.12.0.0 255.255.255.0
                next
            end
            """;
        var plan = Resolve(
            None,
            ("hub", hub),
            ("spoke2", SimulateFixtures.Config("192.0.2.10", "10.12.0.0", "10.0.0.0")),
            ("spoke1", SimulateFixtures.Config("192.0.2.10", "10.11.0.0", "10.0.0.0")),
            out var errors);
        Assert.Empty(errors);
        Assert.Equal(IPAddress.Parse("192.0.2.10"), plan["hub"].Address);
        Assert.Equal(IPAddress.Parse("192.0.2.11"), plan["spoke1"].Address);
        Assert.Equal(IPAddress.Parse("192.0.2.12"), plan["spoke2"].Address);
    }

    [Fact]
    public void A_dial_up_client_nobody_points_at_gets_a_free_test_address_and_script_lines_win()
    {
        var hub = SimulateFixtures.Config("0.0.0.0", "10.1.0.0", "10.2.0.0", type: "dynamic");
        var client = SimulateFixtures.Config("192.0.2.1", "10.2.0.0", "10.1.0.0");
        var plan = Resolve(None, ("hub", hub), ("client", client), out var errors);
        Assert.Empty(errors);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), plan["hub"].Address);
        Assert.Equal(IPAddress.Parse("203.0.113.1"), plan["client"].Address);

        var chosen = Resolve(new Dictionary<string, IPAddress> { ["client"] = IPAddress.Parse("198.51.100.77") }, ("hub", hub), ("client", client), out errors);
        Assert.Empty(errors);
        Assert.Equal((IPAddress.Parse("198.51.100.77"), "script"), chosen["client"]);
    }

    [Fact]
    public void An_address_that_cannot_be_decided_is_an_error_that_says_how_to_fix_it()
    {
        // Both spokes have the same selectors: nothing tells which hub address is whose.
        var hub = SimulateFixtures.Config("192.0.2.11", "10.0.0.0", "10.9.0.0") + """
            config vpn ipsec phase1-interface
                edit "other"
                    set interface "port1"
                    set ike-version 2
                    set remote-gw 192.0.2.12
                    set psksecret "simulate-test-psk"
                next
            end
            config vpn ipsec phase2-interface
                edit "other-p2"
                    set phase1name "other"
                    set src-subnet 10.0.0.0 255.255.255.0
                    set dst-subnet 10.9.0.0 255.255.255.0
                next
            end
            """;
        Resolve(
            None,
            ("hub", hub),
            ("x", SimulateFixtures.Config("192.0.2.10", "10.9.0.0", "10.0.0.0")),
            ("y", SimulateFixtures.Config("192.0.2.10", "10.9.0.0", "10.0.0.0")),
            out var errors);
        Assert.Contains(errors, e => e.Contains("cannot tell which address gateway x has", StringComparison.Ordinal) && e.Contains("gateway x address IP", StringComparison.Ordinal));
    }

    private static IReadOnlyDictionary<string, (IPAddress Address, string Reason)> Resolve(
        Dictionary<string, IPAddress> explicitAddresses, (string Name, string Text) first, (string Name, string Text) second, out IReadOnlyList<string> errors) =>
        GatewayAddressPlan.Resolve([(first.Name, SimulateFixtures.Load(first.Text)), (second.Name, SimulateFixtures.Load(second.Text))], explicitAddresses, out errors);

    private static IReadOnlyDictionary<string, (IPAddress Address, string Reason)> Resolve(
        Dictionary<string, IPAddress> explicitAddresses, (string Name, string Text) first, (string Name, string Text) second, (string Name, string Text) third, out IReadOnlyList<string> errors) =>
        GatewayAddressPlan.Resolve(
            [(first.Name, SimulateFixtures.Load(first.Text)), (second.Name, SimulateFixtures.Load(second.Text)), (third.Name, SimulateFixtures.Load(third.Text))],
            explicitAddresses,
            out errors);
}
