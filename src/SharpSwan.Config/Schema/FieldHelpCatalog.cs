using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>
/// One-line descriptions, ranges and choices of the fields, for the CLI's <c>?</c> help and Tab completion. Ranges
/// repeat what the field tables check (a test probes each bound against the parser); defaults of interpreted fields
/// come from the model itself, not from here.
/// </summary>
internal static class FieldHelpCatalog
{
    private static readonly string[] EnableDisable = ["enable", "disable"];

    private static readonly string[] SupportedDhGroups =
        [.. Enum.GetValues<DiffieHellmanGroup>().Where(g => g != DiffieHellmanGroup.None).Select(g => ((int)g).ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static readonly string[] CommonIkeProposals =
        ["aes128-sha256", "aes256-sha256", "aes128-sha1", "aes256-sha1", "aes128gcm-prfsha256", "aes256gcm-prfsha384", "chacha20poly1305-prfsha256"];

    private static readonly string[] CommonEspProposals =
        ["aes128-sha1", "aes256-sha1", "aes128-sha256", "aes256-sha256", "aes128gcm", "aes256gcm", "chacha20poly1305"];

    private static readonly Dictionary<string, FieldHelp> Phase1 = new(StringComparer.Ordinal)
    {
        ["type"] = new("remote gateway type: static address, dynamic (dial-up server) or ddns", Choices: ["static", "dynamic", "ddns"]),
        ["interface"] = new("local interface the tunnel is bound to", "name, 1-35 characters"),
        ["ike-version"] = new("IKE version (IKEv1: main mode with pre-shared keys between static peers)", Choices: ["1", "2"]),
        ["local-gw"] = new("local IPv4 address of the tunnel (0.0.0.0: the interface's primary address)", "a.b.c.d"),
        ["remote-gw"] = new("the peer's IPv4 address (type static)", "a.b.c.d"),
        ["proposal"] = new("IKE encryption-integrity proposals, most preferred first", "space-separated list", CommonIkeProposals, IsList: true),
        ["dhgrp"] = new("Diffie-Hellman groups, most preferred first", "space-separated list", SupportedDhGroups, IsList: true),
        ["psksecret"] = new("pre-shared key", "6-128 characters, 0x<hex> or ENC <base64>"),
        ["authmethod"] = new("authentication method", Choices: ["psk", "signature"]),
        ["certificate"] = new("local certificate to sign with (authmethod signature)", "a config vpn certificate local name"),
        ["localid"] = new("local identity sent to the peer", "0-63 characters"),
        ["localid-type"] = new("type of the local identity", Choices: ["auto", "fqdn", "user-fqdn", "keyid", "address", "asn1dn"]),
        ["peerid"] = new("the peer identity accepted when peertype is one (IKEv1 aggressive-mode dial-up: chooses the phase1)", "0-255 characters"),
        ["peertype"] = new("which peer identities are accepted", Choices: ["any", "one", "dialup", "peer", "peergrp"]),
        ["nattraversal"] = new("NAT traversal (UDP encapsulation of ESP)", Choices: ["enable", "disable", "forced"]),
        ["keepalive"] = new("NAT-T keepalive interval in seconds", "5-900"),
        ["keylife"] = new("phase 1 (IKE SA) lifetime in seconds", "120-172800"),
        ["dpd"] = new("dead peer detection", Choices: ["disable", "on-idle", "on-demand"]),
        ["dpd-retrycount"] = new("DPD retries before the peer is declared dead", "1-10"),
        ["dpd-retryinterval"] = new("seconds between DPD retries", "1-3600"),
        ["auto-negotiate"] = new("bring the IKE SA up without waiting for traffic", Choices: EnableDisable),
        ["negotiate-timeout"] = new("IKE SA negotiation timeout in seconds", "1-300"),
        ["idle-timeout"] = new("tear the tunnel down after a period without traffic", Choices: EnableDisable),
        ["idle-timeoutinterval"] = new("idle time before the tunnel is torn down, in minutes", "5-43200"),
        ["rekey"] = new("rekey the IKE SA before it expires", Choices: EnableDisable),
        ["add-route"] = new("add routes to the peer's destination selectors", Choices: EnableDisable),
        ["mode-cfg"] = new("give dial-up clients an address and DNS servers (IKEv1: answered when pulled, pushed otherwise); on a static phase 1 take one from the server", Choices: EnableDisable),
        ["assign-ip"] = new("assign an address to dial-up clients (mode-cfg)", Choices: EnableDisable),
        ["ipv4-start-ip"] = new("first address of the dial-up client pool", "a.b.c.d"),
        ["ipv4-end-ip"] = new("last address of the dial-up client pool", "a.b.c.d"),
        ["ipv4-netmask"] = new("netmask pushed to dial-up clients", "m.m.m.m"),
        ["dns-mode"] = new("DNS servers pushed to dial-up clients: manual or the system's", Choices: ["manual", "auto"]),
        ["ipv4-dns-server1"] = new("first DNS server pushed to dial-up clients", "a.b.c.d"),
        ["ipv4-dns-server2"] = new("second DNS server pushed to dial-up clients", "a.b.c.d"),
        ["ipv4-dns-server3"] = new("third DNS server pushed to dial-up clients", "a.b.c.d"),
        ["ipv4-split-include"] = new("address name pushed as the split-tunnel list", "0-79 characters"),
        ["comments"] = new("comment", "0-1023 characters"),
        ["ip-version"] = new("IP version of the tunnel (SharpSwan: 4)", Choices: ["4", "6"], Default: "4"),
        ["mode"] = new("IKEv1 phase 1 exchange: main or aggressive (one DH group; refused with IKEv2)", Choices: ["aggressive", "main"], Default: "main"),
        ["remotegw-ddns"] = new("the peer's DNS name (type ddns)", "0-63 characters"),
        ["distance"] = new("distance of the routes added by IKE (only the FortiOS default: add-route routes carry no preference here)", "15-15", Default: "15"),
        ["priority"] = new("priority of the routes added by IKE (only the FortiOS default: add-route routes carry no preference here)", "1-1", Default: "1"),
        ["fragmentation"] = new("IKE fragmentation", Choices: EnableDisable, Default: "enable"),
        ["fragmentation-mtu"] = new("IKE fragmentation MTU", "500-16000", Default: "1200"),
        ["net-device"] = new("one kernel device per dial-up tunnel", Choices: EnableDisable, Default: "disable"),
        ["npu-offload"] = new("hardware offload (no effect on SharpSwan)", Choices: EnableDisable, Default: "enable"),
        ["esn"] = new("extended sequence numbers", Choices: ["require", "allow", "disable"], Default: "disable"),
        ["xauthtype"] = new("IKEv1 XAUTH after main or aggressive mode (SharpSwan: pap, chap or auto as the server of a dial-up phase 1, auto asking as pap; client on a static one)", Choices: ["disable", "client", "pap", "chap", "auto"], Default: "disable"),
        ["authusr"] = new("our user name when SharpSwan is the IKEv1 XAUTH client (xauthtype client)"),
        ["authpasswd"] = new("our password when SharpSwan is the IKEv1 XAUTH client"),
        ["authusrgrp"] = new("the user group whose local users the IKEv1 XAUTH server accepts"),
        ["encapsulation"] = new("overlay encapsulation (SharpSwan: none)", Choices: ["none", "gre", "vxlan", "vpn-id-ipip"], Default: "none"),
        ["transport"] = new("IKE transport (SharpSwan: udp or auto)", Choices: ["udp", "auto", "tcp"], Default: "auto"),
        ["add-gw-route"] = new("add a route to the remote gateway", Choices: EnableDisable, Default: "disable"),
        ["reauth"] = new("re-authenticate when the IKE SA expires", Choices: EnableDisable, Default: "disable"),
        ["childless-ike"] = new("childless IKEv2 initiation (RFC 6023)", Choices: EnableDisable, Default: "disable"),
        ["enforce-unique-id"] = new("what to do with a second connection of the same peer id", Choices: ["disable", "keep-new", "keep-old"], Default: "disable"),
        ["ip-fragmentation"] = new("fragment before or after ESP encapsulation", Choices: ["pre-encapsulation", "post-encapsulation"], Default: "post-encapsulation"),
    };

    private static readonly Dictionary<string, FieldHelp> Phase2 = new(StringComparer.Ordinal)
    {
        ["phase1name"] = new("the phase 1 this phase 2 belongs to", "a phase 1 name"),
        ["proposal"] = new("ESP encryption-integrity proposals, most preferred first", "space-separated list", CommonEspProposals, IsList: true),
        ["pfs"] = new("perfect forward secrecy (a fresh Diffie-Hellman exchange per child SA)", Choices: EnableDisable),
        ["dhgrp"] = new("Diffie-Hellman groups for PFS, most preferred first", "space-separated list", SupportedDhGroups, IsList: true),
        ["replay"] = new("anti-replay detection", Choices: EnableDisable),
        ["keepalive"] = new("renegotiate before expiry even without traffic", Choices: EnableDisable),
        ["auto-negotiate"] = new("negotiate this phase 2 as soon as phase 1 is up, and retry every 5 s", Choices: EnableDisable),
        ["keylife-type"] = new("what ends a child SA's life: seconds, kilobytes or both", Choices: ["seconds", "kbs", "both"]),
        ["keylifeseconds"] = new("child SA lifetime in seconds", "120-172800"),
        ["keylifekbs"] = new("child SA lifetime in kilobytes", "5120-4294967295"),
        ["encapsulation"] = new("ESP mode", Choices: ["tunnel-mode", "transport-mode"]),
        ["protocol"] = new("IP protocol of the selectors (0: all)", "0-255"),
        ["src-port"] = new("source port of the selectors (0: all)", "0-65535"),
        ["dst-port"] = new("destination port of the selectors (0: all)", "0-65535"),
        ["trigger-queue"] = new("SharpSwan: packets held while this SA is negotiated (0: drop them, as FortiOS)", "0-1024"),
        ["comments"] = new("comment", "0-1023 characters"),
        ["src-addr-type"] = new("local selector type", Choices: ["subnet", "range", "ip"]),
        ["dst-addr-type"] = new("remote selector type", Choices: ["subnet", "range", "ip"]),
        ["src-subnet"] = new("local selector subnet", "a.b.c.d m.m.m.m or a.b.c.d/nn"),
        ["dst-subnet"] = new("remote selector subnet", "a.b.c.d m.m.m.m or a.b.c.d/nn"),
        ["src-start-ip"] = new("local selector: first address (range) or the address (ip)", "a.b.c.d"),
        ["src-end-ip"] = new("local selector: last address (range)", "a.b.c.d"),
        ["dst-start-ip"] = new("remote selector: first address (range) or the address (ip)", "a.b.c.d"),
        ["dst-end-ip"] = new("remote selector: last address (range)", "a.b.c.d"),
        ["add-route"] = new("add a route to the remote selector", Choices: ["phase1", "enable", "disable"], Default: "phase1"),
        ["route-overlap"] = new("what to do with overlapping routes of dial-up peers", Choices: ["use-old", "use-new", "allow"], Default: "use-new"),
        ["initiator-ts-narrow"] = new("accept traffic selector narrowing as initiator", Choices: EnableDisable, Default: "disable"),
        ["single-source"] = new("single source address only", Choices: EnableDisable, Default: "disable"),
        ["inbound-dscp-copy"] = new("copy DSCP from outer to inner header", Choices: ["phase1", "enable", "disable"], Default: "phase1"),
        ["src-name"] = new("local selector address name (unsupported type name)", "0-79 characters"),
        ["dst-name"] = new("remote selector address name (unsupported type name)", "0-79 characters"),
    };

    private static readonly Dictionary<string, FieldHelp> StaticRoute = new(StringComparer.Ordinal)
    {
        ["dst"] = new("destination network", "a.b.c.d m.m.m.m or a.b.c.d/nn"),
        ["device"] = new("outgoing interface: a phase1-interface tunnel or a Linux interface", "name, 1-35 characters"),
        ["gateway"] = new("next hop (0.0.0.0: directly through the device; without a device, the interface that reaches it)", "a.b.c.d"),
        ["distance"] = new("administrative distance", "1-255"),
        ["dstaddr"] = new("destination as a firewall address or addrgrp with allow-routing enable (instead of dst)", "name, 0-79 characters"),
        ["status"] = new("use this route", Choices: EnableDisable),
        ["comment"] = new("comment", "0-255 characters"),
        ["priority"] = new("among routes of equal distance to one destination, the lower priority carries traffic", "0-8388607", Default: "1"),
        ["weight"] = new("ECMP weight (SharpSwan: 0, no ECMP)", "0-0", Default: "0"),
        ["blackhole"] = new("drop the traffic (a kernel blackhole route; no device or gateway)", Choices: EnableDisable, Default: "disable"),
    };

    private static readonly Dictionary<string, FieldHelp> Global = new(StringComparer.Ordinal)
    {
        ["hostname"] = new("the gateway's name, shown in the CLI prompt", "1-35 characters"),
        ["admin-port"] = new("HTTP administration port", "1-65535"),
        ["admin-sport"] = new("HTTPS administration port", "1-65535"),
        [IkeInitLimits.CookieThresholdField] = new("half-open IKE SAs from which new IKE_SA_INIT requests must return a COOKIE (0: always)", "0-20000", Default: "32"),
        [IkeInitLimits.EmbryonicLimitField] = new("most half-open IKE SAs at once; more are dropped", "50-20000", Default: "10000"),
        [IkeInitLimits.EmbryonicLimitPerSourceField] = new("most half-open IKE SAs from one source address", "1-20000", Default: "8"),
        ["timezone"] = new("time zone (kept, not used)"),
        ["alias"] = new("alias (kept, not used)"),
    };

    private static readonly Dictionary<string, FieldHelp> UserPeerHelp = new(StringComparer.Ordinal)
    {
        ["ca"] = new("config vpn certificate ca entry the peer's certificate chain must pass through", "CA name"),
        ["subject"] = new("attributes the peer certificate's subject must carry", "e.g. \"CN=hq.example.net, O=Example\""),
        ["cn"] = new("the peer certificate's common name", "text"),
        ["cn-type"] = new("how cn is compared", Choices: ["string", "email", "FQDN", "ipv4", "ipv6"]),
    };

    /// <summary>The help of a field; a plain note for the many FortiOS fields SharpSwan only keeps.</summary>
    public static FieldHelp Find(string tablePath, string field)
    {
        var table = tablePath switch
        {
            Phase1Schema.InterfacePath or Phase1Schema.PolicyPath => Phase1,
            Phase2Schema.InterfacePath or Phase2Schema.PolicyPath => Phase2,
            StaticRouteSchema.Path => StaticRoute,
            GlobalSchema.Path => Global,
            CertificateSchema.LocalPath => DialUpFieldHelp.LocalCertificate,
            CertificateSchema.CaPath => DialUpFieldHelp.CaCertificate,
            FirewallAddressSchema.Path => DialUpFieldHelp.FirewallAddress,
            FirewallAddressGroupSchema.Path => FirewallFieldHelp.AddressGroup,
            FirewallPolicySchema.Path => FirewallFieldHelp.Policy,
            FirewallServiceSchema.Path => FirewallFieldHelp.Service,
            FirewallScheduleSchema.RecurringPath => FirewallFieldHelp.RecurringSchedule,
            FirewallScheduleSchema.OnetimePath => FirewallFieldHelp.OnetimeSchedule,
            SyslogSchema.Path => SyslogSchema.Help,
            UserPeerSchema.Path => UserPeerHelp,
            TunnelInterfaceReader.Path => TunnelInterfaceFieldHelp.Fields,
            _ => null,
        };
        return table?.GetValueOrDefault(field) ?? new FieldHelp("FortiOS setting, kept as written");
    }

    /// <summary>The fields of a table that may be set, in the order the help lists them.</summary>
    public static IReadOnlyList<string> FieldNames(string tablePath) => tablePath switch
    {
        Phase1Schema.InterfacePath => [.. Phase1Schema.InterfaceMode.FieldNames],
        Phase1Schema.PolicyPath => [.. Phase1Schema.PolicyMode.FieldNames],
        Phase2Schema.InterfacePath => [.. Phase2Schema.InterfaceMode.FieldNames],
        Phase2Schema.PolicyPath => [.. Phase2Schema.PolicyMode.FieldNames],
        StaticRouteSchema.Path => [.. StaticRouteSchema.Fields.FieldNames],
        GlobalSchema.Path => [.. GlobalSchema.Fields.FieldNames],
        CertificateSchema.LocalPath => [.. CertificateSchema.Local.FieldNames],
        CertificateSchema.CaPath => [.. CertificateSchema.Ca.FieldNames],
        FirewallAddressSchema.Path => [.. FirewallAddressSchema.Fields.FieldNames],
        FirewallAddressGroupSchema.Path => [.. FirewallAddressGroupSchema.Fields.FieldNames],
        FirewallPolicySchema.Path => [.. FirewallPolicySchema.Fields.FieldNames],
        FirewallServiceSchema.Path => [.. FirewallServiceSchema.Fields.FieldNames],
        SyslogSchema.Path => [.. SyslogSchema.Fields.FieldNames],
        UserPeerSchema.Path => [.. UserPeerSchema.Fields.FieldNames],
        UserPeerSchema.GroupPath => [.. UserPeerSchema.GroupFields.FieldNames],
        TunnelInterfaceReader.Path => [.. TunnelInterfaceReader.FieldNames],
        _ => [],
    };
}
