using SharpSwan.Interop.Tests.Harness;
using Xunit.Abstractions;

namespace SharpSwan.Interop.Tests.DialUp;

/// <summary>
/// Issue 6 and the seed article's dial-up case: "the FortiGate can never be the initiator" of a dial-up tunnel, so a
/// SharpSwan spoke (static phase 1 to the hub, auto-negotiate enable, PSK) keeps the tunnel up on its own, and the hub's
/// LAN can then reach the spoke's LAN although the spoke never sent a packet into the tunnel.
/// </summary>
[Collection(DialUpInteropCollection.Name)]
public sealed class DialUpSpokeInteropTests(DialUpScenarioRuns runs, ITestOutputHelper output)
{
    private const string SpokeWanAddress = "198.18.0.50";
    private const string SpokeLanAddress = "10.2.0.1";
    private const string SpokeLanSubnet = "10.2.0.0/24";
    private const string SpokePhase1 = "to-hub";

    private static readonly TimeSpan EstablishTimeout = TimeSpan.FromSeconds(60);

    internal static IReadOnlyDictionary<string, Func<string>> Scenarios { get; } = new Dictionary<string, Func<string>>
    {
        [nameof(SpokeWithAutoNegotiate_BringsTheTunnelUp_AndTheHubLanReachesTheSpokeLanFirst)] = SpokeAutoNegotiate,
        [nameof(SharpSwanRoadWarrior_GetsAnAddressOnItsTunnelInterface_AndReachesTheHubLanFromIt)] = SharpSwanRoadWarrior,
    };

    [Fact]
    public async Task SharpSwanRoadWarrior_GetsAnAddressOnItsTunnelInterface_AndReachesTheHubLanFromIt() =>
        output.WriteLine(await runs.Outcome(nameof(SharpSwanRoadWarrior_GetsAnAddressOnItsTunnelInterface_AndReachesTheHubLanFromIt)));

    /// <summary>
    /// SharpSwan as a mode-cfg client of a SharpSwan dial-up hub: the assigned address lands on the client's tunnel
    /// interface, the client's own traffic leaves from it, and it goes away when the client disconnects.
    /// </summary>
    private static string SharpSwanRoadWarrior()
    {
        const string clientWan = "198.18.0.60";
        const string poolStart = "10.10.30.1";
        using DialUpScenario scenario = DialUpScenario.Create(nameof(SharpSwanRoadWarrior_GetsAnAddressOnItsTunnelInterface_AndReachesTheHubLanFromIt));
        NetworkNamespace client = scenario.Topology.AddDirectHost(clientWan);
        scenario.StartHub(scenario.HubConfig(scenario.PskPhase1(RoadWarriorInteropTests.PskPhase1, poolStart, "10.10.30.9")));
        var clientConfig = TowardsHub(scenario) with { Phase1ModeCfg = true, Phase2AutoNegotiate = false, LocalSubnet = "0.0.0.0 0.0.0.0" };
        SharpSwanGateway gateway = scenario.StartGateway(client, clientConfig.Render(), "road-warrior");
        string TunnelAddresses() => client.Exec(TimeSpan.FromSeconds(10), "ip", "-4", "-o", "addr", "show", "dev", SpokePhase1).StandardOutput;

        // On demand: the first packet (from the WAN address, the only one there is) starts the negotiation.
        Traffic.Ping(client, clientWan, DialUpTopology.HubLanAddress, count: 1);
        string addresses = "";
        scenario.WaitFor(
            () => (addresses = TunnelAddresses()).Contains($"inet {poolStart}/32", StringComparison.Ordinal),
            EstablishTimeout,
            () => $"the client's tunnel interface {SpokePhase1} carries the assigned {poolStart}/32; ip addr shows:\n{addresses}");

        // The address comes with phase 1; the phase 2 SA follows it. Pings sent between the two are dropped on demand,
        // as they should be, so the three counted ones wait for the SA.
        string summary = "";
        scenario.WaitFor(
            () => FortiOsOutput.Selectors(summary = gateway.Cli("get vpn ipsec tunnel summary"), SpokePhase1) is { Up: >= 1 },
            EstablishTimeout,
            () => $"the client's phase 2 is up; the summary shows:\n{summary}");
        var answered = Traffic.Ping(client, poolStart, DialUpTopology.HubLanAddress, count: 3);
        scenario.Require(answered >= 2, $"the client reaches the hub's LAN from its assigned address; {answered} of 3 answered");

        // Its IKE SA gone, the address is the client's no more.
        gateway.Cli("diagnose vpn ike gateway clear");
        scenario.WaitFor(
            () => !(addresses = TunnelAddresses()).Contains(poolStart, StringComparison.Ordinal),
            RoadWarriorInteropTests.HubTimeout,
            () => $"the assigned address leaves the tunnel interface with the IKE SA; ip addr shows:\n{addresses}");
        return $"assigned {poolStart}, {answered}/3 pings answered from it, removed on disconnect";
    }

