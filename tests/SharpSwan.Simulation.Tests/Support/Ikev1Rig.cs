using SharpSwan.Ike.Events;

namespace SharpSwan.Simulation.Tests.Support;

/// <summary>
/// Two SharpSwan gateways joined by one IKEv1 tunnel, as the IKEv1 simulation tests set them up: A (192.0.2.1, LAN
/// 10.1.0.0/24) is the hub or responder, B (192.0.2.2, LAN 10.2.0.0/24) the branch or client. <see cref="Run(int, TunnelConfig, TunnelConfig, Action{Ikev1Rig})"/>
/// builds and starts both in a fresh simulation; the configurations here (a dial-up hub, the XAUTH user table, both ends of
/// XAUTH) are the ones the tests share, and each test changes them with <c>with</c>.
/// </summary>
internal sealed class Ikev1Rig
{
    public const string P1 = TunnelConfig.Phase1;
    public const string P2 = TunnelConfig.Phase2;

    /// <summary>The first instance a dial-up hub makes of its phase 1 for a peer.</summary>
    public const string FirstInstance = P1 + "_0";

    public const string User = "alice";
    public const string Password = "alice-password";
    public const string Group = "vpn-users";

    /// <summary>The XAUTH server's tables: the local user alice and the group vpn-users holding her.</summary>
    public const string Users = $$"""
        config user local
            edit "{{User}}"
                set type password
                set passwd "{{Password}}"
            next
        end
        config user group
            edit "{{Group}}"
                set member "{{User}}"
            next
        end

        """;

    private readonly string _aPhase1;

    private Ikev1Rig(Simulation simulation, SimulatedGateway a, SimulatedGateway b, string aPhase1)
    {
        Simulation = simulation;
        A = a;
        B = b;
        _aPhase1 = aPhase1;
    }

    /// <summary>A's side as an IKEv1 dial-up server (<c>type dynamic</c>, main mode, PSK): it answers B from a per-peer instance.</summary>
    public static TunnelConfig DialUpHub { get; } = TunnelConfig.SiteA.Ikev1() with { Type = "dynamic" };

    /// <summary>The dial-up hub with an XAUTH server (<c>xauthtype auto</c>) checking <see cref="Users"/>.</summary>
    public static TunnelConfig XauthHub { get; } = DialUpHub with { Preamble = Users, Phase1Extra = XauthServer() };

    /// <summary>B's side as the static end that starts the tunnel (phase 2 <c>auto-negotiate enable</c>).</summary>
    public static TunnelConfig Branch { get; } = TunnelConfig.SiteB.Ikev1() with { AutoNegotiate = true };

    public Simulation Simulation { get; }

    public SimulatedGateway A { get; }

    public SimulatedGateway B { get; }

    /// <summary>Packets delivered out of the tunnel since the start: at A (sent by B) and at B (sent by A).</summary>
    public (long AtA, long AtB) Delivered => (A.Traffic(_aPhase1, P2).Delivered, B.Traffic(P1, P2).Delivered);

    /// <summary>The phase 1 lines of an XAUTH server of <see cref="Group"/> (<c>xauthtype</c> auto, pap or chap).</summary>
    public static IReadOnlyList<string> XauthServer(string type = "auto") => [$"set xauthtype {type}", $"set authusrgrp \"{Group}\""];

    /// <summary>The phase 1 lines of an XAUTH client logging in as <see cref="User"/>.</summary>
    public static IReadOnlyList<string> XauthClient(string password = Password) =>
        ["set xauthtype client", $"set authusr \"{User}\"", $"set authpasswd \"{password}\""];

    /// <summary>The branch logging in to <see cref="XauthHub"/> with this password.</summary>
    public static TunnelConfig XauthBranch(string password = Password) => Branch with { Phase1Extra = XauthClient(password) };

    /// <summary>
    /// Runs a test on A and B built from their sides of the tunnel, with the simulation started; a failure names the seed
    /// and the timeline (<see cref="Scenario.Run"/>). A <c>type dynamic</c> side carries its traffic on <see cref="FirstInstance"/>.
    /// </summary>
    public static void Run(int seed, TunnelConfig a, TunnelConfig b, Action<Ikev1Rig> test) => Run(seed, a, b, beforeStart: _ => { }, test);

