namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config vpn ipsec phase1-interface</c> and <c>phase1</c> (fortios.md §1).
/// </summary>
internal static class Phase1Schema
{
    public const string InterfacePath = "vpn ipsec phase1-interface";
    public const string PolicyPath = "vpn ipsec phase1";

    /// <summary>Route-based-only fields: they describe the tunnel interface, which policy mode has not.</summary>
    private static readonly string[] InterfaceOnlyEnableDisable =
    [
        "net-device", "aggregate-member", "exchange-interface-ip", "packet-redistribution", "auto-discovery-psk",
    ];

    /// <summary>ADVPN: shortcut tunnels between spokes, negotiated through the hub (not implemented).</summary>
    private static readonly string[] AutoDiscoveryFields = ["auto-discovery-sender", "auto-discovery-receiver", "auto-discovery-forwarder"];

    internal const string AdvpnReason =
        "ADVPN shortcuts between spokes are not implemented; set it to disable: spoke-to-spoke traffic then goes through the hub";

    /// <summary>Kept silently, a backup would come up beside its primary and both tunnels would carry traffic at once.</summary>
    internal const string MonitorReason =
        "a backup tunnel that stays down while its primary is up is not implemented: this phase 1 would come up beside the primary; unset monitor";

    private static readonly string[] InterfaceOnlyOther =
    [
        "auto-discovery-sender", "auto-discovery-receiver", "auto-discovery-forwarder", "passive-mode",
        "aggregate-weight", "monitor", "monitor-min", "monitor-hold-down-type", "monitor-hold-down-delay",
        "monitor-hold-down-weekday", "monitor-hold-down-time", "exchange-ip-addr4", "exchange-ip-addr6",
        "default-gw", "default-gw-priority", "tunnel-search", "auto-discovery-offer-interval", "auto-discovery-shortcuts",
    ];

    private static readonly string[] EnableDisableFields =
    [
        "npu-offload", "digital-signature-auth",
        "unity-support", "include-local-lan", "save-password", "client-auto-negotiate", "client-keep-alive",
        "rsa-signature-hash-override",
        "ha-sync-esp-seqno", "fgsp-sync", "dev-id-notification", "loopback-asymmetric-routing", "exchange-fgt-device-id",
        "ems-sn-check", "acct-verify", "group-authentication", "azure-ad-autoconnect",
        "client-resume", "ipv6-auto-linklocal", "forticlient-enforcement", "network-overlay",
    ];

    /// <summary>Features off by default that SharpSwan does not have: only <c>disable</c> is accepted, with why.</summary>
    private static readonly (string Field, string Reason)[] DisableOnlyFields =
    [
        ("add-gw-route", "a route to the remote gateway through the outgoing interface is not added; the host's routing table reaches it"),
        ("childless-ike", "RFC 6023 childless IKE SAs are not implemented: IKE_AUTH always carries a child SA"),
        ("mode-cfg-allow-client-selector", "a mode-cfg client always proposes the wildcard selectors it is given, not its phase 2 selectors"),
        ("shared-idle-timeout", "idle-timeout is per dial-up instance, never shared"),
    ];

    /// <summary>Features on by default that SharpSwan always does: only <c>enable</c> is accepted, with why.</summary>
    private static readonly (string Field, string Reason)[] EnableOnlyFields =
    [
        ("cert-id-validation", "the peer's identity is always checked against its certificate (RFC 4945)"),
        ("send-cert-chain", "the local certificate's intermediate certificates are always sent"),
    ];

    /// <summary>RFC 9370 additional key exchanges; FortiOS's "0" (or empty) means none.</summary>
    internal static readonly string[] AdditionalKeyExchangeFields = ["addke1", "addke2", "addke3", "addke4", "addke5", "addke6", "addke7"];

    internal const string AdditionalKeyExchangeReason = "RFC 9370 additional key exchanges are not implemented; set it to 0";

    /// <summary>Free-form FortiOS fields (names of other objects, IPv6 values we do not use, lists).</summary>
    private static readonly string[] FreeFormFields =
    [
        "banner", "wizard-type", "eap-exclude-peergrp",
        "local-gw6", "remote-gw6", "ipv6-start-ip", "ipv6-end-ip",
        "ipv6-prefix", "ipv6-dns-server1", "ipv6-dns-server2", "ipv6-dns-server3", "ipv6-split-include",
        "ipv6-name", "ipv6-split-exclude", "dhcp6-ra-linkaddr",
    ];

