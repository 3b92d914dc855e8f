using System.Collections.Immutable;
using System.Text;
using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config vpn ipsec phase2-interface</c> (route-based) or <c>config vpn ipsec phase2</c>
/// (policy-based) entry. Property defaults are the FortiOS defaults (fortios.md §2).
/// </summary>
public sealed record Phase2Settings
{
    public const int MaxNameLength = 35;

    /// <summary>Our <c>trigger-queue</c> extension allows queueing at most this many packets per selector.</summary>
    public const int MaxTriggerQueue = 1024;

    public static readonly ImmutableArray<EspProposal> DefaultProposals =
        [.. EspProposal.DefaultNames.Select(EspProposal.Parse)];

    public static readonly ImmutableArray<DiffieHellmanGroup> DefaultDhGroups = [DiffieHellmanGroup.Modp2048];

    public required string Name { get; init; }

    /// <summary>True for <c>phase2-interface</c>, false for policy-based <c>phase2</c>.</summary>
    public bool IsInterfaceMode { get; init; } = true;

    public required string Phase1Name { get; init; }

    public ImmutableArray<EspProposal> Proposals { get; init; } = DefaultProposals;

    public bool Pfs { get; init; } = true;

    public ImmutableArray<DiffieHellmanGroup> DhGroups { get; init; } = DefaultDhGroups;

    public bool Replay { get; init; } = true;

    /// <summary>Autokey keepalive: renegotiate before expiry even without traffic.</summary>
    public bool Keepalive { get; init; }

    /// <summary>Negotiate this phase 2 as soon as phase 1 is up, and retry every 5 s until it is.</summary>
    public bool AutoNegotiate { get; init; }

    public KeyLifeType KeyLifeType { get; init; } = KeyLifeType.Seconds;

    public int KeyLifeSeconds { get; init; } = 43200;

    public long KeyLifeKbs { get; init; } = 5120;

    public Encapsulation Encapsulation { get; init; } = Encapsulation.TunnelMode;

    /// <summary>IP protocol number for the selectors; 0 means all.</summary>
    public byte Protocol { get; init; }

    public AddressSelector Source { get; init; } = AddressSelector.Any;

    public AddressSelector Destination { get; init; } = AddressSelector.Any;

    /// <summary>
    /// <c>src-addr-type name</c>: the firewall address or addrgrp <c>src-name</c> names; <see cref="Source"/> is what it
    /// resolved to when the configuration was loaded. Null for subnet, range and ip selectors.
    /// </summary>
    public string? SourceName { get; init; }

    /// <summary><c>dst-addr-type name</c>: the address or addrgrp <c>dst-name</c> names (see <see cref="SourceName"/>).</summary>
    public string? DestinationName { get; init; }

    /// <summary>0 means all ports.</summary>
    public ushort SourcePort { get; init; }

    public ushort DestinationPort { get; init; }

    /// <summary>
    /// SharpSwan extension <c>set trigger-queue &lt;0-1024&gt;</c>: packets held while this SA is being
    /// negotiated. 0 is the FortiOS behaviour (drop them).
    /// </summary>
    public int TriggerQueue { get; init; }

    /// <summary><c>inbound-dscp-copy</c>: enable (true), disable (false), or phase1 (null, the FortiOS default: as the phase 1 says).</summary>
    public bool? InboundDscpCopy { get; init; }

    /// <summary>What the packet core does: this phase 2's <see cref="InboundDscpCopy"/>, or its phase 1's for <c>phase1</c>.</summary>
    public bool CopiesInboundDscp { get; init; }

    public string? Comments { get; init; }

    /// <summary>Other FortiOS phase 2 settings we accept and keep verbatim.</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    /// <summary>
    /// Whether an SA negotiated under this phase 2 serves <paramref name="other"/> as well: the two differ at most in when
    /// SAs are made (keepalive, auto-negotiate), in what the data plane does around them (trigger-queue,
    /// inbound-dscp-copy) or in comments. A live change of only those keeps the phase 2's SAs.
    /// </summary>
    public bool SameNegotiatedSettings(Phase2Settings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return WithUnnegotiatedSettingsOf(other).Equals(other);
    }

    /// <summary>These settings with <paramref name="other"/>'s keepalive, auto-negotiate, trigger-queue, inbound-dscp-copy and comments.</summary>
    public Phase2Settings WithUnnegotiatedSettingsOf(Phase2Settings other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return this with
        {
            Keepalive = other.Keepalive,
            AutoNegotiate = other.AutoNegotiate,
            TriggerQueue = other.TriggerQueue,
            InboundDscpCopy = other.InboundDscpCopy,
            CopiesInboundDscp = other.CopiesInboundDscp,
            Comments = other.Comments,
        };
    }

    public bool Equals(Phase2Settings? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
