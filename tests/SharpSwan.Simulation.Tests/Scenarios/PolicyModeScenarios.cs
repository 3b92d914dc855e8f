using System.Buffers.Binary;
using System.Net;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Simulation.Tests.Support;

namespace SharpSwan.Simulation.Tests.Scenarios;

/// <summary>
/// Issue 12: the article's phase-2 behaviours with policy-based tunnels (<c>config vpn ipsec phase1</c>/<c>phase2</c> and an
/// ipsec firewall policy). Every packet from the LAN is decided by the gateway's own <c>PolicyTable</c> (the code its
/// nftables ruleset is rendered from) before the packet core sees it; decrypted packets that start a flow are decided by
/// the same table, reversed.
/// </summary>
public sealed class PolicyModeScenarios
{
    private const string P1 = TunnelConfig.Phase1;
    private const string P2 = TunnelConfig.Phase2;

    private static readonly TunnelConfig PolicyA = TunnelConfig.SiteA with { PolicyMode = true };
    private static readonly TunnelConfig PolicyB = TunnelConfig.SiteB with { PolicyMode = true };

    /// <summary>
    /// Article: the phase 2 SA "is not negotiated until a peer attempts to send data" and "the triggering packet ... [is]
    /// dropped". Traffic no policy matches reaches no tunnel and starts no negotiation (implicit deny, policy 0).
    /// </summary>
    [Fact]
    public void On_demand_only_traffic_a_policy_sends_to_the_tunnel_starts_negotiation_and_the_trigger_is_dropped()
    {
        CheckedScenario.Run(seed: 38001, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(PolicyA, PolicyB);
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromHours(1));
            Assert.Empty(wire.Messages);

            Assert.False(a.SendTraffic(Scenario.Packet("10.1.0.5", "10.9.0.7", 0)));
            simulation.RunFor(TimeSpan.FromMinutes(1));
            Assert.Empty(wire.Messages);
            Assert.Equal(1, a.PolicyDeniedPackets);
            Assert.Equal(1, a.Policies.ImplicitDenyHits);

            var sentAt = simulation.Now;
            Assert.False(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunUntilEstablished(a, b);
            Assert.Equal(sentAt, Assert.Single(wire.InitRequestsFrom(Scenario.AddressA)).Time);
            Assert.Equal("traffic", Assert.Single(a.Events<ConnectionCreated>()).Reason);
            Assert.Equal(1, a.Traffic(P1, P2).DroppedWithoutSa);
            Assert.Equal(1, a.Policies.Policies[0].Hits);

            Assert.True(a.SendTraffic(Scenario.PacketAToB(2)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
        });
    }

    /// <summary>
    /// SharpSwan's <c>trigger-queue</c> in policy mode: the packets the policy sends to the tunnel while it negotiates are
    /// held and delivered, in order, once the SA is up, instead of dropped.
    /// </summary>
    [Fact]
    public void On_demand_with_trigger_queue_the_policy_matched_packets_are_held_and_delivered()
    {
        CheckedScenario.Run(seed: 38011, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(PolicyA with { TriggerQueue = 8 }, PolicyB);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromMinutes(1));

            Assert.False(a.SendTraffic(Scenario.PacketAToB(1)));
            Assert.False(a.SendTraffic(Scenario.PacketAToB(2)));
            Assert.Equal(2, a.QueuedPackets(P1, P2));
            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(0, a.QueuedPackets(P1, P2));
            Assert.Equal(0, a.Traffic(P1, P2).DroppedWithoutSa);
            Assert.Equal(2, b.Traffic(P1, P2).Delivered);

            // One flow: the policy decided its first packet; the second followed the connection.
            Assert.Equal(1, a.Policies.Policies[0].Hits);
        });
    }

    /// <summary>
    /// Traffic the gateway itself starts (FortiOS KB 345095): an ipsec policy towards the egress interface sends it into
    /// the tunnel although the policy's srcintf is the LAN (local-out has no ingress interface); what no ipsec policy
    /// matches leaves in clear. A forwarded packet from another ingress interface is still refused by the same policy.
    /// </summary>
    [Fact]
    public void Local_out_traffic_matches_ipsec_policies_without_srcintf_and_the_rest_leaves_in_clear()
    {
        CheckedScenario.Run(seed: 38012, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(PolicyA with { AutoNegotiate = true }, PolicyB);
            simulation.Start();
            simulation.RunUntilEstablished(a, b);

            Assert.True(a.SendLocal(Scenario.Packet("10.1.0.1", "10.2.0.7", 1)));
            Assert.False(a.SendLocal(Scenario.Packet(Scenario.AddressA.ToString(), "10.2.0.7", 2)));
            Assert.False(a.SendFrom("dmz", Scenario.Packet("10.1.0.6", "10.2.0.7", 3)));
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
            Assert.Equal(1, a.ClearPackets);
            Assert.Equal(1, a.PolicyDeniedPackets);
            Assert.Equal(1, a.Policies.Policies[0].Hits);
            Assert.Equal(1, a.Policies.ImplicitDenyHits);
        });
    }

    /// <summary>
    /// A policy-based phase 2 without subnets negotiates 0.0.0.0/0 both ways (FortiOS proposes the configured selectors, 0/0
    /// when unset); the ipsec policy's addresses then decide alone which traffic enters the tunnel.
    /// </summary>
    [Fact]
    public void A_phase2_of_0_0_0_0_0_carries_what_the_policy_sends_and_nothing_else()
    {
        CheckedScenario.Run(seed: 38013, (simulation, _) =>
        {
            var wildcard = new Dictionary<string, string> { [P2] = "set src-subnet 0.0.0.0 0.0.0.0\n        set dst-subnet 0.0.0.0 0.0.0.0" };
            var (a, b) = simulation.AddPair(
                PolicyA with { AutoNegotiate = true, Phase2Overrides = wildcard },
                PolicyB with { Phase2Overrides = wildcard });
            simulation.Start();
            simulation.RunUntilEstablished(a, b);
            var child = Assert.Single(a.InstalledSas);
            Assert.Equal("0:0.0.0.0-255.255.255.255:0", SelectorMath.Describe(child.LocalSelector));
            Assert.Equal("0:0.0.0.0-255.255.255.255:0", SelectorMath.Describe(child.RemoteSelector));

            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            Assert.False(a.SendTraffic(Scenario.Packet("10.1.0.5", "10.9.0.7", 2)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
            Assert.Equal(1, a.Policies.ImplicitDenyHits);
        });
    }

    /// <summary>Article: "Autokey Keep Alive ... ensures that a new Phase 2 SA is negotiated, even if there is no traffic".</summary>
    [Fact]
    public void Keepalive_rekeys_an_idle_policy_based_tunnel_at_every_soft_point()
    {
        CheckedScenario.Run(seed: 38002, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                PolicyA.Cheap(3600) with { Keepalive = true, Dpd = "disable" },
                PolicyB.Cheap(3600) with { Keepalive = true, Dpd = "disable" });
            simulation.Start();
            a.SendTraffic(Scenario.PacketAToB(0));
            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromDays(1));

            Assert.InRange(a.TimedSoftRekeys().Count(), 86400 / 3420, (86400 / 3400) + 1);
            Assert.False(simulation.AnyExpiry());
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
        });
    }

    /// <summary>Without keepalive or traffic the policy-based SA is not renewed: it expires after its first lifetime.</summary>
    [Fact]
    public void Without_keepalive_an_idle_policy_based_tunnel_expires_after_its_lifetime()
    {
        CheckedScenario.Run(seed: 38003, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(PolicyA.Cheap(3600) with { Dpd = "disable" }, PolicyB.Cheap(3600) with { Dpd = "disable" });
            simulation.Start();
            a.SendTraffic(Scenario.PacketAToB(0));
            simulation.RunUntilEstablished(a, b);
            simulation.RunFor(TimeSpan.FromDays(1));

            Assert.Empty(a.TimedSoftRekeys());
            Assert.Single(b.TimedHardExpiries());
            Assert.Empty(a.InstalledSas);
            Assert.Empty(b.InstalledSas);
        });
    }

    /// <summary>
    /// Article: with auto-negotiate the tunnel is retried every 5 seconds until it is up. The peer crashes and returns 40 s
    /// later; the policy-based tunnel is back within 5 s of its return.
    /// </summary>
    [Fact]
    public void Auto_negotiate_retries_a_policy_based_tunnel_every_5_seconds_until_the_peer_returns()
    {
        CheckedScenario.Run(seed: 38004, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(
                PolicyA.Cheap() with { AutoNegotiate = true, Dpd = "on-idle", DpdRetryInterval = 5, DpdRetryCount = 2 },
                PolicyB.Cheap());
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Single(a.InstalledSas);
            simulation.RunFor(TimeSpan.FromMinutes(1));

            b.Crash();
            simulation.RunFor(TimeSpan.FromSeconds(40));
            var dead = a.EventTimes<DpdFailed>().First();
            var bootAt = simulation.Now;
            b.Boot();
            simulation.RunFor(TimeSpan.FromSeconds(30));

            var inits = wire.InitRequestsFrom(Scenario.AddressA).Select(m => m.Time).Where(t => t >= dead).ToList();
            Retries.AssertEveryFiveSeconds(inits, dead, Retries.CountThrough(dead, bootAt));
            var back = a.Timeline.Last(e => e.Kind == SimulationEventKind.ChildInstalled).Time;
            Assert.True(back - bootAt <= TimeSpan.FromSeconds(5), $"back {(back - bootAt).TotalSeconds} s after the peer returned");
            Assert.True(a.SendTraffic(Scenario.PacketAToB(1)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal(1, b.Traffic(P1, P2).Delivered);
        });
    }

    /// <summary>Article: rekeys are make-before-break, so traffic both ways through the policy survives every one of them.</summary>
    [Fact]
    public void Rekeys_of_a_policy_based_tunnel_lose_no_packet_in_either_direction()
    {
        CheckedScenario.Run(seed: 38005, (simulation, invariants) =>
        {
            var (a, b) = simulation.AddPair(PolicyA.Cheap(600) with { Dpd = "disable" }, PolicyB.Cheap(600) with { Dpd = "disable" });
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            using var traffic = new TwoWayTraffic(simulation, a, b, TimeSpan.FromMilliseconds(100));
            simulation.RunFor(TimeSpan.FromHours(2));
            traffic.Stop();
            simulation.RunFor(TimeSpan.FromSeconds(1));

            Assert.InRange(a.TimedSoftRekeys().Count() + b.TimedSoftRekeys().Count(), 12, 18);
            Assert.False(simulation.AnyExpiry());
            traffic.AssertNothingLost();
            Assert.Equal(0, invariants.Check().PacketsLostDuringRekeys);
            Assert.Equal(0, a.PolicyDeniedPackets + b.PolicyDeniedPackets);
        });
    }

    /// <summary>
    /// Issue 12: with <c>inbound disable</c> the branch cannot start connections through the tunnel, while replies to the
    /// connections the HQ starts still come back; with <c>outbound disable</c> the HQ's traffic never enters the tunnel.
    /// </summary>
    [Fact]
    public void Inbound_disable_refuses_flows_the_peer_starts_but_passes_replies_to_ours()
    {
        CheckedScenario.Run(seed: 38006, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(PolicyA with { PolicyInbound = false }, PolicyB);
            var atA = new List<ushort>();
            a.PacketReceived += (_, _, packet) => atA.Add(BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(Ipv4Packet.HeaderLength)));
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            // The branch starts a flow: decrypted at A, reversed policy with inbound disable: dropped.
            Assert.True(b.SendTraffic(Udp("10.2.0.7", "10.1.0.5", 4000, 53)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Empty(atA);
            Assert.Equal(1, a.PolicyDeniedPackets);

            // The HQ starts one: it crosses, and the branch's reply comes back through the same flow.
            Assert.True(a.SendTraffic(Udp("10.1.0.5", "10.2.0.7", 5000, 53)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.True(b.SendTraffic(Udp("10.2.0.7", "10.1.0.5", 53, 5000)));
            simulation.RunFor(TimeSpan.FromSeconds(1));
            Assert.Equal([53], atA);
            Assert.Equal(1, a.PolicyDeniedPackets);
        });
    }

    [Fact]
    public void Outbound_disable_keeps_the_local_networks_traffic_out_of_the_tunnel_and_starts_no_negotiation()
    {
        CheckedScenario.Run(seed: 38007, (simulation, _) =>
        {
            var (a, _) = simulation.AddPair(PolicyA with { PolicyOutbound = false }, PolicyB);
            var wire = new IkeWireTap(simulation);
            simulation.Start();
            Assert.False(a.SendTraffic(Udp("10.1.0.5", "10.2.0.7", 5000, 53)));
            simulation.RunFor(TimeSpan.FromMinutes(1));

            Assert.Empty(wire.Messages);
            Assert.Equal(1, a.PolicyDeniedPackets);
            Assert.Equal(0, a.Traffic(P1, P2).DroppedWithoutSa);
            Assert.Equal(1, a.Policies.Policies[0].Hits);
        });
    }

    /// <summary>
    /// FortiOS: a policy change "immediately affects live traffic. Existing sessions are not re-evaluated unless sessions are
    /// cleared". A flow the branch started keeps crossing after <c>inbound disable</c> is applied, and is refused once the
    /// sessions are cleared.
    /// </summary>
    [Fact]
    public void A_policy_change_reaches_a_flow_already_passing_only_after_the_sessions_are_cleared()
    {
        CheckedScenario.Run(seed: 38008, (simulation, _) =>
        {
            var (a, b) = simulation.AddPair(PolicyA, PolicyB);
            var atA = 0;
            a.PacketReceived += (_, _, _) => atA++;
            simulation.Start();
            Assert.True(a.Initiate(P1, P2));
            simulation.RunUntilEstablished(a, b);

            void BranchSends()
            {
                Assert.True(b.SendTraffic(Udp("10.2.0.7", "10.1.0.5", 4000, 53)));
                simulation.RunFor(TimeSpan.FromSeconds(1));
            }

            BranchSends();
            Assert.Equal(1, atA);

            a.ApplyConfiguration((PolicyA with { PolicyInbound = false }).Render());
            BranchSends();
            Assert.Equal(2, atA);
            Assert.Equal(0, a.PolicyDeniedPackets);

            a.ClearSessions();
            BranchSends();
            Assert.Equal(2, atA);
            Assert.Equal(1, a.PolicyDeniedPackets);
        });
    }

    /// <summary>A UDP packet (header with ports, then 4 payload bytes) from and to the given addresses.</summary>
    internal static byte[] Udp(string source, string destination, ushort sourcePort, ushort destinationPort)
    {
        var payload = new byte[12];
        BinaryPrimitives.WriteUInt16BigEndian(payload, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(2), destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(4), (ushort)payload.Length);
        return Ipv4Packet.Create(IPAddress.Parse(source), IPAddress.Parse(destination), payload, protocol: 17);
    }
}