    [Fact]
    public async Task SpokeWithAutoNegotiate_BringsTheTunnelUp_AndTheHubLanReachesTheSpokeLanFirst() =>
        output.WriteLine(await runs.Outcome(nameof(SpokeWithAutoNegotiate_BringsTheTunnelUp_AndTheHubLanReachesTheSpokeLanFirst)));

    private static string SpokeAutoNegotiate()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(SpokeWithAutoNegotiate_BringsTheTunnelUp_AndTheHubLanReachesTheSpokeLanFirst));
        NetworkNamespace spokeNamespace = scenario.Topology.AddDirectHost(SpokeWanAddress);
        spokeNamespace.AddLan("lan0", SpokeLanAddress + "/24");

        // The hub: dynamic, psk, no mode-cfg; add-route enable routes whatever the spoke proposes (its LAN).
        SharpSwanGateway hub = scenario.StartHub(scenario.HubConfig(scenario.PskPhase1(RoadWarriorInteropTests.PskPhase1, null, null)));
        var spokeConfig = TowardsHub(scenario) with { Phase1AutoNegotiate = true, Phase2AutoNegotiate = true, LocalSubnet = "10.2.0.0 255.255.255.0" };
        SharpSwanGateway spoke = scenario.StartGateway(spokeNamespace, spokeConfig.Render(), "spoke");

        // No traffic from anywhere yet: the spoke's auto-negotiate alone must bring the tunnel up.
        string instance = RoadWarriorInteropTests.PskPhase1 + "_0";
        string summary = "";
        scenario.WaitFor(
            () => DialUpOutput.SummaryEntry(summary = hub.Cli("get vpn ipsec tunnel summary"), instance) is { Up: >= 1 } entry
                && entry.Remote.StartsWith(SpokeWanAddress + ":", StringComparison.Ordinal),
            EstablishTimeout,
            () => $"the hub lists '{instance}' from {SpokeWanAddress} with a selector up, brought up by the spoke; last summary:\n{summary}");
        scenario.WaitFor(
            () => DialUpOutput.HasRoute(scenario.HubRoutes(), SpokeLanSubnet, RoadWarriorInteropTests.PskPhase1),
            RoadWarriorInteropTests.HubTimeout,
            $"the hub has a route to the spoke's LAN {SpokeLanSubnet} on {RoadWarriorInteropTests.PskPhase1} (add-route)");

        // The hub side speaks first.
        scenario.RequirePing(scenario.Hub, DialUpTopology.HubLanAddress, SpokeLanAddress);

        // The dynamic side never initiated anything: every SA it installed, it installed as responder.
        IReadOnlyList<IpsecSaAdded> hubSas = GatewayLogEvents.AddedSas(hub.Output);
        IReadOnlyList<IpsecSaAdded> spokeSas = GatewayLogEvents.AddedSas(spoke.Output);
        scenario.Require(
            hubSas.Count >= 1 && hubSas.All(sa => !sa.CreatedBySharpSwan),
            $"the hub installed its phase 2 SAs as responder only; got {string.Join(", ", hubSas)}");
        scenario.Require(
            spokeSas.Any(sa => sa.CreatedBySharpSwan),
            $"the spoke initiated the phase 2 SA; got {string.Join(", ", spokeSas)}");
        IReadOnlyList<string> hubInitiations = GatewayLogEvents.LinesContaining(hub.Output, "established IKE SA")
            .Where(line => line.Contains(" initiator ", StringComparison.Ordinal))
            .ToList();
        scenario.Require(hubInitiations.Count == 0, $"the hub established no IKE SA as initiator; got:\n{string.Join('\n', hubInitiations)}");

        scenario.RequirePing(spokeNamespace, SpokeLanAddress, DialUpTopology.HubLanAddress);
        return $"hub SAs: {string.Join(", ", hubSas)}; spoke SAs: {string.Join(", ", spokeSas)}";
    }

    /// <summary>A SharpSwan phase 1 and phase 2 towards the hub's PSK dial-up phase 1, for the hub's LAN.</summary>
    private static SharpSwanConfig TowardsHub(DialUpScenario scenario) => new()
    {
        Phase1Name = SpokePhase1,
        Phase2Name = SpokePhase1 + "-p2",
        Interface = DialUpTopology.WanInterface,
        RemoteGateway = DialUpTopology.HubWanAddress,
        PreSharedKey = scenario.PreSharedKey,
        RemoteSubnet = "10.1.0.0 255.255.255.0",
    };
}
