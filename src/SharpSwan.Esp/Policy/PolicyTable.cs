using System.Collections.Immutable;
using SharpSwan.Config;
using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Policy;

/// <summary>
/// The firewall policies of a configuration as one decision, shared by the gateway (which also renders them as nftables
/// rules) and the simulation: first enabled match top-down in table order, else the implicit deny (policy 0). A decision
/// is about a connection being started; replies to an allowed connection pass by connection tracking, not by policy.
/// </summary>
/// <remarks>
/// An <c>ipsec</c> policy serves both directions of its tunnel (FortiOS): matched as written for connections the local
/// network starts (allowed with <c>outbound enable</c>), and reversed (source in <c>dstaddr</c>, destination in
/// <c>srcaddr</c>) for decrypted traffic from its <c>vpntunnel</c> that the remote network starts (allowed with
/// <c>inbound enable</c>). A matching policy whose direction is disabled decides deny; later policies are not tried.
/// A policy matches only while its schedule is active at the <c>utcNow</c> the caller passes (schedules run on UTC;
/// the table never reads a clock, so the simulation decides on virtual time); without a time, only policies whose
/// schedule is active at every moment (<c>always</c>) match.
/// </remarks>
public sealed class PolicyTable
{
    private long _implicitDenyHits;

    private readonly ImmutableHashSet<string> _routeTunnels;

    private PolicyTable(ImmutableArray<CompiledPolicy> policies, bool governs, ImmutableHashSet<string> routeTunnels)
    {
        Policies = policies;
        Governs = governs;
        _routeTunnels = routeTunnels;
    }

    /// <summary>An empty table that governs nothing: today's behaviour without <c>config firewall policy</c>.</summary>
    public static PolicyTable None { get; } = new([], false, []);

    /// <summary>The policies in matching order.</summary>
    public ImmutableArray<CompiledPolicy> Policies { get; }

    /// <summary>False when the configuration has no policy table: then all traffic routed into a tunnel interface may use it.</summary>
    public bool Governs { get; }

    /// <summary>Connections no policy matched (policy 0's hit count).</summary>
    public long ImplicitDenyHits => Interlocked.Read(ref _implicitDenyHits);

    public static PolicyTable Compile(GatewayConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.HasPolicyTable
            ? new PolicyTable(
                [.. configuration.FirewallPolicies.Select(p => new CompiledPolicy(p, configuration))],
                true,
                [.. configuration.Phase1.Where(p => p.IsInterfaceMode).Select(p => p.Name)])
            : None;
    }

    /// <summary>
    /// A connection the local side starts, arriving on <paramref name="sourceInterface"/> and routed out of
    /// <paramref name="destinationInterface"/> (a Linux interface, or a phase1-interface tunnel name). Addresses only: the
    /// protocol is unknown, so only policies whose services cover every protocol can match.
    /// </summary>
    /// <param name="source">Source address, host byte order.</param>
    /// <param name="destination">Destination address, host byte order.</param>
    public PolicyDecision Decide(string sourceInterface, string destinationInterface, uint source, uint destination) =>
        Decide(sourceInterface, destinationInterface, new PacketFlow(source, destination, 0, 0, 0, false));

    /// <summary>
    /// A connection the local side starts, arriving on <paramref name="sourceInterface"/> and routed out of
    /// <paramref name="destinationInterface"/> (a Linux interface, or a phase1-interface tunnel name).
    /// </summary>
    public PolicyDecision Decide(string sourceInterface, string destinationInterface, in PacketFlow flow, DateTime? utcNow = null)
    {
        if (!Governs)
        {
            return new PolicyDecision(0, PolicyVerdict.Accept, null);
        }

        foreach (var compiled in Policies)
        {
            var policy = compiled.Policy;
            if (!policy.Enabled
                || !CompiledPolicy.InterfaceMatches(policy.SourceInterfaces, sourceInterface)
                || !CompiledPolicy.InterfaceMatches(policy.DestinationInterfaces, destinationInterface)
                || !compiled.TrafficMatches(flow, utcNow))
            {
                continue;
            }

            compiled.Hit();
            return compiled.OutboundDecision();
        }

        Interlocked.Increment(ref _implicitDenyHits);
        return PolicyDecision.ImplicitDeny;
    }

