using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Esp.Core;

namespace SharpSwan.Esp.Policy;

/// <summary>One firewall policy with its address names resolved to ranges, and its hit counter.</summary>
public sealed class CompiledPolicy
{
    private long _hits;

    internal CompiledPolicy(FirewallPolicy policy, GatewayConfiguration configuration)
    {
        Policy = policy;
        Sources = Resolve(policy.SourceAddresses, configuration);
        Destinations = Resolve(policy.DestinationAddresses, configuration);
        Services = [.. policy.Services.SelectMany(configuration.ResolveService).Distinct()];
        Schedule = configuration.ResolveSchedule(policy.Schedule);
    }

    public FirewallPolicy Policy { get; }

    /// <summary>The source ranges (inclusive, host order) of <c>srcaddr</c>.</summary>
    public ImmutableArray<(uint First, uint Last)> Sources { get; }

    /// <summary>The destination ranges of <c>dstaddr</c>.</summary>
    public ImmutableArray<(uint First, uint Last)> Destinations { get; }

    /// <summary>What <c>service</c> matches (a policy without one matches nothing, as validation requires it).</summary>
    public ImmutableArray<ServiceRange> Services { get; }

    /// <summary>The schedule <c>schedule</c> names (null for an unknown name, refused by validation: never active).</summary>
    public FirewallSchedule? Schedule { get; }

    /// <summary>Connections this policy decided (FortiOS's hit count).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    internal void Hit() => Interlocked.Increment(ref _hits);

    /// <summary>
    /// Whether the flow's protocol and ports are among the policy's services: the destination port is the one the
    /// connection's starter connects to, in either direction of an ipsec policy. A flow without ports (ICMP, a later
    /// fragment, or a decision on addresses alone with protocol 0) matches only services that check no port, and a flow of
    /// unknown protocol only services of every protocol.
    /// </summary>
    internal bool ServiceMatches(in PacketFlow flow)
    {
        foreach (var range in Services)
        {
            if (range.Protocol != 0 && range.Protocol != flow.Protocol)
            {
                continue;
            }

            if (range.AllPorts || (flow.HasPorts && flow.DestinationPort >= range.DestinationLow && flow.DestinationPort <= range.DestinationHigh
                && flow.SourcePort >= range.SourceLow && flow.SourcePort <= range.SourceHigh))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the policy's schedule is active at <paramref name="utcNow"/>, the caller's clock (the simulation's virtual
    /// time, the gateway's UTC). Without a time only a schedule active at every moment matches.
    /// </summary>
    internal bool ScheduleMatches(DateTime? utcNow) =>
        Schedule is { } schedule && (schedule.IsAlways || (utcNow is { } now && schedule.IsActive(now)));

    /// <summary>
    /// Whether the flow's addresses, service and the schedule match: <paramref name="reversed"/> for traffic the remote side
    /// of an ipsec policy starts (its addresses swap sides; the service still names the port connected to).
    /// </summary>
    internal bool TrafficMatches(in PacketFlow flow, DateTime? utcNow, bool reversed = false) =>
        AddressMatches(reversed ? Destinations : Sources, flow.Source)
        && AddressMatches(reversed ? Sources : Destinations, flow.Destination)
        && ServiceMatches(flow)
        && ScheduleMatches(utcNow);

    /// <summary>What this policy decides for traffic leaving towards its destination: accept, into its tunnel, or deny.</summary>
    internal PolicyDecision OutboundDecision() => Policy.Action switch
    {
        PolicyAction.Accept => new PolicyDecision(Policy.Id, PolicyVerdict.Accept, null),
        PolicyAction.Ipsec when Policy.Outbound => new PolicyDecision(Policy.Id, PolicyVerdict.Ipsec, Policy.VpnTunnel),
        _ => new PolicyDecision(Policy.Id, PolicyVerdict.Deny, null),
    };

    internal static bool InterfaceMatches(ImmutableArray<string> interfaces, string? name) =>
        name is null || interfaces.Any(i => i == FirewallPolicy.AnyInterface || string.Equals(i, name, StringComparison.Ordinal));

    internal static bool AddressMatches(ImmutableArray<(uint First, uint Last)> ranges, uint address)
    {
        foreach (var (first, last) in ranges)
        {
            if (address >= first && address <= last)
            {
                return true;
            }
        }

        return false;
    }

    public static uint ToUInt32(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> bytes = stackalloc byte[4];
        return address.TryWriteBytes(bytes, out var written) && written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : 0;
    }

    private static ImmutableArray<(uint, uint)> Resolve(ImmutableArray<string> names, GatewayConfiguration configuration) =>
        [.. names.SelectMany(configuration.ResolveAddress).Select(r => (ToUInt32(r.Start), ToUInt32(r.End)))];
}
