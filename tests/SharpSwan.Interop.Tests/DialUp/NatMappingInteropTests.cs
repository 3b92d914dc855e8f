using System.Globalization;
using System.Text.RegularExpressions;
using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests.DialUp;

/// <summary>
/// Issue 11, item 6, against strongSwan: SharpSwan itself behind an nftables masquerade (the NAT namespace of the dial-up
/// topology, its UDP conntrack timeouts cut to 20 s), strongSwan on the public side. NAT-T keepalives keep the mapping
/// alive across an idle minute, so strongSwan can still reach SharpSwan's LAN first; then the masquerade is made to pick a
/// random port and conntrack is flushed, the mapping moves, and traffic keeps flowing once an authenticated IKE message
/// (SharpSwan's dead-peer probe) has shown strongSwan the new endpoint.
/// </summary>
public sealed partial class NatMappingInteropTests
{
    private const string SharpSwanAddress = "192.168.77.2";
    private const string SharpSwanLan = "10.2.0.1";
    private const string ConntrackTimeoutSeconds = "20";

    [Fact]
    public void BehindMasquerade_KeepalivesHoldTheMappingThroughAnIdleMinute_AndAFlushedMappingKeepsTrafficFlowing()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(BehindMasquerade_KeepalivesHoldTheMappingThroughAnIdleMinute_AndAFlushedMappingKeepsTrafficFlowing));
        NetworkNamespace inside = scenario.Topology.AddHostBehindNat(SharpSwanAddress);
        inside.AddLan("lan0", SharpSwanLan + "/24");
        NetworkNamespace nat = scenario.Topology.Nat!;
        nat.Run("sysctl", "-q", "-w", $"net.netfilter.nf_conntrack_udp_timeout={ConntrackTimeoutSeconds}");
        nat.Run("sysctl", "-q", "-w", $"net.netfilter.nf_conntrack_udp_timeout_stream={ConntrackTimeoutSeconds}");

        using StrongSwanPeer responder = StrongSwanPeer.Start(scenario.Hub, new StrongSwanConnection
        {
            LocalAddress = DialUpTopology.HubWanAddress,
            RemoteAddress = "%any",
            RemoteId = SharpSwanAddress,
            LocalSubnet = DialUpTopology.HubLanSubnet,
            RemoteSubnet = "10.2.0.0/24",
            PreSharedKey = scenario.PreSharedKey,
        }, "responder", scenario.DiagnosticsDirectory);
        responder.LoadAll();
        var config = new SharpSwanConfig
        {
            PreSharedKey = scenario.PreSharedKey,
            RemoteGateway = DialUpTopology.HubWanAddress,
            Interface = DialUpTopology.WanInterface,
            LocalSubnet = "10.2.0.0 255.255.255.0",
            RemoteSubnet = "10.1.0.0 255.255.255.0",
            Dpd = "on-demand",
            DpdRetryIntervalSeconds = 5,
        };
        SharpSwanGateway gateway = scenario.StartGateway(inside, config.Render(), "behind-nat");
        gateway.Cli($"diagnose vpn tunnel up {config.Phase2Name} {config.Phase1Name}");
        scenario.WaitFor(() => responder.InstalledChildSas().Count > 0, TimeSpan.FromSeconds(30), "strongSwan lists an INSTALLED CHILD_SA with the SharpSwan behind the NAT");
        scenario.RequirePing(inside, SharpSwanLan, DialUpTopology.HubLanAddress);
        int? portBefore = PublicPort(responder.ListSas());
        scenario.Require(portBefore is not null, $"strongSwan sees SharpSwan at the NAT's public address:\n{responder.ListSas()}");
        gateway.Note($"mapping before: {DialUpTopology.NatPublicAddress}:{portBefore}");

        // 1. Idle for a minute, three times the conntrack timeout: only NAT-T keepalives cross the NAT. strongSwan (not behind a
        // NAT, so it sends none) then reaches SharpSwan's LAN first, through the mapping the keepalives kept.
        Thread.Sleep(TimeSpan.FromSeconds(65));
        scenario.RequirePing(scenario.Hub, DialUpTopology.HubLanAddress, SharpSwanLan);
        scenario.Require(PublicPort(responder.ListSas()) == portBefore, "the mapping did not change while idle");

        // 2. Force a new mapping: the masquerade now picks a random port, and conntrack forgets the old one.
        nat.Run("nft", "flush chain ip dialup-nat postrouting");
        nat.Run("nft", $"add rule ip dialup-nat postrouting ip saddr {DialUpTopology.NatInsideSubnet} oifname \"{DialUpTopology.WanInterface}\" masquerade random");
        ProcessResult flush = nat.Exec("conntrack", "-F");
        scenario.Require(flush.Succeeded, $"conntrack -F in the NAT namespace succeeds; got {flush.Describe()}");
        using (ContinuousPing pinging = ContinuousPing.Start(
            inside, SharpSwanLan, DialUpTopology.HubLanAddress, count: 60, TimeSpan.FromMilliseconds(500),
            Path.Combine(scenario.DiagnosticsDirectory, "ping-across-the-mapping-change.log")))
        {
            scenario.WaitFor(
                () => PublicPort(responder.ListSas()) is { } port && port != portBefore,
                TimeSpan.FromSeconds(30),
                () => $"strongSwan follows SharpSwan to its new mapping (was port {portBefore}):\n{responder.ListSas()}");
            PingSummary? summary = pinging.Finish();
            gateway.Note($"mapping after: {DialUpTopology.NatPublicAddress}:{PublicPort(responder.ListSas())}; ping across the change: {summary}");
            scenario.Require(summary is not null && summary.Received > 0, $"traffic crosses the tunnel again after the mapping change: {summary}");
        }

        scenario.RequirePing(inside, SharpSwanLan, DialUpTopology.HubLanAddress);
        scenario.RequirePing(scenario.Hub, DialUpTopology.HubLanAddress, SharpSwanLan);
        scenario.Require(responder.InstalledChildSas().Count > 0, "strongSwan still lists an INSTALLED CHILD_SA");
        scenario.Require(!gateway.HasExited, "the gateway is still running");
    }

    /// <summary>
    /// The other way round, where SharpSwan must follow: a strongSwan road warrior behind the masquerade, the SharpSwan hub
    /// public. After the mapping moves, the road warrior's ESP arrives from a new port and the hub's answers are lost until
    /// an authenticated IKE message (strongSwan's liveness check) shows the hub the new endpoint; from then on the child SA's
    /// ESP goes there too (before issue 11 only the IKE SA moved, and the hub's ESP kept going to the dead mapping).
    /// </summary>
    [Fact]
    public void HubFollowsARoadWarriorsMovedMapping_WithItsChildSaEsp_OnTheNextAuthenticatedMessage()
    {
        using DialUpScenario scenario = DialUpScenario.Create(nameof(HubFollowsARoadWarriorsMovedMapping_WithItsChildSaEsp_OnTheNextAuthenticatedMessage));
        NetworkNamespace client = scenario.Topology.AddHostBehindNat(SharpSwanAddress);
        NetworkNamespace nat = scenario.Topology.Nat!;
        SharpSwanGateway hub = scenario.StartHub(scenario.HubConfig(scenario.PskPhase1("dialup-psk", "10.10.10.1", "10.10.10.20")));
        StrongSwanPeer roadWarrior = scenario.StartRoadWarrior(client, scenario.PskClient("client.lab") with { DpdDelay = "5s" }, "road-warrior");
        string vip = scenario.Connect(roadWarrior);
        scenario.RequirePing(client, vip, DialUpTopology.HubLanAddress);
        string before = hub.Cli("diagnose vpn ike gateway list");

        nat.Run("nft", "flush chain ip dialup-nat postrouting");
        nat.Run("nft", $"add rule ip dialup-nat postrouting ip saddr {DialUpTopology.NatInsideSubnet} oifname \"{DialUpTopology.WanInterface}\" masquerade random");
        ProcessResult flush = nat.Exec("conntrack", "-F");
        scenario.Require(flush.Succeeded, $"conntrack -F in the NAT namespace succeeds; got {flush.Describe()}");
        PingSummary? summary;
        using (ContinuousPing pinging = ContinuousPing.Start(
            client, vip, DialUpTopology.HubLanAddress, count: 60, TimeSpan.FromMilliseconds(500),
            Path.Combine(scenario.DiagnosticsDirectory, "ping-across-the-mapping-change.log")))
        {
            summary = pinging.Finish();
        }

        string after = hub.Cli("diagnose vpn ike gateway list");
        hub.Note($"ping across the change: {summary}\nbefore:\n{before}\nafter:\n{after}");
        scenario.Require(
            HubSidePort(after) is { } port && port != HubSidePort(before),
            $"the hub's IKE SA follows the road warrior to its new mapping:\nbefore:\n{before}\nafter:\n{after}");
        scenario.Require(summary is not null && summary.Unanswered.Count < summary.Transmitted / 2 && summary.Received > 0, $"the road warrior's pings are answered again once the hub followed: {summary}");
        scenario.RequirePing(client, vip, DialUpTopology.HubLanAddress);
        scenario.Require(roadWarrior.InstalledChildSas().Count == 1, "the road warrior still has its one child SA (nothing was renegotiated)");
    }

    private static int? HubSidePort(string gatewayList)
    {
        Match match = HubSideEndpoint().Match(gatewayList);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"-> 192\.0\.2\.2:(\d+)")]
    private static partial Regex HubSideEndpoint();

    /// <summary>The NAT's public port strongSwan lists for its peer (<c>remote ... @ 192.0.2.2[port]</c>).</summary>
    private static int? PublicPort(string listSas)
    {
        Match match = RemoteEndpoint().Match(listSas);
        return match.Success ? int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    [GeneratedRegex(@"@ 192\.0\.2\.2\[(\d+)\]")]
    private static partial Regex RemoteEndpoint();
}
