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
    private const string ClientId = "client1.lab";
    private const string ClientAddress = "198.51.100.10";
    private const string IntruderAddress = "198.51.100.66";

    [Fact]
    public void FortiClientLikeRoadWarrior_PicksItsAggressivePhase1ByPeerId_PassesXauth_GetsAPoolAddress_AndPings_WhileAnUnknownIdIsRefused()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(Ikev1AggressiveXauthInteropTests));
        Ikev1XauthRig rig = new(scenario);
        NetworkNamespace clientNamespace = scenario.Topology.AddDirectHost(ClientAddress);
        NetworkNamespace intruderNamespace = scenario.Topology.AddDirectHost(IntruderAddress);
        rig.StartHub(
            Aggressive(rig, OtherPhase1, "sales.lab", "10.10.31.10", "10.10.31.20") with { PreSharedKey = "sales-" + scenario.PreSharedKey },
            Aggressive(rig, Phase1, ClientId, "10.10.30.10", "10.10.30.20"));
        StrongSwanPeer client = scenario.StartRoadWarrior(clientNamespace, rig.Client(ClientId) with { Aggressive = true }, "client");
        StrongSwanPeer intruder = scenario.StartRoadWarrior(intruderNamespace, rig.Client("intruder.lab") with { Aggressive = true }, "intruder");

        // Nothing answers an unknown ID, so swanctl would wait for charon's retransmissions to run out: a short --timeout suffices.
        ProcessResult refused = intruder.Swanctl(TimeSpan.FromSeconds(15), "--initiate", "--child", StrongSwanConnection.ChildName, "--timeout", "3");
        scenario.Require(!refused.Succeeded, $"the intruder's swanctl --initiate fails; got {refused.Describe()}");

        string vip = rig.ConnectAndPing(clientNamespace, client, Phase1);

        string instance = Phase1 + "_0";
        RoadWarriorInteropTests.RequireInstance(scenario, rig.Hub, instance, ClientAddress, vip, Phase1);
        string gateways = rig.RequireXauthUser(instance);
        scenario.Require(
            !gateways.Contains($"name: {OtherPhase1}_", StringComparison.Ordinal),
            $"diagnose vpn ike gateway list shows no instance of {OtherPhase1}; got:\n{gateways}");
        scenario.Require(intruder.InstalledChildSas().Count == 0, "the intruder has no INSTALLED CHILD_SA");

        IReadOnlyList<string> events = rig.RequireTunnelUpRecord(instance);
        scenario.Require(
            events.Any(r => Ikev1XauthRig.Field(r, "status") == "negotiate_error" && Ikev1XauthRig.Field(r, "remip") == IntruderAddress),
            $"the hub's event log has a phase-1 error record from {IntruderAddress}; records:\n{string.Join('\n', events)}");
        scenario.Require(
            !events.Any(r => Ikev1XauthRig.Field(r, "remip") == IntruderAddress && Ikev1XauthRig.Field(r, "action") == "tunnel-up"),
            "no tunnel-up record names the intruder");
    }

    /// <summary>An aggressive-mode XAUTH phase 1 for one peer ID (<c>peertype one</c>).</summary>
    private static DialUpPhase1 Aggressive(Ikev1XauthRig rig, string name, string peerId, string poolStart, string poolEnd) =>
        rig.Phase1(name, poolStart, poolEnd) with { Aggressive = true, PeerId = peerId };
}