    /// <summary>The same, with <paramref name="beforeStart"/> run on the built rig first (links, interference).</summary>
    public static void Run(int seed, TunnelConfig a, TunnelConfig b, Action<Ikev1Rig> beforeStart, Action<Ikev1Rig> test) =>
        Scenario.Run(seed, simulation =>
        {
            var (gatewayA, gatewayB) = simulation.AddPair(a, b);
            var rig = new Ikev1Rig(simulation, gatewayA, gatewayB, a.Type == "dynamic" ? FirstInstance : P1);
            beforeStart(rig);
            simulation.Start();
            test(rig);
        });

    /// <summary>The same from the configuration text of two static ends, for what a <see cref="TunnelConfig"/> does not render (certificates).</summary>
    public static void Run(int seed, string a, string b, Action<Ikev1Rig> test) =>
        Scenario.Run(seed, simulation =>
        {
            var gatewayA = simulation.AddGateway("A", a, Scenario.AddressA);
            var gatewayB = simulation.AddGateway("B", b, Scenario.AddressB);
            simulation.Start();
            test(new Ikev1Rig(simulation, gatewayA, gatewayB, P1));
        });

    /// <summary>For <c>var (hub, branch) = rig;</c>.</summary>
    public void Deconstruct(out SimulatedGateway a, out SimulatedGateway b) => (a, b) = (A, B);

    /// <summary>Runs until both ends hold an ISAKMP SA and an IPsec SA; fails after the timeout (30 virtual seconds unless given).</summary>
    public void Establish(TimeSpan? timeout = null) => Simulation.RunUntilEstablished(A, B, timeout);

    public void RunFor(int seconds) => Simulation.RunFor(TimeSpan.FromSeconds(seconds));

    /// <summary>
    /// Sends <paramref name="count"/> packets each way between the two LANs, runs a second, and checks that each end has
    /// delivered exactly that many out of the tunnel since the start: for a tunnel that has carried nothing before.
    /// </summary>
    public void AssertTrafficBothWays(int count) => SendBothWaysAndCheck(count, before: (0, 0));

    /// <summary>As <see cref="AssertTrafficBothWays"/>, counting only what is delivered from now on (the tunnel carried traffic before).</summary>
    public void AssertMoreTrafficBothWays(int count) => SendBothWaysAndCheck(count, Delivered);

    /// <summary>Checks <see cref="Delivered"/>.</summary>
    public void AssertDelivered(long atA, long atB) => Assert.Equal((atA, atB), Delivered);

    /// <summary>
    /// XAUTH passed once on each end, for <see cref="User"/> of <see cref="Group"/> on the hub's <see cref="FirstInstance"/>, never
    /// failed, and A reported its phase 1 up only after it. Returns A's event.
    /// </summary>
    public XauthSucceeded AssertXauthPassed()
    {
        var passed = Assert.Single(A.Events<XauthSucceeded>());
        Assert.Equal((User, Group, FirstInstance), (passed.User, passed.Group, passed.Phase1));
        Assert.Equal(User, Assert.Single(B.Events<XauthSucceeded>()).User);
        Assert.Empty(A.Events<XauthFailed>());
        AssertBeforePhase1Up(A, passed);
        return passed;
    }

    /// <summary>The gateway reported <paramref name="earlier"/> before its first <see cref="IkeSaEstablished"/>.</summary>
    public static void AssertBeforePhase1Up(SimulatedGateway gateway, IkeEvent earlier)
    {
        var events = gateway.Events<IkeEvent>().ToList();
        var up = events.FindIndex(e => e is IkeSaEstablished);
        Assert.True(up >= 0, "no IkeSaEstablished");
        Assert.True(events.IndexOf(earlier) < up, $"IkeSaEstablished came before {earlier.GetType().Name}");
    }

    private void SendBothWaysAndCheck(int count, (long AtA, long AtB) before)
    {
        for (var i = 0; i < count; i++)
        {
            Assert.True(A.SendTraffic(Scenario.PacketAToB(i)), $"A could not send packet {i}");
            Assert.True(B.SendTraffic(Scenario.PacketBToA(i)), $"B could not send packet {i}");
        }

        RunFor(1);
        AssertDelivered(before.AtA + count, before.AtB + count);
    }
}
