using System.Text.RegularExpressions;
using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests.DialUp;

/// <summary>
/// Issue 13, IKEv1 remote access: a strongSwan road warrior (swanctl <c>version = 1</c>, main mode PSK, then
/// <c>local-2 { auth = xauth }</c>, <c>vips = 0.0.0.0</c>) against a SharpSwan IKEv1 dial-up phase 1 with
/// <c>xauthtype auto</c>, <c>authusrgrp</c> and a mode-cfg pool. The right password gets a pool address that carries
/// pings both ways and shows as the instance's XAUTH user; a wrong one is refused with an event-log record naming it. A
/// client with <c>pull = no</c> asks for nothing and gets its address pushed in the hub's SET (mode-config push).
/// </summary>
public sealed partial class Ikev1XauthInteropTests
{
    private const string Phase1 = "dialup-v1";
    private const string Group = "vpn-users";
    private const string User = "alice";
    private const string Password = "alice-xauth-pw";
    private const string PoolStart = "10.10.30.10";
    private const string PoolEnd = "10.10.30.20";
    private const string ClientAddress = "198.51.100.10";
    private const string NattedClientAddress = "192.168.77.10";

    [Fact]
    public void RoadWarriorWithXauth_BehindMasquerade_GetsAModeCfgAddress_OverNatT_AndPingsGoBothWays()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(Ikev1XauthInteropTests) + "_" + nameof(RoadWarriorWithXauth_BehindMasquerade_GetsAModeCfgAddress_OverNatT_AndPingsGoBothWays));
        NetworkNamespace clientNamespace = scenario.Topology.AddHostBehindNat(NattedClientAddress);
        SharpSwanGateway hub = scenario.StartHub(HubConfig(scenario));
        StrongSwanPeer client = scenario.StartRoadWarrior(clientNamespace, Client(scenario, Password), "client");

        string vip = scenario.Connect(client);
        scenario.Require(InPool(vip), $"the client's virtual IP {vip} is from the pool {PoolStart}-{PoolEnd}");
        scenario.RequirePing(clientNamespace, vip, DialUpTopology.HubLanAddress);
        scenario.RequirePing(scenario.Hub, DialUpTopology.HubLanAddress, vip);

        string instance = Phase1 + "_0";
        // The client sits behind an nftables masquerade: the hub sees the NAT's public address, detects the NAT from the
        // NAT-D payloads and carries IKE and ESP on UDP 4500 (RFC 3947).
        RoadWarriorInteropTests.RequireInstance(scenario, hub, instance, DialUpTopology.NatPublicAddress, vip, Phase1);
        string details = hub.Cli($"diagnose vpn tunnel list name {instance}");
        scenario.Require(
            details.Contains("natt: mode=silent", StringComparison.Ordinal) && !details.Contains("remote_port=500\n", StringComparison.Ordinal),
            $"diagnose vpn tunnel list name {instance} shows NAT traversal with the peer behind the NAT; got:\n{details}");
        string gateways = hub.Cli("diagnose vpn ike gateway list");
        scenario.Require(
            gateways.Contains($"name: {instance}\n", StringComparison.Ordinal) && gateways.Contains($"xauth-user: {User}\n", StringComparison.Ordinal),
            $"diagnose vpn ike gateway list shows {instance} with xauth-user {User}; got:\n{gateways}");
        IReadOnlyList<string> events = DialUpScenario.Events(hub);
        string? up = events.FirstOrDefault(r => Field(r, "action") == "tunnel-up" && Field(r, "vpntunnel") == instance);
        scenario.Require(
            up is not null && Field(up, "xauthuser") == User && Field(up, "xauthgroup") == Group,
            $"the tunnel-up record of {instance} names xauthuser {User} and xauthgroup {Group}; got: {up}");
        string? phase2Up = events.FirstOrDefault(r => Field(r, "action") == "phase2-up" && Field(r, "vpntunnel") == instance);
        scenario.Require(
            phase2Up is not null && Field(phase2Up, "xauthuser") == User && Field(phase2Up, "assignip") == vip,
            $"the phase2-up record of {instance} names xauthuser {User} and assignip {vip}; got: {phase2Up}");
    }

    [Fact]
    public void RoadWarriorWithXauth_AndPullNo_GetsItsAddressPushed_AndPingsGoBothWays()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(Ikev1XauthInteropTests) + "_" + nameof(RoadWarriorWithXauth_AndPullNo_GetsItsAddressPushed_AndPingsGoBothWays));
        NetworkNamespace clientNamespace = scenario.Topology.AddDirectHost(ClientAddress);
        SharpSwanGateway hub = scenario.StartHub(HubConfig(scenario));
        StrongSwanPeer client = scenario.StartRoadWarrior(clientNamespace, Client(scenario, Password) with { Pull = false }, "client");

        string vip = scenario.Connect(client);
        scenario.Require(InPool(vip), $"the client's virtual IP {vip} is from the pool {PoolStart}-{PoolEnd}");
        scenario.RequirePing(clientNamespace, vip, DialUpTopology.HubLanAddress);
        scenario.RequirePing(scenario.Hub, DialUpTopology.HubLanAddress, vip);
        RoadWarriorInteropTests.RequireInstance(scenario, hub, Phase1 + "_0", ClientAddress, vip, Phase1);
    }

    [Fact]
    public void WrongXauthPassword_IsRefused_WithAnEventLogRecordNamingTheUser()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(Ikev1XauthInteropTests) + "_" + nameof(WrongXauthPassword_IsRefused_WithAnEventLogRecordNamingTheUser));
        NetworkNamespace clientNamespace = scenario.Topology.AddDirectHost(ClientAddress);
        SharpSwanGateway hub = scenario.StartHub(HubConfig(scenario));
        StrongSwanPeer client = scenario.StartRoadWarrior(clientNamespace, Client(scenario, "not-" + Password), "client");

        ProcessResult initiate = client.Initiate();
        scenario.Require(!initiate.Succeeded, $"swanctl --initiate fails with the wrong XAUTH password; got {initiate.Describe()}");
        scenario.Require(client.InstalledChildSas().Count == 0, "the client has no INSTALLED CHILD_SA");

        IReadOnlyList<string> events = [];
        string? record = null;
        scenario.WaitFor(
            () => (record = (events = DialUpScenario.Events(hub)).FirstOrDefault(r =>
                Field(r, "logid") == "0101037124" && Field(r, "status") == "negotiate_error" && Field(r, "remip") == ClientAddress
                && Field(r, "xauthuser") == User && Field(r, "xauthgroup") == Group)) is not null,
            TimeSpan.FromSeconds(10),
            () => $"the hub's event log has a phase-1 error record from {ClientAddress} with xauthuser {User} and xauthgroup {Group}; records:\n{string.Join('\n', events)}");
        scenario.WaitFor(
            () => !hub.Cli("diagnose vpn ike gateway list").Contains($"name: {Phase1}_0\n", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            $"no {Phase1}_0 instance stays on the hub after the refusal");
        scenario.Require(!DialUpScenario.Events(hub).Any(r => Field(r, "action") == "tunnel-up"), "no tunnel-up record was written for the refused client");
    }

    private static DialUpHubConfig HubConfig(DialUpScenario scenario) => scenario.HubConfig(new DialUpPhase1
    {
        Name = Phase1,
        PreSharedKey = scenario.PreSharedKey,
        PoolStart = PoolStart,
        PoolEnd = PoolEnd,
        PoolNetmask = "255.255.255.255",
        Proposal = "aes128-sha256",
        DhGroup = 14,
        Phase2Proposal = "aes128-sha256",
        Phase2DhGroup = 14,
        XauthGroup = Group,
    }) with
    {
        XauthUsers = [(User, Password), ("bob", "bob-xauth-pw")],
    };

    private static RoadWarriorConnection Client(DialUpScenario scenario, string password) => scenario.PskClient("client1.lab") with
    {
        Version = 1,
        Proposals = "aes128-sha256-modp2048",
        EspProposals = "aes128-sha256-modp2048",
        Xauth = (User, password),
    };

    private static bool InPool(string address) =>
        System.Net.IPAddress.TryParse(address, out var ip) && ip.GetAddressBytes() is [10, 10, 30, var last] && last is >= 10 and <= 20;

    /// <summary>One field of an event record (<c>key="value"</c> or <c>key=value</c>); null when absent.</summary>
    internal static string? Field(string record, string name) =>
        RecordField().Matches(record).FirstOrDefault(m => m.Groups["key"].Value == name) is { } match ? match.Groups["value"].Value : null;

    [GeneratedRegex(@"(?<=\s|^)(?<key>[a-z_]+)=(?:""(?<value>[^""]*)""|(?<value>\S+))")]
    private static partial Regex RecordField();
}
