using SharpSwan.Esp.Core;
using SharpSwan.Esp.Policy;

namespace SharpSwan.Simulation;

/// <summary>
/// Firewall policies in the simulation: the gateway's own <see cref="PolicyTable"/> decides each new flow, exactly as its
/// nftables rendering does in the gateway, and <see cref="SimulatedConnections"/> stands for the kernel's connection tracking.
/// The LAN is the interface <see cref="LanInterface"/>; routes send a flow into the route-based tunnel whose phase 2
/// covers it, else out of the policy-based phase 1's <c>interface</c>.
/// </summary>
public sealed partial class SimulatedGateway
{
    /// <summary>The interface simulated LAN traffic arrives on (a policy's <c>srcintf</c>).</summary>
    public const string LanInterface = "lan";

    private readonly SimulatedConnections _connections = new();

    /// <summary>The firewall policies in force, compiled from <see cref="Configuration"/> (hit counts restart with each change).</summary>
    public PolicyTable Policies { get; private set; }

    /// <summary>New flows a policy (or the implicit deny) refused, in either direction.</summary>
    public long PolicyDeniedPackets { get; private set; }

    /// <summary>Flows a policy accepted towards an interface that is not a tunnel: they would leave unencrypted.</summary>
    public long ClearPackets { get; private set; }

    /// <summary>Packets an ipsec policy sent to a tunnel none of whose phase 2 selectors cover them (FortiOS drops them).</summary>
    public long OutsideSelectorPackets { get; private set; }

    /// <summary>
    /// `diagnose sys session clear`: the connection tracking forgets every flow, so a policy change (a reorder, a policy
    /// disabled, <c>inbound disable</c>) reaches the flows that were already passing at their next packet.
    /// </summary>
    public void ClearSessions() => _connections.Clear();

    /// <summary>
    /// A packet arriving on <paramref name="sourceInterface"/>: a reply or later packet of a known flow goes where the flow
    /// went; a new flow goes where the policy table decides (FortiOS: route lookup, then policy lookup). True if it was
    /// encrypted and sent now.
    /// </summary>
    public bool SendFrom(string sourceInterface, byte[] innerIpv4Packet)
    {
        ArgumentNullException.ThrowIfNull(innerIpv4Packet);
        if (!PacketFlow.TryRead(innerIpv4Packet, out var flow))
        {
            UnroutedPackets++;
            return false;
        }

        if (_connections.Find(flow) is { } known)
        {
            return SendInto(known, flow, innerIpv4Packet);
        }

        var outInterface = RouteOut(flow);
        return Start(flow, outInterface, Policies.Decide(sourceInterface, outInterface, flow, _simulation.Now.UtcDateTime), innerIpv4Packet);
    }

    /// <summary>
    /// A packet the gateway itself starts (local-out): routed, then decided by <see cref="PolicyTable.DecideLocalOut"/>
    /// (an ipsec policy towards the egress interface sends it into its tunnel, whatever the policy's <c>srcintf</c>; what
    /// none matches leaves in clear). True if it was encrypted and sent now.
    /// </summary>
    public bool SendLocal(byte[] innerIpv4Packet)
    {
        ArgumentNullException.ThrowIfNull(innerIpv4Packet);
        if (!Policies.Governs || !PacketFlow.TryRead(innerIpv4Packet, out var flow))
        {
            return SendTraffic(innerIpv4Packet);
        }

        if (_connections.Find(flow) is { } known)
        {
            return SendInto(known, flow, innerIpv4Packet);
        }

        var outInterface = RouteOut(flow);
        return Start(flow, outInterface, Policies.DecideLocalOut(outInterface, flow, _simulation.Now.UtcDateTime), innerIpv4Packet);
    }

    /// <summary>A new flow as the policy decided it: remembered (conntrack) and sent where it goes, or refused and counted.</summary>
    private bool Start(PacketFlow flow, string outInterface, PolicyDecision decision, byte[] packet)
    {
        var owner = decision.Verdict switch
        {
            PolicyVerdict.Ipsec => decision.Tunnel!,
            PolicyVerdict.Accept when IsRouteTunnel(outInterface) => outInterface,
            PolicyVerdict.Accept => SimulatedConnections.NoTunnel,
            _ => null,
        };
        if (owner is null)
        {
            PolicyDeniedPackets++;
            return false;
        }

        _connections.Add(flow, owner);
        return SendInto(owner, flow, packet);
    }

    /// <summary>
    /// Whether a decrypted packet may go on to the LAN: part of a known flow, or a new flow the tunnel's policies admit
    /// (an ipsec policy reversed with <c>inbound enable</c>; for a route-based tunnel, an accept policy from it).
    /// </summary>
    private bool AdmitFromTunnel(Phase2Path path, byte[] inner)
    {
        if (!Policies.Governs || !PacketFlow.TryRead(inner, out var flow))
        {
            return true;
        }

        var tunnel = path.Settings.Phase1Name;
        if (_connections.Find(flow) is { } known && known == tunnel)
        {
            return true;
        }

        var decision = IsRouteTunnel(tunnel)
            ? Policies.Decide(tunnel, LanInterface, flow, _simulation.Now.UtcDateTime)
            : Policies.DecideFromTunnel(tunnel, LanInterface, flow, _simulation.Now.UtcDateTime);
        if (!decision.Allowed)
        {
            PolicyDeniedPackets++;
            return false;
        }

        _connections.Add(flow, tunnel);
        return true;
    }

    private bool SendInto(string owner, PacketFlow flow, byte[] packet)
    {
        if (owner.Length == 0)
        {
            ClearPackets++;
            return false;
        }

        var path = _paths.FirstOrDefault(p => p.Settings.Phase1Name == owner && p.Covers(flow));
        if (path is null)
        {
            OutsideSelectorPackets++;
            return false;
        }

        return SendTraffic(path.Phase1, path.Name, packet);
    }

    /// <summary>The route-based tunnel whose phase 2 covers the flow, else the interface of the (first) policy-based phase 1.</summary>
    private string RouteOut(PacketFlow flow) =>
        _paths.FirstOrDefault(p => IsRouteTunnel(p.Settings.Phase1Name) && p.Covers(flow))?.Settings.Phase1Name
        ?? Configuration.Phase1.FirstOrDefault(p => !p.IsInterfaceMode)?.Interface
        ?? "port1";

    private bool IsRouteTunnel(string name) => Configuration.FindPhase1(name) is { IsInterfaceMode: true };
}
