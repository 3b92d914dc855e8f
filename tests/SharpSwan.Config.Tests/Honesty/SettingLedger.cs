namespace SharpSwan.Config.Tests.Honesty;

/// <summary>
/// What SharpSwan does with every setting it accepts (issue 11 item 15). A setting missing here fails
/// <see cref="SettingsWalkTests"/>, so a new setting cannot be accepted without saying whether it is honoured, changes
/// nothing, is refused for every value but the default, or is a known gap still to close.
/// </summary>
internal static class SettingLedger
{
    /// <summary>Refused for every value but the default: the walk parses <c>Refused</c> and expects an error at its line.</summary>
    public static readonly Dictionary<string, (string Accepted, string Refused)> DefaultOnly = new(StringComparer.Ordinal)
    {
        ["ip-version"] = ("4", "6"),
        ["xauthtype"] = ("disable", "pap"),
        ["encapsulation|p1"] = ("none", "gre"),
        ["fec-egress"] = ("disable", "enable"),
        ["fec-ingress"] = ("disable", "enable"),
        ["inbound-dscp-copy"] = ("disable", "enable"),
        ["ip-delay-interval"] = ("0", "60"),
        ["transport"] = ("udp", "tcp"),
        ["fortinet-esp"] = ("disable", "enable"),
        ["ppk"] = ("disable", "require"),
        ["qkd"] = ("disable", "require"),
        ["peer"] = ("\"\"", "\"some-peer\""),
        ["peergrp"] = ("\"\"", "\"some-group\""),
        ["usrgrp"] = ("\"\"", "\"staff\""),
        ["authusrgrp"] = ("\"\"", "\"staff\""),
        ["authusr"] = ("\"\"", "\"alice\""),
        ["reauth"] = ("disable", "enable"),
        ["eap"] = ("disable", "enable"),
        ["auto-discovery-sender"] = ("disable", "enable"),
        ["auto-discovery-receiver"] = ("disable", "enable"),
        ["auto-discovery-forwarder"] = ("disable", "enable"),
        ["passive-mode"] = ("disable", "enable"),
        ["initiator-ts-narrow"] = ("disable", "enable"),
        ["label-day"] = ("none", "morning"),
        ["expiration-days"] = ("0", "3"),
    };

    /// <summary>Phase 2 IPv6 selector fields: only the IPv4 defaults are accepted (the walk checks an IPv6 value is refused).</summary>
    public static readonly string[] Ipv6SelectorDefaults =
        ["src-name6", "dst-name6", "src-subnet6", "dst-subnet6", "src-start-ip6", "src-end-ip6", "dst-start-ip6", "dst-end-ip6"];

    /// <summary>Kept because they change nothing here, with why (grouped).</summary>
    public static readonly Dictionary<string, string[]> NoEffect = new(StringComparer.Ordinal)
    {
        ["FortiClient-only: a strongSwan or SharpSwan peer never reads them"] =
        [
            "unity-support", "include-local-lan", "save-password", "client-auto-negotiate", "client-keep-alive", "forticlient-enforcement",
            "client-resume", "client-resume-interval", "ems-sn-check", "azure-ad-autoconnect", "banner", "domain", "wizard-type",
            "ipv4-wins-server1", "ipv4-wins-server2", "dev-id-notification", "exchange-fgt-device-id",
        ],
        ["FortiGate hardware, cluster or SD-WAN machinery SharpSwan has no counterpart of"] =
        [
            "npu-offload", "ha-sync-esp-seqno", "fgsp-sync", "network-overlay", "network-id", "loopback-asymmetric-routing", "net-device",
            "aggregate-member", "aggregate-weight", "packet-redistribution", "monitor", "monitor-min", "monitor-hold-down-type",
            "monitor-hold-down-delay", "monitor-hold-down-weekday", "monitor-hold-down-time", "default-gw", "default-gw-priority",
            "exchange-interface-ip", "exchange-ip-addr4", "exchange-ip-addr6", "tunnel-search", "auto-discovery-psk",
            "auto-discovery-offer-interval", "auto-discovery-shortcuts",
        ],
        ["IPv6 values, unused while ip-version is 4 (the only one accepted)"] =
        [
            "local-gw6", "remote-gw6", "ipv6-start-ip", "ipv6-end-ip", "ipv6-prefix", "ipv6-dns-server1", "ipv6-dns-server2",
            "ipv6-dns-server3", "ipv6-split-include", "ipv6-name", "ipv6-split-exclude", "dhcp6-ra-linkaddr", "ipv6-auto-linklocal",
        ],
        ["IKEv1 or XAUTH/EAP only (refused elsewhere), so nothing reads them in IKEv2"] = ["mode", "eap-identity", "eap-exclude-peergrp", "group-authentication", "acct-verify"],
        ["descriptive text, identifiers and bookkeeping"] =
        [
            "comments", "comment", "color", "uuid", "vdom", "email-to", "range", "source", "last-updated", "obsolete", "ca-identifier",
            "auto-update-days", "auto-update-days-warning", "auto-regenerate-days", "auto-regenerate-days-warning", "ssl-inspection-trusted",
            "visibility", "fabric-object", "category", "scope", "tag",
        ],
        ["firewall service custom: proxy marks FortiOS proxy-policy services (SharpSwan has no proxy policies); icmptype and icmpcode are accepted only empty (an ICMP service matches every ICMP message)"] =
            ["proxy", "icmptype", "icmpcode"],
        ["enforced by the web server through the admin's or api-user's profile"] = ["accprofile"],
        ["accprofile groups: vpngrp, fwgrp, netgrp, sysgrp are enforced by the web server, the others name features SharpSwan has not"] =
            ["sysgrp", "netgrp", "fwgrp", "vpngrp", "secfabgrp", "ftviewgrp", "authgrp", "loggrp", "utmgrp", "wanoptgrp", "wifi"],
    };

