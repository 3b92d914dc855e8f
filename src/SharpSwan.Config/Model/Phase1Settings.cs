using System.Collections.Immutable;
using System.Net;
using System.Text;
using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>
/// One <c>config vpn ipsec phase1-interface</c> (route-based) or <c>config vpn ipsec phase1</c>
/// (policy-based) entry. Property defaults are the FortiOS defaults (fortios.md §1).
/// </summary>
public sealed record Phase1Settings
{
    /// <summary>FortiOS limits phase 1 names to 15 characters (phase 2's <c>phase1name</c> is max 15).</summary>
    public const int MaxNameLength = 15;

    /// <summary>
    /// Used when <c>proposal</c> is not set. The schema gives no default; this is the list a new
    /// FortiOS 7.x phase 1 gets (inferred, not confirmed from a source).
    /// </summary>
    public static readonly ImmutableArray<IkeProposal> DefaultProposals =
    [
        IkeProposal.Parse("aes128-sha256"),
        IkeProposal.Parse("aes256-sha256"),
        IkeProposal.Parse("aes128gcm-prfsha256"),
        IkeProposal.Parse("aes256gcm-prfsha384"),
        IkeProposal.Parse("chacha20poly1305-prfsha256"),
    ];

    /// <summary>FortiOS samples show <c>14 5</c>; we do not support group 5, so the default is 14 alone.</summary>
    public static readonly ImmutableArray<DiffieHellmanGroup> DefaultDhGroups = [DiffieHellmanGroup.Modp2048];

    public required string Name { get; init; }

    /// <summary>True for <c>phase1-interface</c>, false for policy-based <c>phase1</c>.</summary>
    public bool IsInterfaceMode { get; init; } = true;

    public Phase1Type Type { get; init; } = Phase1Type.Static;

    /// <summary>The Linux interface the tunnel is bound to (<c>set interface</c>).</summary>
    public string Interface { get; init; } = "";

    /// <summary><c>local-gw</c>; 0.0.0.0 means the interface's primary IPv4 address.</summary>
    public IPAddress LocalGateway { get; init; } = Ipv4.Zero;

    /// <summary>FortiOS defaults to 1; SharpSwan only speaks IKEv2, so validation rejects 1.</summary>
    public int IkeVersion { get; init; } = 1;

    /// <summary><c>mode</c>: IKEv1 main or aggressive mode (FortiOS default main).</summary>
    public Ikev1Mode Mode { get; init; } = Ikev1Mode.Main;

    public IPAddress RemoteGateway { get; init; } = Ipv4.Zero;

    public ImmutableArray<IkeProposal> Proposals { get; init; } = DefaultProposals;

    public ImmutableArray<DiffieHellmanGroup> DhGroups { get; init; } = DefaultDhGroups;

    public Secret? PresharedKey { get; init; }

    public AuthMethod Authmethod { get; init; } = AuthMethod.Psk;

    /// <summary><c>certificate</c>: the <c>config vpn certificate local</c> entry this phase 1 signs with (authmethod signature).</summary>
    public string? Certificate { get; init; }

    public string? LocalId { get; init; }

    public LocalIdType LocalIdType { get; init; } = LocalIdType.Auto;

    public string? PeerId { get; init; }

    public PeerType PeerType { get; init; } = PeerType.Peer;

    /// <summary><c>peer</c>: with <c>peertype peer</c>, the <c>config user peer</c> entry the peer's certificate must match.</summary>
    public string? Peer { get; init; }

    /// <summary><c>peergrp</c>: with <c>peertype peergrp</c>, the <c>config user peergrp</c> whose members are accepted.</summary>
    public string? PeerGroup { get; init; }

    public NatTraversal NatTraversal { get; init; } = NatTraversal.Enable;

    /// <summary><c>esn</c>: extended sequence numbers on this tunnel's child SAs (IKEv2; IKEv1 refuses require).</summary>
    public EsnMode Esn { get; init; } = EsnMode.Disable;