    /// <summary>Mode-cfg split-tunnel forms other than <c>ipv4-split-include</c>: accepted only empty.</summary>
    private static readonly string[] SplitFormFields = ["split-include-service", "ipv4-name", "ipv4-split-exclude"];

    /// <summary>FortiOS fields that carry a second secret; kept verbatim they would be printed, so they are refused.</summary>
    private static readonly string[] SecretFields = ["psksecret-remote", "ppk-secret", "group-authentication-secret"];

    public static FieldTable<Phase1Draft> InterfaceMode { get; } = Create(InterfacePath, interfaceMode: true);

    public static FieldTable<Phase1Draft> PolicyMode { get; } = Create(PolicyPath, interfaceMode: false);

    private static FieldTable<Phase1Draft> Create(string path, bool interfaceMode)
    {
        var table = new FieldTable<Phase1Draft> { TablePath = path }
            .Interpret("type", Value(TypeHonoured, (s, v) => s with { Type = v }))
            .Interpret("interface", Object(r => r.Text(35), (s, v) => s with { Interface = v }))
            .Interpret("ike-version", Object(r => r.OneOf("1", "2"), (s, v) => s with { IkeVersion = v == "2" ? 2 : 1 }))
            .Interpret("mode", Value(r => r.Keyword(Keywords.Ikev1Modes), (s, v) => s with { Mode = v }))
            .Interpret("local-gw", Object(r => r.Ipv4Address(), (s, v) => s with { LocalGateway = v }))
            .Interpret("remote-gw", Object(r => r.Ipv4Address(), (s, v) => s with { RemoteGateway = v }))
            .Interpret("proposal", Value(r => r.IkeProposals(), (s, v) => s with { Proposals = v }))
            .Interpret("dhgrp", Value(r => r.DhGroups(), (s, v) => s with { DhGroups = v }))
            .Interpret("psksecret", Object(r => r.Secret(), (s, v) => s with { PresharedKey = v }))
            .Interpret("authmethod", Value(r => r.Keyword(Keywords.AuthMethods), (s, v) => s with { Authmethod = v }))
            .Interpret("certificate", Object(r => r.Text(LocalCertificate.MaxNameLength), (s, v) => s with { Certificate = NullIfEmpty(v) }))
            .Interpret("localid", Object(r => r.Text(63), (s, v) => s with { LocalId = NullIfEmpty(v) }))
            .Interpret("localid-type", Value(r => r.Keyword(Keywords.LocalIdTypes), (s, v) => s with { LocalIdType = v }))
            .Interpret("peerid", Object(r => r.Text(255), (s, v) => s with { PeerId = NullIfEmpty(v) }))
            .Interpret("peer", Object(r => r.Text(UserPeer.MaxNameLength), (s, v) => s with { Peer = NullIfEmpty(v) }))
            .Interpret("peergrp", Object(r => r.Text(UserPeerGroup.MaxNameLength), (s, v) => s with { PeerGroup = NullIfEmpty(v) }))
            .Interpret("peertype", Value(PeerTypeHonoured, (s, v) => s with { PeerType = v }))
            .Interpret("nattraversal", Value(r => r.Keyword(Keywords.NatTraversals), (s, v) => s with { NatTraversal = v }))
            .Interpret("esn", Value(r => r.Keyword(Keywords.EsnModes), (s, v) => s with { Esn = v }))
            .Interpret("keepalive", Value(r => r.Int(5, 900), (s, v) => s with { NatKeepaliveSeconds = v }))
            .Interpret("keylife", Value(r => r.Int(120, 172800), (s, v) => s with { KeyLifeSeconds = v }))
            .Interpret("dpd", Value(r => r.Keyword(Keywords.DpdModes), (s, v) => s with { Dpd = v }))
            .Interpret("dpd-retrycount", Value(r => r.Int(1, 10), (s, v) => s with { DpdRetryCount = v }))
            .Interpret("dpd-retryinterval", Value(r => r.Int(1, 3600), (s, v) => s with { DpdRetryIntervalSeconds = v }))
            .Interpret("auto-negotiate", Value(r => r.EnableDisable(), (s, v) => s with { AutoNegotiate = v }))
            .Interpret("negotiate-timeout", Value(r => r.Int(1, 300), (s, v) => s with { NegotiateTimeoutSeconds = v }))
            .Interpret("fragmentation", Value(r => r.EnableDisable(), (s, v) => s with { Fragmentation = v }))
            .Interpret("fragmentation-mtu", Value(r => r.Int(500, 16000), (s, v) => s with { FragmentationMtu = v }))
            .Interpret("idle-timeout", Value(r => r.EnableDisable(), (s, v) => s with { IdleTimeout = v }))
            .Interpret("idle-timeoutinterval", Value(r => r.Int(5, 43200), (s, v) => s with { IdleTimeoutIntervalMinutes = v }))
            .Interpret("rekey", Value(r => r.EnableDisable(), (s, v) => s with { Rekey = v }))
            .Interpret("add-route", Value(r => r.EnableDisable(), (s, v) => s with { AddRoute = v }))
            .Interpret("xauthtype", Value(r => r.Keyword(Keywords.XauthTypes), (s, v) => s with { XauthType = v }))
            .Interpret("authusrgrp", Object(r => r.Text(35), (s, v) => s with { AuthUserGroup = NullIfEmpty(v) }))
            .Interpret("authusr", Object(r => r.Text(64), (s, v) => s with { AuthUser = NullIfEmpty(v) }))
            .Interpret("authpasswd", Object(r => r.Secret(), (s, v) => s with { AuthPassword = v }))
            .Interpret("mode-cfg", Value(r => r.EnableDisable(), (s, v) => s with { ModeCfg = v }))
            .Interpret("assign-ip", Value(r => r.EnableDisable(), (s, v) => s with { AssignIp = v }))
            .Interpret("ipv4-start-ip", Object(r => r.Ipv4Address(), (s, v) => s with { Ipv4StartIp = v }))
            .Interpret("ipv4-end-ip", Object(r => r.Ipv4Address(), (s, v) => s with { Ipv4EndIp = v }))
            .Interpret("ipv4-netmask", Object(r => r.Netmask(), (s, v) => s with { Ipv4Netmask = v }))
            .Interpret("dns-mode", Value(r => r.Keyword(Keywords.DnsModes), (s, v) => s with { DnsMode = v }))
            .Interpret("ipv4-dns-server1", Object(r => r.Ipv4Address(), (s, v) => s with { Ipv4DnsServer1 = v }))
            .Interpret("ipv4-dns-server2", Object(r => r.Ipv4Address(), (s, v) => s with { Ipv4DnsServer2 = v }))
            .Interpret("ipv4-dns-server3", Object(r => r.Ipv4Address(), (s, v) => s with { Ipv4DnsServer3 = v }))
            .Interpret("ipv4-split-include", Object(r => r.Text(79), (s, v) => s with { Ipv4SplitInclude = NullIfEmpty(v) }))
            .Interpret("comments", Object(r => r.Text(1023), (s, v) => s with { Comments = NullIfEmpty(v) }))
            .Keep("ip-version", Checks.OnlySupported(["4"], ["4", "6"], "IPv6 tunnels"))
            .Keep("remotegw-ddns", Checks.EmptyOnly(63, "type ddns is refused: the name is not resolved"))
            .Keep("authmethod-remote", Checks.OneOf("psk", "signature"))
            .Keep("distance", Checks.OnlyNumber(1, 255, 15, "routes added by add-route go into the kernel's main table with no preference of their own; only the FortiOS default 15 is accepted"))
            .Keep("priority", Checks.OnlyNumber(1, 65535, 1, "routes added by add-route go into the kernel's main table with no preference of their own; only the FortiOS default 1 is accepted"))
            .Keep("link-cost", Checks.Range(0, 255))
            .Keep("network-id", Checks.Range(0, 255))
            .Keep("client-resume-interval", Checks.Range(120, 172800))
            .Keep("ip-fragmentation", Checks.OneOf("pre-encapsulation", "post-encapsulation"))
            .Keep("enforce-unique-id", Checks.OnlySupported(["disable"], ["disable", "keep-new", "keep-old"], "a second IKE SA with the same peer ID neither replaces nor is refused by the first"))
            .Keep("suite-b", Checks.OnlySupported(["disable"], ["disable", "suite-b-gcm-128", "suite-b-gcm-256"], "the Suite B shorthand: set proposal aes128gcm-prfsha256 and dhgrp 19 (or aes256gcm-prfsha384 and 20) instead"))
            .Keep("assign-ip-from", Checks.OnlySupported(["range"], ["range", "usrgrp", "dhcp", "name"], "mode-cfg addresses come from ipv4-start-ip to ipv4-end-ip only"))
            .Keep("rsa-signature-format", Checks.OnlySupported(["pkcs1"], ["pkcs1", "pss"], "SharpSwan signs with RSA PKCS#1 v1.5 (it verifies a peer's PSS signatures)"))
            .Keep("mesh-selector-type", Checks.OnlySupported(["disable"], ["disable", "subnet", "host"], "IKEv1 mesh selectors per address-group member are not implemented"))
            .Keep("signature-hash-alg", Checks.ExactSet(["sha2-512", "sha2-384", "sha2-256"], ["sha1", "sha2-256", "sha2-384", "sha2-512"], ["sha1"], "SharpSwan announces and signs with SHA2-256, SHA2-384 and SHA2-512 (never SHA-1); only that set, as in the FortiOS default, is accepted"))
            .Keep("cert-trust-store", Checks.OnlySupported(["local"], ["local", "ems"], "peer certificates are checked against config vpn certificate ca only"))
            .Keep("remote-gw-match", Checks.OnlySupported(["any"], ["any", "ipmask", "iprange", "geography", "ztna"], "a dial-up peer's address is not restricted; pin the peer with peertype one and peerid"))
            .Keep("dhcp-ra-giaddr", Checks.OnlyWords(["0.0.0.0"], "DHCP relay for mode-cfg is not implemented"))
            .Keep("ppk-identity", Checks.EmptyOnly(35, "post-quantum preshared keys (ppk) are refused"))
            .Keep(AdditionalKeyExchangeFields, Checks.OnlyWords(["0", ""], AdditionalKeyExchangeReason))
            .Keep(SplitFormFields, Checks.EmptyOnly(79, "mode-cfg split tunnelling is sent from ipv4-split-include (an address or group) only"))
            .Keep("eap-identity", Checks.OneOf("use-id-payload", "send-request"))
            .Keep("encapsulation", Checks.OnlySupported(["none"], ["none", "gre", "vxlan", "vpn-id-ipip"], "GRE/VXLAN overlay encapsulation; make the gre or vxlan device on the host with ip link over the tunnel interface's addresses instead"))
            .Keep(["fec-egress", "fec-ingress"], Checks.OnlySupported(["disable"], ["enable", "disable"], "forward error correction on IPsec is a FortiGate-to-FortiGate extension outside RFC 4303 that no other peer understands; set it to disable"))
            .Interpret("inbound-dscp-copy", Value(r => r.EnableDisable(), (s, v) => s with { InboundDscpCopy = v }))
            .Keep("ip-delay-interval", Checks.ZeroOnly(28800, "a released mode-cfg address is offered again at once, never held back; set it to 0"))
            .Keep("transport", Checks.OnlySupported(["udp", "auto"], ["udp", "auto", "tcp"], "IKE and ESP over TCP"))
            .Keep("fortinet-esp", Checks.OnlySupported(["disable"], ["enable", "disable"], "Fortinet's proprietary ESP"))
            .Keep("ppk", Checks.OnlySupported(["disable"], ["disable", "allow", "require"], "post-quantum preshared keys"))
            .Keep("qkd", Checks.OnlySupported(["disable"], ["disable", "allow", "require"], "quantum key distribution"))
            .Keep("usrgrp", Checks.EmptyOnly(35, "EAP user groups are not implemented: peers authenticate with psksecret or certificates, and an IKEv1 dial-up phase 1 checks XAUTH users of authusrgrp"))
            .Keep(["ipv4-wins-server1", "ipv4-wins-server2"], Checks.Address)
            .Keep("domain", Checks.Text(63))
            .Keep(EnableDisableFields, Checks.EnableDisable)
            .Keep("reauth", Checks.OnlySupported(["disable"], ["enable", "disable"], "re-authentication of the IKE SA (RFC 7296 §2.8.3) is not implemented: the IKE SA is rekeyed; set it to disable"))
            .Keep("eap", Checks.OnlySupported(["disable"], ["enable", "disable"], "EAP authentication is not implemented: peers authenticate with psksecret or certificates; set it to disable"))
            .Keep(FreeFormFields)
            .Refuse(SecretFields, "a FortiOS setting SharpSwan does not support (it holds a second secret)")
            .Refuse(["dpd-idleworry", "dpd-idlecleanup"], "a FortiOS 4.x setting, removed in FortiOS 5: set dpd on-idle and dpd-retryinterval instead");

        KeepOnlyTheValueSharpSwanDoes(table);
        if (interfaceMode)
        {
            table.Keep(InterfaceOnlyEnableDisable, Checks.EnableDisable)
                .Keep(AutoDiscoveryFields, Checks.OnlySupported(["disable"], ["enable", "disable"], AdvpnReason))
                .Keep("passive-mode", Checks.OnlySupported(["disable"], ["enable", "disable"], "a static phase 1 that never initiates; for a responder-only gateway use type dynamic"))
                .Keep("aggregate-weight", Checks.Range(1, 100))
                .Keep("auto-discovery-offer-interval", Checks.Range(1, 300))
                .Keep("auto-discovery-shortcuts", Checks.OneOf("independent", "dependent"))
                .Keep("tunnel-search", Checks.OneOf("selectors", "nexthop"))
                .Keep("monitor-hold-down-type", Checks.OneOf("immediate", "delay", "time"))
                .Keep("monitor-hold-down-delay", Checks.Range(0, 31536000))
                .Keep("default-gw-priority", Checks.Range(0, uint.MaxValue))
                .Keep(["exchange-ip-addr4", "default-gw"], Checks.Address)
                .Keep("monitor", Checks.EmptyOnly(35, MonitorReason))
                .Keep(["monitor-min", "monitor-hold-down-weekday", "monitor-hold-down-time", "exchange-ip-addr6"]);
        }
        else
        {
            table.Refuse(InterfaceOnlyEnableDisable.Concat(InterfaceOnlyOther), $"only valid in config {InterfacePath}");
        }

        return table;
    }