    /// <summary>Accepted and not yet acted on although they would change behaviour: the work left (README lists them).</summary>
    public static readonly Dictionary<string, string[]> KnownGaps = new(StringComparer.Ordinal)
    {
        ["vpn ipsec phase1-interface"] =
        [
            "auto-negotiate", "esn", "fragmentation", "fragmentation-mtu", "distance", "priority", "ip-fragmentation", "enforce-unique-id",
            "suite-b", "assign-ip-from", "rsa-signature-format", "signature-hash-alg", "digital-signature-auth", "rsa-signature-hash-override",
            "send-cert-chain", "cert-id-validation", "cert-trust-store", "remote-gw-match", "remotegw-ddns", "authmethod-remote", "add-gw-route",
            "childless-ike", "shared-idle-timeout", "mesh-selector-type", "mode-cfg-allow-client-selector", "dhcp-ra-giaddr", "ppk-identity",
            "addke1", "addke2", "addke3", "addke4", "addke5", "addke6", "addke7", "split-include-service", "ipv4-name", "ipv4-split-exclude",
            "link-cost",
        ],
        ["vpn ipsec phase2-interface"] =
        [
            "add-route", "single-source", "l2tp", "dhcp-ipsec", "diffserv", "diffservcode", "ipv4-df", "route-overlap", "src-name", "dst-name",
            "addke1", "addke2", "addke3", "addke4", "addke5", "addke6", "addke7", "use-natip", "selector-match",
        ],
        ["system admin"] = [],
        ["system api-user"] = ["cors-allow-origin"],
        ["log syslogd setting"] = ["priority", "max-log-rate", "enc-algorithm", "ssl-min-proto-version", "certificate", "interface-select-method", "interface", "use-management-vdom"],
        ["vpn certificate local"] = ["ike-localid", "ike-localid-type"],
        ["firewall address"] = ["associated-interface", "allow-routing"],
        ["firewall addrgrp"] = ["allow-routing", "exclude"],
        ["firewall policy"] = ["service", "nat", "natinbound", "natoutbound", "srcaddr-negate", "dstaddr-negate", "service-negate"],
        ["router static"] = ["priority", "weight", "vrf", "link-monitor-exempt", "bfd", "blackhole", "dynamic-gateway"],
    };

    /// <summary>The known gaps of <paramref name="path"/> (the policy-mode tables share those of interface mode).</summary>
    public static string[] GapsOf(string path) => KnownGaps.GetValueOrDefault(path switch
    {
        "vpn ipsec phase1" => "vpn ipsec phase1-interface",
        "vpn ipsec phase2" => "vpn ipsec phase2-interface",
        _ => path,
    }) ?? [];
}
