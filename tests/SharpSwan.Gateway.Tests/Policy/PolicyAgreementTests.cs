using System.Buffers.Binary;
using System.Text.Json;
using SharpSwan.Config;
using SharpSwan.Esp.Core;
using SharpSwan.Esp.Policy;
using SharpSwan.Gateway.Policy;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Policy;

/// <summary>
/// The two renderings of the firewall policies agree: <see cref="PolicyTable"/> (what the simulation runs) and the nftables
/// ruleset <see cref="NftRuleset"/> writes for the kernel. Generated packets, on the edges of every address range, service
/// port and protocol of the configuration, are written into TUN devices inside a private network namespace that holds the
/// ruleset; the nftables counter that moved must be the policy the table decides for the same packet.
/// </summary>
public sealed class PolicyAgreementTests
{
    private const string Configuration = """
        config firewall address
            edit "hq-lan"
                set subnet 10.1.0.0 255.255.255.0
            next
            edit "hq-servers"
                set type iprange
                set start-ip 10.1.0.10
                set end-ip 10.1.0.19
            next
            edit "branch-lan"
                set subnet 10.2.0.0 255.255.255.0
            next
            edit "rb-lan"
                set subnet 10.3.0.0 255.255.0.0
            next
        end
        config firewall addrgrp
            edit "branches"
                set member "branch-lan" "rb-lan"
            next
        end
        config firewall service custom
            edit "web"
                set tcp-portrange 443 8000-8080
                set udp-portrange 443
            next
            edit "gre"
                set protocol IP
                set protocol-number 47
            next
        end
        config vpn ipsec phase1
            edit "to-branch"
                set interface "wan0"
                set ike-version 2
                set remote-gw 198.51.100.2
                set psksecret "agreement-psk"
            next
        end
        config vpn ipsec phase2
            edit "to-branch-p2"
                set phase1name "to-branch"
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
            next
        end
        config vpn ipsec phase1-interface
            edit "rb"
                set interface "wan0"
                set ike-version 2
                set remote-gw 198.51.100.3
                set psksecret "agreement-psk"
            next
        end
        config firewall policy
            edit 1
                set srcintf "lan0"
                set dstintf "wan0"
                set srcaddr "hq-servers"
                set dstaddr "branch-lan"
                set action ipsec
                set schedule "always"
                set service "web" "gre"
                set inbound enable
                set vpntunnel "to-branch"
            next
            edit 2
                set srcintf "lan0"
                set dstintf "wan0"
                set srcaddr "hq-lan"
                set dstaddr "branch-lan"
                set action ipsec
                set schedule "always"
                set service "ALL_UDP"
                set outbound disable
                set vpntunnel "to-branch"
            next
            edit 3
                set srcintf "lan0"
                set dstintf "rb"
                set srcaddr "hq-lan"
                set dstaddr "branches"
                set action accept
                set schedule "always"
                set service "ALL"
            next
            edit 4
                set srcintf "lan0"
                set dstintf "wan0"
                set srcaddr "all"
                set dstaddr "all"
                set action deny
                set schedule "always"
                set service "ALL_ICMP"
            next
            edit 5
                set srcintf "lan0"
                set dstintf "wan0"
                set srcaddr "hq-lan"
                set dstaddr "all"
                set action accept
                set schedule "always"
                set service "ALL_TCP"
                set status disable
            next
            edit 6
                set srcintf "lan0"
                set dstintf "wan0"
                set srcaddr "hq-lan"
                set dstaddr "all"
                set action accept
                set schedule "always"
                set service "web"
            next
        end
        """;

    private static readonly PolicyTunnelDevice Device = new("to-branch", 1);

    [Fact]
    public void Generated_packets_hit_the_nftables_counter_of_the_policy_PolicyTable_decides()
    {
        Assert.True(ProcessPrivileges.IsRoot, "root is required: the test creates a network namespace and TUN devices");
        var parsed = ConfigurationLoader.Parse(Configuration, "agreement.conf");
        Assert.True(parsed.IsValid, string.Join("\n", parsed.Errors));
        var configuration = parsed.Configuration!;
        var table = PolicyTable.Compile(configuration);
        using var lab = new PolicyNamespaceLab(Device);
        lab.Load(NftRuleset.Render(configuration, new Dictionary<string, PolicyTunnelDevice> { ["to-branch"] = Device }));

        var checkedPackets = 0;
        var seen = new HashSet<long>();
        var portless = new HashSet<(uint, uint, byte)>();
        foreach (var (fromTunnel, flow) in Packets(configuration))
        {
            // Conntrack knows a flow without ports by its addresses alone: a repeat (either way) would be established, not new.
            if (!flow.HasPorts && !portless.Add((Math.Min(flow.Source, flow.Destination), Math.Max(flow.Source, flow.Destination), flow.Protocol)))
            {
                continue;
            }

            var outInterface = Route(flow.Destination);
            var expected = fromTunnel
                ? table.DecideFromTunnel(Device.Phase1, outInterface, flow).PolicyId
                : table.Decide("lan0", outInterface, flow).PolicyId;
            var hit = lab.Send(fromTunnel ? lab.Tunnel : lab.Lan, flow);
            Assert.True(
                hit == NftRuleset.CounterName(expected),
                $"{(fromTunnel ? "from the tunnel" : "from lan0")} to {outInterface}: {Describe(flow)}: PolicyTable says policy {expected}, nftables counted {hit ?? "nothing"}");
            seen.Add(expected);
            checkedPackets++;
        }

        // The generated packets reach every enabled policy and the implicit deny, so each rule was compared at least once.
        Assert.Equal([0L, 1, 2, 3, 4, 6], seen.Order());
        Assert.True(checkedPackets > 150, $"only {checkedPackets} packets");
    }