    /// <summary>Phase 1 <c>keepalive</c>: the NAT-T keepalive interval (5-900 s), not the phase 2 keepalive.</summary>
    public int NatKeepaliveSeconds { get; init; } = 10;

    /// <summary>Phase 1 <c>keylife</c> (120-172800 s).</summary>
    public int KeyLifeSeconds { get; init; } = 86400;

    public DpdMode Dpd { get; init; } = DpdMode.OnDemand;

    public int DpdRetryCount { get; init; } = 3;

    /// <summary><c>inbound-dscp-copy</c>: a decrypted packet takes the DSCP of the ESP packet that carried it (FortiOS default disable).</summary>
    public bool InboundDscpCopy { get; init; }

    public int DpdRetryIntervalSeconds { get; init; } = 20;

    /// <summary>Phase 1 <c>auto-negotiate</c>: bring the IKE SA up without waiting for traffic.</summary>
    public bool AutoNegotiate { get; init; } = true;

    public int NegotiateTimeoutSeconds { get; init; } = 30;

    /// <summary><c>fragmentation</c>: announce and use IKEv2 message fragmentation (RFC 7383).</summary>
    public bool Fragmentation { get; init; } = true;

    /// <summary>
    /// <c>fragmentation-mtu</c> (500-16000): a protected IKE message whose IP datagram (IP and UDP headers and the non-ESP
    /// marker counted) would be larger is sent as fragments no larger than this.
    /// </summary>
    public int FragmentationMtu { get; init; } = 1200;

    public bool IdleTimeout { get; init; }

    public int IdleTimeoutIntervalMinutes { get; init; } = 15;

    public bool Rekey { get; init; } = true;

    public bool AddRoute { get; init; } = true;

    /// <summary><c>xauthtype</c>: IKEv1 XAUTH after phase 1; pap, chap and auto make a dial-up phase 1 an XAUTH server.</summary>
    public XauthType XauthType { get; init; } = XauthType.Disable;

    /// <summary><c>authusrgrp</c>: the <c>config user group</c> whose local users the XAUTH server accepts.</summary>
    public string? AuthUserGroup { get; init; }

    /// <summary><c>authusr</c>: our user name when we are the XAUTH client (<c>xauthtype client</c>).</summary>
    public string? AuthUser { get; init; }

    /// <summary><c>authpasswd</c>: our XAUTH password when we are the client.</summary>
    public Secret? AuthPassword { get; init; }

    /// <summary>This phase 1 asks its IKEv1 peers for a user name and password after phase 1 (xauthtype pap, chap or auto).</summary>
    public bool IsXauthServer => XauthType is XauthType.Pap or XauthType.Chap or XauthType.Auto;

    /// <summary><c>mode-cfg</c>: push addresses and DNS to dial-up clients (IKEv2 configuration payload, IKEv1 mode-config).</summary>
    public bool ModeCfg { get; init; }

    public bool AssignIp { get; init; } = true;

    public IPAddress Ipv4StartIp { get; init; } = Ipv4.Zero;

    public IPAddress Ipv4EndIp { get; init; } = Ipv4.Zero;

    public IPAddress Ipv4Netmask { get; init; } = IPAddress.Parse("255.255.255.255");

    public DnsMode DnsMode { get; init; } = DnsMode.Manual;

    public IPAddress Ipv4DnsServer1 { get; init; } = Ipv4.Zero;

    public IPAddress Ipv4DnsServer2 { get; init; } = Ipv4.Zero;

    public IPAddress Ipv4DnsServer3 { get; init; } = Ipv4.Zero;

    /// <summary><c>ipv4-split-include</c>: a firewall address name pushed as the split-tunnel list.</summary>
    public string? Ipv4SplitInclude { get; init; }

    public string? Comments { get; init; }

    /// <summary>Other FortiOS phase 1 settings we accept and keep verbatim.</summary>
    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>Line of the <c>edit</c> (ignored by equality).</summary>
    [SourceLocation]
    public int SourceLine { get; init; }

    public bool Equals(Phase1Settings? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
