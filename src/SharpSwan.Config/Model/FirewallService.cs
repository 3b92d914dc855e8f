using System.Collections.Immutable;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config firewall service custom</c> entry: protocols and ports a policy's <c>service</c> names. SharpSwan
/// implements <c>protocol TCP/UDP/SCTP</c> (and its UDP-Lite form) with port ranges, <c>protocol IP</c> with a
/// protocol number and <c>protocol ICMP</c> (every ICMP message).
/// </summary>
/// <param name="Name">The <c>edit</c> name.</param>
public sealed record FirewallService(string Name)
{
    /// <summary>FortiOS limits service names to 79 characters.</summary>
    public const int MaxNameLength = 79;

    /// <summary>The <c>protocol</c> keyword as written (FortiOS default <c>TCP/UDP/UDP-Lite/SCTP</c>).</summary>
    public string ProtocolKind { get; init; } = FirewallServiceSchema.DefaultProtocol;

    /// <summary><c>protocol-number</c> for <c>protocol IP</c> (0: every protocol).</summary>
    public int ProtocolNumber { get; init; }

    /// <summary>The port ranges by protocol number (TCP 6, UDP 17, SCTP 132, UDP-Lite 136), as written.</summary>
    public ImmutableArray<ServiceRange> PortRanges { get; init; } = [];

    /// <summary>Other FortiOS settings we accept and keep verbatim (<c>comment</c>, <c>color</c>, <c>category</c>).</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    /// <summary>
    /// The whole-protocol services FortiOS predefines, known without a <c>config firewall service custom</c> entry (an entry
    /// of the same name replaces one). Port services such as HTTP are entries of FortiOS's default configuration, not built
    /// in: a configuration that names them defines them.
    /// </summary>
    public static IReadOnlyDictionary<string, ImmutableArray<ServiceRange>> Predefined { get; } = new Dictionary<string, ImmutableArray<ServiceRange>>(StringComparer.Ordinal)
    {
        ["ALL"] = [ServiceRange.All],
        ["ALL_TCP"] = [ServiceRange.AllOf(6)],
        ["ALL_UDP"] = [ServiceRange.AllOf(17)],
        ["ALL_ICMP"] = [ServiceRange.AllOf(1)],
    };

    /// <summary>What the service matches.</summary>
    public IReadOnlyList<ServiceRange> Ranges => ProtocolKind switch
    {
        FirewallServiceSchema.IpProtocol => [ServiceRange.AllOf((byte)ProtocolNumber)],
        FirewallServiceSchema.IcmpProtocol => [ServiceRange.AllOf(1)],
        _ => PortRanges,
    };

    public bool Equals(FirewallService? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