    /// <summary>The enable/disable fields of which only one value is what SharpSwan does: the other is refused with why.</summary>
    private static void KeepOnlyTheValueSharpSwanDoes(FieldTable<Phase1Draft> table)
    {
        foreach (var (field, reason) in DisableOnlyFields)
        {
            table.Keep(field, Checks.OnlySupported(["disable"], ["enable", "disable"], reason));
        }

        foreach (var (field, reason) in EnableOnlyFields)
        {
            table.Keep(field, Checks.OnlySupported(["enable"], ["enable", "disable"], reason));
        }
    }

    private static Action<Phase1Draft, SettingReader> Value<T>(Func<SettingReader, T?> read, Func<Phase1Settings, T, Phase1Settings> apply)
        where T : struct => (draft, reader) =>
        {
            if (read(reader) is { } value)
            {
                draft.Settings = apply(draft.Settings, value);
            }
        };

    private static Action<Phase1Draft, SettingReader> Object<T>(Func<SettingReader, T?> read, Func<Phase1Settings, T, Phase1Settings> apply)
        where T : class => (draft, reader) =>
        {
            if (read(reader) is { } value)
            {
                draft.Settings = apply(draft.Settings, value);
            }
        };

    internal static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary><c>type ddns</c> is refused: the engine never resolves <c>remotegw-ddns</c>, so the tunnel would never come up.</summary>
    private static Phase1Type? TypeHonoured(SettingReader reader)
    {
        if (reader.Keyword(Keywords.Phase1Types) is not { } type)
        {
            return null;
        }

        if (type == Phase1Type.Ddns)
        {
            reader.ValueError(reader.Setting.Values[0], "type ddns is unsupported by SharpSwan (the peer's DNS name in remotegw-ddns is not resolved): use type static with remote-gw set to its address");
            return null;
        }

        return type;
    }

    /// <summary>
    /// <c>peertype dialup</c> names a user group SharpSwan does not check: accepting it would let any authenticated peer
    /// in, so it is refused. <c>peergrp</c> is checked against <c>config user peergrp</c> (<see cref="UserPeerTables"/>).
    /// </summary>
    private static PeerType? PeerTypeHonoured(SettingReader reader)
    {
        if (reader.Keyword(Keywords.PeerTypes) is not { } type)
        {
            return null;
        }

        if (type is PeerType.Dialup)
        {
            reader.ValueError(reader.Setting.Values[0], $"peertype {reader.Setting.Values[0].Text} is unsupported by SharpSwan (dial-up user groups are not checked, so any authenticated peer would be let in): use peertype any, one with peerid, or peer/peergrp with certificates");
            return null;
        }

        return type;
    }
}