    /// <summary>What the namespace's FIB answers: the LAN is connected, 10.3/16 goes into the route-based tunnel, the rest to wan0.</summary>
    private static string Route(uint destination) =>
        (destination >> 8) == 0x0a0100 ? "lan0" : (destination >> 16) == 0x0a03 ? "rb" : "wan0";

    /// <summary>
    /// Flows from the LAN and from the tunnel: between the edges of every policy's own address ranges (reversed for the
    /// tunnel) on the edges of its service ports, then random pairs over the edges of every address range.
    /// </summary>
    private static IEnumerable<(bool FromTunnel, PacketFlow Flow)> Packets(GatewayConfiguration configuration)
    {
        ushort[] ports = [443, 444, 8080, 8081];
        byte[] protocols = [6, 17, 1, 47];
        var sourcePort = (ushort)20000;
        PacketFlow Flow(uint source, uint destination, byte protocol, ushort port)
        {
            // A fresh source port (or address pair) per packet, so conntrack sees each as a new connection.
            var hasPorts = protocol is 6 or 17;
            return new PacketFlow(source, destination, protocol, hasPorts ? sourcePort++ : (ushort)0, hasPorts ? port : (ushort)0, hasPorts);
        }

        foreach (var compiled in PolicyTable.Compile(configuration).Policies)
        {
            foreach (var fromTunnel in new[] { false, true })
            {
                var (sources, destinations) = fromTunnel ? (compiled.Destinations, compiled.Sources) : (compiled.Sources, compiled.Destinations);
                foreach (var (source, destination) in Edges(sources).SelectMany(a => Edges(destinations).Select(b => (a, b))).Where(p => p.a != p.b).Take(4))
                {
                    foreach (var protocol in protocols)
                    {
                        foreach (var port in protocol is 6 or 17 ? ports : ports[..1])
                        {
                            yield return (fromTunnel, Flow(source, destination, protocol, port));
                        }
                    }
                }
            }
        }

        var edges = Edges([.. configuration.FirewallAddresses.Select(a => (CompiledPolicy.ToUInt32(a.Range.Start), CompiledPolicy.ToUInt32(a.Range.End)))])
            .SelectMany(e => new[] { e - 1, e, e + 1 })
            .Append(CompiledPolicy.ToUInt32(System.Net.IPAddress.Parse("192.0.2.77")))
            .Where(Usable)
            .Distinct()
            .ToList();
        var random = new Random(4711);
        for (var i = 0; i < 60; i++)
        {
            var flow = Flow(edges[random.Next(edges.Count)], edges[random.Next(edges.Count)], protocols[random.Next(protocols.Length)], ports[random.Next(ports.Length)]);
            if (flow.Source != flow.Destination)
            {
                yield return (i % 2 == 1, flow);
            }
        }
    }

    /// <summary>The edges of each range that are usable addresses (first, third, last but one, last) (the whole IPv4 space stands for itself by 192.0.2.77).</summary>
    private static IEnumerable<uint> Edges(IReadOnlyList<(uint First, uint Last)> ranges) =>
        ranges.SelectMany(r => r is (0, uint.MaxValue)
                ? [CompiledPolicy.ToUInt32(System.Net.IPAddress.Parse("192.0.2.77"))]
                : new[] { r.First, r.First + 2, r.Last - 1, r.Last })
            .Where(Usable)
            .Distinct();

    /// <summary>Unicast addresses that are not the namespace's own (10.1.0.1, 198.51.100.1) and that the kernel routes.</summary>
    private static bool Usable(uint address) =>
        address >> 24 is not (0 or 127 or >= 224) && address != 0x0a010001 && (address & 0xff) is not (0 or 255);

    private static string Describe(PacketFlow flow) =>
        $"{SharpSwan.Ike.Negotiation.SelectorMath.FromUInt32(flow.Source)}:{flow.SourcePort} -> {SharpSwan.Ike.Negotiation.SelectorMath.FromUInt32(flow.Destination)}:{flow.DestinationPort} proto {flow.Protocol}";
}