    /// <summary>
    /// A connection the remote side starts, decrypted from the policy-based tunnel <paramref name="tunnel"/> and routed out
    /// of <paramref name="destinationInterface"/> (null: any). Addresses only (see the other overload).
    /// </summary>
    public PolicyDecision DecideFromTunnel(string tunnel, string? destinationInterface, uint source, uint destination) =>
        DecideFromTunnel(tunnel, destinationInterface, new PacketFlow(source, destination, 0, 0, 0, false));

    /// <summary>
    /// A connection the remote side starts, decrypted from the policy-based tunnel <paramref name="tunnel"/> and routed out of
    /// <paramref name="destinationInterface"/> (null: any). Matched against the ipsec policies of that tunnel, reversed
    /// (addresses swap sides; the service still names the destination port, the one the remote side connects to).
    /// </summary>
    public PolicyDecision DecideFromTunnel(string tunnel, string? destinationInterface, in PacketFlow flow, DateTime? utcNow = null)
    {
        ArgumentNullException.ThrowIfNull(tunnel);
        foreach (var compiled in Policies)
        {
            var policy = compiled.Policy;
            if (!policy.Enabled
                || policy.Action != PolicyAction.Ipsec
                || !string.Equals(policy.VpnTunnel, tunnel, StringComparison.Ordinal)
                || !CompiledPolicy.InterfaceMatches(policy.SourceInterfaces, destinationInterface)
                || !compiled.TrafficMatches(flow, utcNow, reversed: true))
            {
                continue;
            }

            compiled.Hit();
            return policy.Inbound
                ? new PolicyDecision(policy.Id, PolicyVerdict.Ipsec, tunnel)
                : new PolicyDecision(policy.Id, PolicyVerdict.Deny, null);
        }

        Interlocked.Increment(ref _implicitDenyHits);
        return PolicyDecision.ImplicitDeny;
    }

    /// <summary>
    /// A connection this host starts (local-out), routed out of <paramref name="destinationInterface"/>. FortiOS does not
    /// govern local-out with policies, except that an ipsec policy towards the egress interface sends matching traffic
    /// into its tunnel (KB 345095: route lookup, then policy lookup towards that interface). There is no ingress
    /// interface, so <c>srcintf</c> is never checked. SharpSwan also applies accept/deny policies, and the implicit deny,
    /// to traffic routed into a route-based tunnel interface, as for forwarded traffic; anything else leaves in clear
    /// (<see cref="PolicyVerdict.Accept"/> with policy 0, not counted). The nftables chain <c>local_out</c> says the same.
    /// </summary>
    public PolicyDecision DecideLocalOut(string destinationInterface, in PacketFlow flow, DateTime? utcNow = null)
    {
        ArgumentNullException.ThrowIfNull(destinationInterface);
        if (!Governs)
        {
            return new PolicyDecision(0, PolicyVerdict.Accept, null);
        }

        var intoRouteTunnel = _routeTunnels.Contains(destinationInterface);
        foreach (var compiled in Policies)
        {
            var policy = compiled.Policy;
            if (!policy.Enabled
                || (policy.Action != PolicyAction.Ipsec && !intoRouteTunnel)
                || !CompiledPolicy.InterfaceMatches(policy.DestinationInterfaces, destinationInterface)
                || !compiled.TrafficMatches(flow, utcNow))
            {
                continue;
            }

            compiled.Hit();
            return compiled.OutboundDecision();
        }

        if (!intoRouteTunnel)
        {
            return new PolicyDecision(0, PolicyVerdict.Accept, null);
        }

        Interlocked.Increment(ref _implicitDenyHits);
        return PolicyDecision.ImplicitDeny;
    }

    /// <summary>
    /// Whether a phase 1 may be negotiated at all. FortiOS refuses to establish an IPsec SA that no policy refers to
    /// ("ignoring request to establish IPsec SA, no policy configured"); without a policy table, route-based tunnels
    /// keep today's behaviour.
    /// </summary>
    public static bool IsReferenced(GatewayConfiguration configuration, string phase1Name) =>
        configuration?.IsReferencedByPolicy(phase1Name) ?? throw new ArgumentNullException(nameof(configuration));
}
