using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using SharpSwan.Config;

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
    }

    public FirewallPolicy Policy { get; }

    /// <summary>The source ranges (inclusive, host order) of <c>srcaddr</c>.</summary>
    public ImmutableArray<(uint First, uint Last)> Sources { get; }

    /// <summary>The destination ranges of <c>dstaddr</c>.</summary>
    public ImmutableArray<(uint First, uint Last)> Destinations { get; }

    /// <summary>Connections this policy decided (FortiOS's hit count).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    internal void Hit() => Interlocked.Increment(ref _hits);

    /// <summary>
    /// Whether the flow's protocol and ports are among the policy's services. The configuration allows only the predefined
    /// <c>ALL</c> so far, which covers every protocol.
    /// </summary>
    internal bool ServiceMatches(in SharpSwan.Esp.Core.PacketFlow flow) => true;

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
