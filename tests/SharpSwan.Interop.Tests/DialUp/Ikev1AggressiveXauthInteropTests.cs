using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests.DialUp;

/// <summary>
/// Issue 13, FortiClient's IKEv1 remote access: a strongSwan road warrior in aggressive mode (swanctl <c>version = 1</c>,
/// <c>aggressive = yes</c>, one DH group, PSK then <c>local-2 { auth = xauth }</c>, <c>vips = 0.0.0.0</c>) against a
/// SharpSwan hub with two aggressive-mode dial-up phase 1s on one address, told apart by <c>peerid</c>. The client's ID picks
/// its phase 1 (whose PSK, XAUTH group and pool it then gets), its virtual IP carries pings both ways, and the instance
/// shows its XAUTH user; a client whose ID neither phase 1 accepts is refused, with an event-log record, and gets no instance.
/// </summary>
public sealed class Ikev1AggressiveXauthInteropTests
{
    private const string Phase1 = "fct-v1";
    private const string OtherPhase1 = "sales-v1";
    private const string Group = "vpn-users";
    private const string User = "alice";
    private const string Password = "alice-xauth-pw";
    private const string ClientId = "client1.lab";
    private const string ClientAddress = "198.51.100.10";
    private const string IntruderAddress = "198.51.100.66";

    [Fact]
    public void FortiClientLikeRoadWarrior_PicksItsAggressivePhase1ByPeerId_PassesXauth_GetsAPoolAddress_AndPings_WhileAnUnknownIdIsRefused()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(Ikev1AggressiveXauthInteropTests));
        NetworkNamespace clientNamespace = scenario.Topology.AddDirectHost(ClientAddress);
        NetworkNamespace intruderNamespace = scenario.Topology.AddDirectHost(IntruderAddress);
        SharpSwanGateway hub = scenario.StartHub(HubConfig(scenario));
        StrongSwanPeer client = scenario.StartRoadWarrior(clientNamespace, Client(scenario, ClientId), "client");
        StrongSwanPeer intruder = scenario.StartRoadWarrior(intruderNamespace, Client(scenario, "intruder.lab"), "intruder");

        // Nothing answers an unknown ID, so swanctl would wait for charon's retransmissions to run out: a short --timeout suffices.
        ProcessResult refused = intruder.Swanctl(TimeSpan.FromSeconds(15), "--initiate", "--child", StrongSwanConnection.ChildName, "--timeout", "3");
        scenario.Require(!refused.Succeeded, $"the intruder's swanctl --initiate fails; got {refused.Describe()}");

        string vip = scenario.Connect(client);
        scenario.Require(
            System.Net.IPAddress.TryParse(vip, out var ip) && ip.GetAddressBytes() is [10, 10, 30, var last] && last is >= 10 and <= 20,
            $"the client's virtual IP {vip} is from {Phase1}'s pool 10.10.30.10-10.10.30.20, not {OtherPhase1}'s");
        scenario.RequirePing(clientNamespace, vip, DialUpTopology.HubLanAddress);
        scenario.RequirePing(scenario.Hub, DialUpTopology.HubLanAddress, vip);

        string instance = Phase1 + "_0";
        RoadWarriorInteropTests.RequireInstance(scenario, hub, instance, ClientAddress, vip, Phase1);
        string gateways = hub.Cli("diagnose vpn ike gateway list");
        scenario.Require(
            gateways.Contains($"name: {instance}\n", StringComparison.Ordinal) && gateways.Contains($"xauth-user: {User}\n", StringComparison.Ordinal)
            && !gateways.Contains($"name: {OtherPhase1}_", StringComparison.Ordinal),
            $"diagnose vpn ike gateway list shows {instance} with xauth-user {User}, and no instance of {OtherPhase1}; got:\n{gateways}");
        scenario.Require(intruder.InstalledChildSas().Count == 0, "the intruder has no INSTALLED CHILD_SA");

        IReadOnlyList<string> events = DialUpScenario.Events(hub);
        string? up = events.FirstOrDefault(r => Field(r, "action") == "tunnel-up" && Field(r, "vpntunnel") == instance);
        scenario.Require(
            up is not null && Field(up, "xauthuser") == User && Field(up, "xauthgroup") == Group,
            $"the tunnel-up record of {instance} names xauthuser {User} and xauthgroup {Group}; got: {up}");
        scenario.Require(
            events.Any(r => Field(r, "status") == "negotiate_error" && Field(r, "remip") == IntruderAddress),
            $"the hub's event log has a phase-1 error record from {IntruderAddress}; records:\n{string.Join('\n', events)}");
        scenario.Require(!events.Any(r => Field(r, "remip") == IntruderAddress && Field(r, "action") == "tunnel-up"), "no tunnel-up record names the intruder");
    }

    private static DialUpHubConfig HubConfig(DialUpScenario scenario) => scenario.HubConfig(
        Aggressive(scenario, OtherPhase1, "sales.lab", "10.10.31.10", "10.10.31.20") with { PreSharedKey = "sales-" + scenario.PreSharedKey },
        Aggressive(scenario, Phase1, ClientId, "10.10.30.10", "10.10.30.20")) with
    {
        XauthUsers = [(User, Password)],
    };

    private static DialUpPhase1 Aggressive(DialUpScenario scenario, string name, string peerId, string poolStart, string poolEnd) => new()
    {
        Name = name,
        PreSharedKey = scenario.PreSharedKey,
        PoolStart = poolStart,
        PoolEnd = poolEnd,
        PoolNetmask = "255.255.255.255",
        Proposal = "aes128-sha256",
        DhGroup = 14,
        Phase2Proposal = "aes128-sha256",
        Phase2DhGroup = 14,
        XauthGroup = Group,
        Aggressive = true,
        PeerId = peerId,
    };

    private static RoadWarriorConnection Client(DialUpScenario scenario, string id) => scenario.PskClient(id) with
    {
        Version = 1,
        Aggressive = true,
        Proposals = "aes128-sha256-modp2048",
        EspProposals = "aes128-sha256-modp2048",
        Xauth = (User, Password),
    };

    private static string? Field(string record, string name) => Ikev1XauthInteropTests.Field(record, name);
}
