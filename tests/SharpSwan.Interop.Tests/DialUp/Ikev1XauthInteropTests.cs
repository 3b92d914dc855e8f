using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests.DialUp;

/// <summary>
/// Issue 13, IKEv1 remote access: a strongSwan road warrior (swanctl <c>version = 1</c>, main mode PSK, then
/// <c>local-2 { auth = xauth }</c>, <c>vips = 0.0.0.0</c>) against a SharpSwan IKEv1 dial-up phase 1 with
/// <c>xauthtype auto</c>, <c>authusrgrp</c> and a mode-cfg pool. The right password gets a pool address that carries
/// pings both ways and shows as the instance's XAUTH user; a wrong one is refused with an event-log record naming it. A
/// client with <c>pull = no</c> asks for nothing and gets its address pushed in the hub's SET (mode-config push).
/// </summary>
public sealed class Ikev1XauthInteropTests
{
    private const string Phase1 = "dialup-v1";
    private const string Instance = Phase1 + "_0";
    private const string ClientId = "client1.lab";
    private const string ClientAddress = "198.51.100.10";
    private const string NattedClientAddress = "192.168.77.10";

    [Fact]
    public void RoadWarriorWithXauth_BehindMasquerade_GetsAModeCfgAddress_OverNatT_AndPingsGoBothWays()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(Ikev1XauthInteropTests) + "_" + nameof(RoadWarriorWithXauth_BehindMasquerade_GetsAModeCfgAddress_OverNatT_AndPingsGoBothWays));
        NetworkNamespace clientNamespace = scenario.Topology.AddHostBehindNat(NattedClientAddress);
        Ikev1XauthRig rig = StartHub(scenario);
        StrongSwanPeer client = scenario.StartRoadWarrior(clientNamespace, rig.Client(ClientId), "client");

        string vip = rig.ConnectAndPing(clientNamespace, client, Phase1);

        // The client sits behind an nftables masquerade: the hub sees the NAT's public address, detects the NAT from the
        // NAT-D payloads and carries IKE and ESP on UDP 4500 (RFC 3947).
        RoadWarriorInteropTests.RequireInstance(scenario, rig.Hub, Instance, DialUpTopology.NatPublicAddress, vip, Phase1);
        string details = rig.Hub.Cli($"diagnose vpn tunnel list name {Instance}");
        scenario.Require(
            details.Contains("natt: mode=silent", StringComparison.Ordinal) && !details.Contains("remote_port=500\n", StringComparison.Ordinal),
            $"diagnose vpn tunnel list name {Instance} shows NAT traversal with the peer behind the NAT; got:\n{details}");
        rig.RequireXauthUser(Instance);
        IReadOnlyList<string> events = rig.RequireTunnelUpRecord(Instance);
        string? phase2Up = events.FirstOrDefault(r => Ikev1XauthRig.Field(r, "action") == "phase2-up" && Ikev1XauthRig.Field(r, "vpntunnel") == Instance);
        scenario.Require(
            phase2Up is not null && Ikev1XauthRig.Field(phase2Up, "xauthuser") == Ikev1XauthRig.User && Ikev1XauthRig.Field(phase2Up, "assignip") == vip,
            $"the phase2-up record of {Instance} names xauthuser {Ikev1XauthRig.User} and assignip {vip}; got: {phase2Up}");
    }

    [Fact]
    public void RoadWarriorWithXauth_AndPullNo_GetsItsAddressPushed_AndPingsGoBothWays()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(Ikev1XauthInteropTests) + "_" + nameof(RoadWarriorWithXauth_AndPullNo_GetsItsAddressPushed_AndPingsGoBothWays));
        NetworkNamespace clientNamespace = scenario.Topology.AddDirectHost(ClientAddress);
        Ikev1XauthRig rig = StartHub(scenario);
        StrongSwanPeer client = scenario.StartRoadWarrior(clientNamespace, rig.Client(ClientId) with { Pull = false }, "client");

        string vip = rig.ConnectAndPing(clientNamespace, client, Phase1);
        RoadWarriorInteropTests.RequireInstance(scenario, rig.Hub, Instance, ClientAddress, vip, Phase1);
    }

    [Fact]
    public void WrongXauthPassword_IsRefused_WithAnEventLogRecordNamingTheUser()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(Ikev1XauthInteropTests) + "_" + nameof(WrongXauthPassword_IsRefused_WithAnEventLogRecordNamingTheUser));
        NetworkNamespace clientNamespace = scenario.Topology.AddDirectHost(ClientAddress);
        Ikev1XauthRig rig = StartHub(scenario);
        StrongSwanPeer client = scenario.StartRoadWarrior(clientNamespace, rig.Client(ClientId, "not-" + Ikev1XauthRig.Password), "client");

        ProcessResult initiate = client.Initiate();
        scenario.Require(!initiate.Succeeded, $"swanctl --initiate fails with the wrong XAUTH password; got {initiate.Describe()}");
        scenario.Require(client.InstalledChildSas().Count == 0, "the client has no INSTALLED CHILD_SA");

        IReadOnlyList<string> events = [];
        string? record = null;
        scenario.WaitFor(
            () => (record = (events = DialUpScenario.Events(rig.Hub)).FirstOrDefault(r =>
                Ikev1XauthRig.Field(r, "logid") == "0101037124" && Ikev1XauthRig.Field(r, "status") == "negotiate_error"
                && Ikev1XauthRig.Field(r, "remip") == ClientAddress
                && Ikev1XauthRig.Field(r, "xauthuser") == Ikev1XauthRig.User && Ikev1XauthRig.Field(r, "xauthgroup") == Ikev1XauthRig.Group)) is not null,
            TimeSpan.FromSeconds(10),
            () => $"the hub's event log has a phase-1 error record from {ClientAddress} with xauthuser {Ikev1XauthRig.User} and xauthgroup {Ikev1XauthRig.Group}; records:\n{string.Join('\n', events)}");
        scenario.WaitFor(
            () => !rig.Hub.Cli("diagnose vpn ike gateway list").Contains($"name: {Instance}\n", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10),
            $"no {Instance} instance stays on the hub after the refusal");
        scenario.Require(!DialUpScenario.Events(rig.Hub).Any(r => Ikev1XauthRig.Field(r, "action") == "tunnel-up"), "no tunnel-up record was written for the refused client");
    }

    /// <summary>The hub with one main-mode XAUTH dial-up phase 1 handing out 10.10.30.10-10.10.30.20.</summary>
    private static Ikev1XauthRig StartHub(DialUpScenario scenario)
    {
        Ikev1XauthRig rig = new(scenario);
        rig.StartHub(rig.Phase1(Phase1, "10.10.30.10", "10.10.30.20"));
        return rig;
    }
}
